import { createHash } from 'node:crypto';
import { SaferouteError } from '../errors.js';
import type { Migration } from './migration.js';
import type { PgClientLike, PgPoolLike } from './pg-pool-like.js';
import { qualifiedName, quoteIdent } from './pg-identifiers.js';

export const MIGRATIONS_TABLE = 'saferoute_migrations';

export interface RunMigrationsOptions {
  /** Schema holding the tables (created if missing); default: the connection's search_path. */
  schema?: string;
}

export interface MigrationsResult {
  /** Ids applied by this run, in order. */
  applied: string[];
  /** Ids found already applied. */
  skipped: string[];
}

export class MigrationError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config_invalid', message, options);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Applies the pending migrations in id order, each in its own transaction, and records them in
 * `saferoute_migrations`. A session advisory lock serialises concurrent runs (several instances
 * starting at once): the second waits, then finds everything applied. An applied migration whose
 * SQL has changed since is an error, not something to paper over.
 */
export async function runMigrations(
  pool: PgPoolLike,
  migrations: readonly Migration[],
  options: RunMigrationsOptions = {},
): Promise<MigrationsResult> {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (m.id === '' || seen.has(m.id)) throw new MigrationError(`duplicate or empty migration id \`${m.id}\``);
    seen.add(m.id);
  }
  const ordered = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const schema = options.schema;
  const table = qualifiedName(MIGRATIONS_TABLE, schema);
  const lockName = `saferoute_migrations:${schema ?? ''}`;

  let client: PgClientLike;
  try {
    client = await pool.connect();
  } catch (cause) {
    throw new MigrationError(`cannot connect to PostgreSQL: ${(cause as Error).message}`, { cause });
  }
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName]);
    locked = true;
    if (schema != null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         id text PRIMARY KEY,
         description text NOT NULL,
         sha256 text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ id: string; sha256: string }>(`SELECT id, sha256 FROM ${table}`);
    const applied = new Map(rows.map((r) => [r.id, r.sha256]));
    const result: MigrationsResult = { applied: [], skipped: [] };
    for (const m of ordered) {
      const digest = sha256(m.sql);
      const previous = applied.get(m.id);
      if (previous != null) {
        if (previous !== digest) {
          throw new MigrationError(`migration \`${m.id}\` was applied with different SQL; write a new migration instead of editing it`);
        }
        result.skipped.push(m.id);
        continue;
      }
      try {
        await client.query('BEGIN');
        if (schema != null) await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
        await client.query(m.sql);
        await client.query(`INSERT INTO ${table} (id, description, sha256) VALUES ($1, $2, $3)`, [m.id, m.description, digest]);
        await client.query('COMMIT');
      } catch (cause) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`migration \`${m.id}\` failed: ${(cause as Error).message}`, { cause });
      }
      result.applied.push(m.id);
    }
    return result;
  } catch (cause) {
    if (cause instanceof MigrationError) throw cause;
    throw new MigrationError(`migrations failed: ${(cause as Error).message}`, { cause });
  } finally {
    let reusable = true;
    if (locked) {
      // A lock left held on a pooled connection would block every later run: drop the connection instead.
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName]).catch(() => {
        reusable = false;
      });
    }
    client.release(!reusable);
  }
}
