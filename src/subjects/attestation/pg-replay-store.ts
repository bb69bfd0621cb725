import { createHash } from 'node:crypto';
import { qualifiedName } from '../../db/pg-identifiers.js';
import { resolvePgPool, type PgConnectionOptions } from '../../db/pg-pool.js';
import type { ReplayStore } from './replay-store.js';
import { USED_ATTESTATIONS_TABLE } from './replay-migrations.js';

export interface PgReplayStore extends ReplayStore {
  /** Deletes keys of tokens that have expired; returns how many. */
  purgeExpired(): Promise<number>;
  /** Resolves when the table answers; rejects saying what is wrong (a missing table: run `saferoute migrate`). */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export interface PgReplayStoreOptions extends PgConnectionOptions {
  schema?: string;
  /** Purge expired keys after every this many inserts (default 1000; 0 = never). */
  purgeEvery?: number;
}

/** Single-use tokens shared by every gateway instance: the primary key makes the first insert win. */
export function createPgReplayStore(options: PgReplayStoreOptions): PgReplayStore {
  const { pool, owned } = resolvePgPool(options);
  const table = qualifiedName(USED_ATTESTATIONS_TABLE, options.schema);
  const purgeEvery = options.purgeEvery ?? 1000;
  const insertText = `INSERT INTO ${table} (token_key, expires_at) VALUES ($1, now() + make_interval(secs => $2::double precision / 1000)) ON CONFLICT (token_key) DO NOTHING`;
  const insertName = `saferoute_replay_${createHash('sha256').update(insertText).digest('hex').slice(0, 12)}`;
  let inserts = 0;

  async function purgeExpired(): Promise<number> {
    const result = await pool.query(`DELETE FROM ${table} WHERE expires_at < now()`);
    return result.rowCount ?? 0;
  }

  return {
    async markUsed(key, retainMs) {
      const result = await pool.query({ name: insertName, text: insertText, values: [key, Math.max(1, Math.ceil(retainMs))] });
      if (purgeEvery > 0 && ++inserts % purgeEvery === 0) void purgeExpired().catch(() => {});
      return result.rowCount === 1;
    },
    purgeExpired,
    async probe() {
      try {
        await pool.query(`SELECT 1 FROM ${table} LIMIT 0`);
      } catch (err) {
        if ((err as { code?: string }).code === '42P01') throw new Error(`the table ${table} of single-use tokens does not exist: run \`saferoute migrate --pg URL\`${options.schema ? ` --schema ${options.schema}` : ''}`);
        throw err;
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
