import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/db/migrate.js';
import { createPgConsentStore, SUBJECT_MIGRATIONS } from '../../src/subjects/index.js';
import type { ConsentRecord } from '../../src/subjects/consent/consent-record.js';
import { consentStateAt } from '../../src/subjects/consent/consent-state.js';
import { CONTRACT_KEY } from './consent-store-contract.js';
import { createTestPool, dropSchema, PG_SKIP_MESSAGE, PG_URL, uniqueSchema } from './pg-test-support.js';

/** mulberry32: a small seeded generator, so every run draws the same histories. */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const STATES = ['given', 'withdrawn', 'reaffirmed', 'expired'] as const;
const SCOPES = ['adult-content', 'gambling'];
const BASE = Date.UTC(2025, 0, 1);

/**
 * Property: for every history and every moment, the PostgreSQL store's `stateAt` (one indexed
 * statement that reads only the anchoring event and the reaffirmations after it) equals the fold
 * `consentStateAt` over the whole history as appended. Histories are drawn from few distinct
 * times (so equal timestamps of every pair of states are common, down to the millisecond), with
 * expiries that end before, at and after later events, reaffirmations before any grant, withdrawals
 * followed by reaffirmations; the moments asked include every event time and every expiry, 1 ms
 * either side of them, and times before and after the whole history.
 */
if (PG_URL == null) {
  describe.skip(PG_SKIP_MESSAGE, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  let pool: pg.Pool;
  const schemas: string[] = [];
  beforeAll(() => {
    pool = createTestPool(4);
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  describe('postgresql consent stateAt, property: equals the fold over the whole history', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      it(`seed ${seed}: 12 random histories, every event time, every expiry and 1 ms around them`, async () => {
        const schema = uniqueSchema();
        schemas.push(schema);
        await runMigrations(pool, SUBJECT_MIGRATIONS, { schema });
        const store = createPgConsentStore({ pool, schema, pseudonymKey: CONTRACT_KEY });
        const rand = generator(seed);
        let compared = 0;
        const seen = new Set<string>();
        try {
          for (let s = 0; s < 12; s++) {
            const subjectId = `subject-${seed}-${s}`;
            const appended: ConsentRecord[] = [];
            const length = 1 + rand(30);
            // Some histories on a 1 s grid (many ties), some on a 1 ms grid (ties at millisecond precision).
            const step = rand(2) === 0 ? 1000 : 1;
            for (let i = 0; i < length; i++) {
              const tick = rand(12);
              const at = BASE + tick * step;
              // Bias towards sequences that matter: a withdrawal followed by a reaffirmation, a reaffirmation first.
              const state = i === 0 && rand(3) === 0 ? 'reaffirmed' : STATES[rand(4)]!;
              const expires = (state === 'given' || state === 'reaffirmed') && rand(2) === 0 ? at + (1 + rand(8)) * step : undefined;
              const record = await store.append({
                subjectId,
                scope: SCOPES[rand(4) === 0 ? 1 : 0]!,
                version: `${1 + rand(2)}.${rand(2)}.0`,
                state,
                at: new Date(at),
                collectionMethod: 'api',
                noticeId: `notice-${rand(3)}`,
                noticeSha256: String(rand(10)).repeat(64),
                ...(expires !== undefined ? { expiresAt: new Date(expires) } : {}),
              });
              appended.push(record);
            }
            const moments = new Set<number>([BASE - 1, BASE + 13 * 1000 + 20 * 1000]);
            for (const r of appended) {
              for (const t of [Date.parse(r.at), ...(r.expiresAt ? [Date.parse(r.expiresAt)] : [])]) {
                moments.add(t - 1);
                moments.add(t);
                moments.add(t + 1);
              }
            }
            for (const t of moments) {
              for (const scope of SCOPES) {
                const at = new Date(t);
                const expected = consentStateAt(appended, scope, at);
                const actual = await store.stateAt(subjectId, scope, at);
                expect(actual, `seed ${seed} ${subjectId} ${scope} at ${at.toISOString()}\n${JSON.stringify(appended.filter((r) => r.scope === scope).map((r) => [r.state, r.at, r.expiresAt ?? '']))}`).toEqual(expected);
                seen.add(expected.state);
                compared++;
              }
            }
          }
        } finally {
          await store.close();
        }
        // The draws reach every kind of answer, so the property is not vacuously true.
        expect([...seen].sort()).toEqual(['expired', 'given', 'none', 'withdrawn']);
        expect(compared).toBeGreaterThan(200);
      });
    }
  });
}
