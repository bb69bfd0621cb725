import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, runMigrations } from '../../src/db/migrate.js';
import type { Migration } from '../../src/db/migration.js';
import { createPgReplayStore, SUBJECT_MIGRATIONS } from '../../src/subjects/index.js';
import { createTestPool, dropSchema, PG_SKIP_MESSAGE, PG_URL, uniqueSchema } from './pg-test-support.js';

if (PG_URL == null) {
  describe.skip(PG_SKIP_MESSAGE, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const fresh = () => {
    const s = uniqueSchema('sr_mig');
    schemas.push(s);
    return s;
  };
  beforeAll(() => {
    pool = createTestPool(12);
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  describe('runMigrations', () => {
    it('applies pending migrations in id order, once', async () => {
      const schema = fresh();
      const order: Migration[] = [
        { id: '0002_b', description: 'b', sql: 'INSERT INTO t VALUES (2)' },
        { id: '0001_a', description: 'a', sql: 'CREATE TABLE t (v int)' },
      ];
      expect(await runMigrations(pool, order, { schema })).toEqual({ applied: ['0001_a', '0002_b'], skipped: [] });
      expect(await runMigrations(pool, order, { schema })).toEqual({ applied: [], skipped: ['0001_a', '0002_b'] });
      const { rows } = await pool.query(`SELECT v FROM "${schema}".t`);
      expect(rows).toEqual([{ v: 2 }]);
    });

    it('rolls a failing migration back entirely and keeps earlier ones', async () => {
      const schema = fresh();
      const migrations: Migration[] = [
        { id: '0001_ok', description: 'ok', sql: 'CREATE TABLE ok (v int)' },
        { id: '0002_bad', description: 'bad', sql: 'CREATE TABLE half (v int); SELECT no_such_function()' },
      ];
      await expect(runMigrations(pool, migrations, { schema })).rejects.toThrow(/migration `0002_bad` failed/);
      const { rows } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
      expect(rows.map((r) => r.table_name)).toEqual(['ok', 'saferoute_migrations']);
    });

    it('refuses an applied migration whose SQL changed', async () => {
      const schema = fresh();
      await runMigrations(pool, [{ id: '0001', description: 'x', sql: 'CREATE TABLE x (v int)' }], { schema });
      await expect(runMigrations(pool, [{ id: '0001', description: 'x', sql: 'CREATE TABLE x (v bigint)' }], { schema })).rejects.toBeInstanceOf(MigrationError);
      await expect(runMigrations(pool, [{ id: 'a', description: '', sql: '' }, { id: 'a', description: '', sql: '' }], { schema })).rejects.toThrow(/duplicate/);
    });

    it('is safe when several instances migrate at once', async () => {
      const schema = fresh();
      const results = await Promise.all(Array.from({ length: 6 }, () => runMigrations(pool, SUBJECT_MIGRATIONS, { schema })));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(SUBJECT_MIGRATIONS.map((m) => m.id).sort());
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".saferoute_migrations`);
      expect(rows[0].n).toBe(SUBJECT_MIGRATIONS.length);
    });
  });

  describe('postgresql replay store', () => {
    it('lets exactly one of many concurrent instances record a token', async () => {
      const schema = fresh();
      await runMigrations(pool, SUBJECT_MIGRATIONS, { schema });
      const stores = Array.from({ length: 4 }, () => createPgReplayStore({ pool, schema }));
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.markUsed('token-key', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await stores[0]!.markUsed('other-key', 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(await stores[0]!.purgeExpired()).toBe(1);
    });
  });
}
