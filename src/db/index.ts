export type { Migration } from './migration.js';
export { runMigrations, MigrationError, MIGRATIONS_TABLE } from './migrate.js';
export type { RunMigrationsOptions, MigrationsResult } from './migrate.js';
export { resolvePgPool } from './pg-pool.js';
export type { PgPool, PgConnectionOptions } from './pg-pool.js';
export { quoteIdent, qualifiedName } from './pg-identifiers.js';
