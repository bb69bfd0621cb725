import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/db/migrate.js';
import { CONSENT_MIGRATIONS, ConsentStoreError, createPgConsentStore, pseudonymise, SUBJECT_MIGRATIONS } from '../../src/subjects/index.js';
import { consentStateAt } from '../../src/subjects/consent/consent-state.js';
import { CONTRACT_KEY, consentStoreContract, grant, withdraw } from './consent-store-contract.js';
import { createTestPool, dropSchema, PG_SKIP_MESSAGE, PG_URL, uniqueSchema } from './pg-test-support.js';

if (PG_URL == null) {
  describe.skip(PG_SKIP_MESSAGE, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  let pool: pg.Pool;
  const schemas: string[] = [];
  beforeAll(() => {
    pool = createTestPool(20);
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  async function freshSchema(): Promise<string> {
    const schema = uniqueSchema();
    schemas.push(schema);
    await runMigrations(pool, SUBJECT_MIGRATIONS, { schema });
    return schema;
  }

  consentStoreContract('postgresql', async () => {
    const schema = await freshSchema();
    return {
      store: createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY }),
      reopen: async () => createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY }),
    };
  });

  describe('postgresql consent store', () => {
    it('state as of any time from the index equals the fold over the whole history (random histories with ties, reaffirmations, expiries)', async () => {
      const schema = await freshSchema();
      const store = createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY });
      let seed = 17;
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const base = Date.UTC(2025, 0, 1);
      const states = ['given', 'withdrawn', 'reaffirmed', 'expired'] as const;
      for (let subject = 0; subject < 8; subject++) {
        const subjectId = `hist-${subject}`;
        for (let i = 0; i < 40; i++) {
          // Few distinct times, so many events share one.
          const second = rand(20);
          const at = new Date(base + second * 1000).toISOString();
          const state = states[rand(4)]!;
          const expiresAt = (state === 'given' || state === 'reaffirmed') && rand(3) === 0 ? new Date(base + (second + 1 + rand(5)) * 1000).toISOString() : undefined;
          await store.append({ subjectId, scope: rand(4) === 0 ? 'other' : 'adult-content', version: `${1 + rand(3)}.0.0`, state, at, collectionMethod: 'web_form', noticeId: 'notice-1', noticeSha256: 'a'.repeat(64), ...(expiresAt ? { expiresAt } : {}) });
        }
        const history = await store.events(subjectId);
        for (let t = -1; t <= 26; t++) {
          const at = new Date(base + t * 1000 + (t % 2 === 0 ? 0 : 500));
          for (const scope of ['adult-content', 'other']) {
            expect(await store.stateAt(subjectId, scope, at), `${subjectId} ${scope} at ${at.toISOString()}`).toEqual(consentStateAt(history, scope, at));
          }
        }
      }
      await store.close();
    });

    it('loses none of 1,000 concurrent grant/withdraw events from several writers', async () => {
      const schema = await freshSchema();
      // Four "gateway instances", each with its own pool, writing at once.
      const writers = Array.from({ length: 4 }, () => createPgConsentStore({ connectionString: PG_URL!, max: 8, schema, pseudonymKey: CONTRACT_KEY }));
      const base = Date.UTC(2025, 0, 1);
      const inputs = Array.from({ length: 1000 }, (_, i) => {
        const at = new Date(base + i).toISOString();
        return i % 2 === 0 ? grant(`user-${i % 50}`, at) : withdraw(`user-${i % 50}`, at);
      });
      const records = await Promise.all(inputs.map((input, i) => writers[i % 4]!.append(input)));
      await Promise.all(writers.map((w) => w.close()));
      expect(new Set(records.map((r) => r.recordId)).size).toBe(1000);
      const { rows } = await pool.query<{ n: string; ids: string }>(`SELECT count(*) AS n, count(DISTINCT record_id) AS ids FROM "${schema}".saferoute_consent_events`);
      expect(rows[0]).toEqual({ n: '1000', ids: '1000' });
      // Each subject's last event is i = 950..999: odd i withdraws, even grants.
      const reader = createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY });
      for (let s = 0; s < 50; s++) {
        const events = await reader.events(`user-${s}`);
        expect(events).toHaveLength(20);
        const last = Math.max(...events.map((e) => Date.parse(e.at))) - base;
        expect((await reader.stateAt(`user-${s}`, 'adult-content', new Date(base + 5000))).state).toBe(last % 2 === 0 ? 'given' : 'withdrawn');
      }
    });

    it('is append-only in the database itself, and stores only pseudonyms', async () => {
      const schema = await freshSchema();
      const store = createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY });
      await store.append(grant('alice@example.com', '2025-01-01T00:00:00.000Z'));
      const table = `"${schema}".saferoute_consent_events`;
      await expect(pool.query(`UPDATE ${table} SET state = 'given'`)).rejects.toThrow(/append-only/);
      await expect(pool.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(pool.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
      const { rows } = await pool.query(`SELECT subject FROM ${table}`);
      expect(rows).toEqual([{ subject: pseudonymise('alice@example.com', CONTRACT_KEY) }]);
    });

    it('throws consent_store_failed when the table is missing or the server unreachable', async () => {
      const store = createPgConsentStore({ pool, schema: uniqueSchema('sr_missing'), pseudonymKey: CONTRACT_KEY });
      await expect(store.events('alice')).rejects.toMatchObject({ code: 'consent_store_failed', message: expect.stringContaining('saferoute migrate') });
      const down = createPgConsentStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none', pseudonymKey: CONTRACT_KEY });
      await expect(down.stateAt('alice', 'adult-content', new Date())).rejects.toBeInstanceOf(ConsentStoreError);
      await down.close();
    });

    it('exports its migrations', () => {
      expect(CONSENT_MIGRATIONS.map((m) => m.id)).toEqual(['0001_consent_events']);
    });
  });
}
