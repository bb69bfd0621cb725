export type { Migration } from './migration.js';
export { runMigrations, MigrationError, MIGRATIONS_TABLE } from './migrate.js';
export type { RunMigrationsOptions, MigrationsResult } from './migrate.js';
export { resolvePgPool } from './pg-pool.js';
export { PG_SETTINGS, pgPoolConfigFromEnv, openPgPoolFromEnv } from './pg-settings.js';
export type { PgPoolSettings } from './pg-settings.js';
export type { PgConnectionOptions } from './pg-pool.js';
export type { PgClientLike, PgPoolLike, PgQueryConfigLike, PgQueryResultLike, PgQueryable } from './pg-pool-like.js';
export { quoteIdent, qualifiedName } from './pg-identifiers.js';
