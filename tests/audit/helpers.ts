import { afterAll, beforeEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AUDIT_MIGRATIONS } from '../../src/audit/pg-migrations.js';

export const PG_URL = process.env['SAFEROUTE_TEST_PG_URL'];
export const PG_SKIP_NOTE = 'skipped: set SAFEROUTE_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL audit tests';

export async function tempDir(prefix = 'saferoute-audit-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh schema holding the audit tables, so parallel runs never see each other's rows. */
export async function pgSchema(url: string): Promise<{ pool: pg.Pool; schema: string; cleanup: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  pool.on('error', () => undefined);
  const schema = `audit_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  const client = await pool.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    for (const m of AUDIT_MIGRATIONS) await client.query(m.sql);
    await client.query('RESET search_path');
  } finally {
    client.release();
  }
  return {
    pool,
    schema,
    cleanup: async () => {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * A fresh audit schema for each test of the enclosing describe (for tests that change the tables
 * for good, e.g. by archiving), handed to `onFresh`; all are dropped after the last test, with any
 * other schema a test hands to `dropAfterAll`.
 */
export function freshPgSchemaEachTest(onFresh: (db: { pool: pg.Pool; schema: string }) => void): { dropAfterAll(db: Awaited<ReturnType<typeof pgSchema>>): void } {
  const dbs: Awaited<ReturnType<typeof pgSchema>>[] = [];
  beforeEach(async () => {
    const db = await pgSchema(PG_URL as string);
    dbs.push(db);
    onFresh(db);
  });
  afterAll(async () => {
    for (const db of dbs) await db.cleanup();
  });
  return { dropAfterAll: (db) => void dbs.push(db) };
}
