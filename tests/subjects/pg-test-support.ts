import pg from 'pg';

/** Set to run the PostgreSQL tests, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
export const PG_URL = process.env.SAFEROUTE_TEST_PG_URL;
export const PG_SKIP_MESSAGE = 'PostgreSQL tests skipped: set SAFEROUTE_TEST_PG_URL to run them';

let counter = 0;
/** A schema name unique to this test run, so parallel runs and reruns never share tables. */
export function uniqueSchema(prefix = 'sr_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

export function createTestPool(max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max });
  pool.on('error', () => {});
  return pool;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
