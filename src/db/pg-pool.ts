import pg from 'pg';
import { SaferouteError } from '../errors.js';
import type { PgPoolLike } from './pg-pool-like.js';

export interface PgConnectionOptions {
  /** A pool owned by the caller (a `pg.Pool`); it is not ended by `close()`. */
  pool?: PgPoolLike;
  /** Used when no pool is given; the pool created is ended by `close()`. */
  connectionString?: string;
  /** Size of a pool created from `connectionString`. */
  max?: number;
}

/** The pool to use, and whether closing the store should end it. */
export function resolvePgPool(options: PgConnectionOptions): { pool: PgPoolLike; owned: boolean } {
  if (options.pool != null) return { pool: options.pool, owned: false };
  if (options.connectionString == null || options.connectionString === '') {
    throw new SaferouteError('config_invalid', 'a PostgreSQL `pool` or `connectionString` is required');
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the next query fails instead.
  pool.on('error', () => {});
  return { pool, owned: true };
}
