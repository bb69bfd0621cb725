// bench:subjects — attestation verification (cached keys) per algorithm, saferoute's verifier next
// to jose's own jwtVerify on the same tokens, and consent state lookups from the file store's memory
// index and from PostgreSQL (when SAFEROUTE_TEST_PG_URL or SAFEROUTE_PG_URL is set).
// Run: npx tsx bench/subjects.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pg from 'pg';
import { runMigrations } from '../src/db/migrate.js';
import {
  createAttestationVerifier,
  createFileConsentStore,
  createPgConsentStore,
  generateIssuerKeyPair,
  mintAttestation,
  SUBJECT_MIGRATIONS,
  type ConsentEventInput,
  type ConsentStore,
} from '../src/subjects/index.js';
import { fmt, percentile, printTable } from './bench-utils.js';

const RUNS = 5;
const ISS = 'https://av.bench';
const AUD = 'saferoute';
const KEY = 'bench-pseudonym-key-0123456789abcdef';

/** p50 and p99 in microseconds of `iterations` sequential awaited calls, median over RUNS runs. */
async function measure(iterations: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(500, iterations); i++) await fn(i);
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const lat: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await fn(i);
      lat.push((performance.now() - t0) * 1000);
    }
    lat.sort((a, b) => a - b);
    p50s.push(percentile(lat, 50));
    p99s.push(percentile(lat, 99));
  }
  p50s.sort((a, b) => a - b);
  p99s.sort((a, b) => a - b);
  return { p50: p50s[RUNS >> 1]!, p99: p99s[RUNS >> 1]! };
}

console.log(`attestation verification, cached keys; µs, medians of ${RUNS} runs of 2000\n`);
const verifyRows: (string | number)[][] = [];
for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
  const pair = await generateIssuerKeyPair(alg, 'k1');
  const now = Math.floor(Date.now() / 1000);
  const token = await mintAttestation(
    { iss: ISS, aud: AUD, iat: now, exp: now + 86_400, age_over_18: true, age_method: 'digital_id_wallet', age_assurance_level: 'high' },
    { privateJwk: pair.privateJwk },
  );
  const node = createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: AUD });
  const viaJose = createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: AUD, signatureBackend: 'jose' });
  const jwks = createLocalJWKSet(pair.jwks);
  const check = await node.verify(token);
  if (!check.ok) throw new Error(`bench token does not verify: ${check.reason}`);
  const a = await measure(2000, () => node.verify(token));
  const b = await measure(2000, () => viaJose.verify(token));
  const c = await measure(2000, () => jwtVerify(token, jwks, { issuer: ISS, audience: AUD, algorithms: [alg] }));
  verifyRows.push([alg, fmt(a.p50, 1), fmt(a.p99, 1), fmt(b.p50, 1), fmt(c.p50, 1), fmt(c.p99, 1)]);
}
printTable(['alg', 'saferoute p50', 'p99', 'saferoute(jose backend) p50', 'jose jwtVerify p50', 'p99'], verifyRows);

function event(i: number, subjects: number): ConsentEventInput {
  const base = {
    subjectId: `user-${i % subjects}`,
    scope: i % 3 === 0 ? 'marketing' : 'adult-content',
    version: '1.0.0',
    at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    collectionMethod: 'web_form' as const,
  };
  return i % 5 === 4 ? { ...base, state: 'withdrawn' } : { ...base, state: 'given', noticeId: 'n1', noticeSha256: 'e'.repeat(64) };
}

async function lookups(store: ConsentStore, subjects: number, iterations: number) {
  const at = new Date(Date.UTC(2026, 0, 1));
  return measure(iterations, (i) => store.stateAt(`user-${(i * 7919) % subjects}`, 'adult-content', at));
}

console.log(`\nconsent state lookup (stateAt: pseudonymise + load + fold); µs, medians of ${RUNS} runs\n`);
const consentRows: (string | number)[][] = [];
const SUBJECTS = 10_000;
const EVENTS = 50_000;
const dir = mkdtempSync(join(tmpdir(), 'sr-bench-'));
try {
  const file = await createFileConsentStore({ path: join(dir, 'consent.jsonl'), pseudonymKey: KEY });
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => file.append(event(i + j, SUBJECTS))));
  const appendMs = performance.now() - t0;
  const r = await lookups(file, SUBJECTS, 20_000);
  consentRows.push(['file store (memory index)', `${EVENTS} events / ${SUBJECTS} subjects`, fmt(r.p50, 1), fmt(r.p99, 1)]);
  await file.close();
  const t1 = performance.now();
  const reopened = await createFileConsentStore({ path: join(dir, 'consent.jsonl'), pseudonymKey: KEY });
  const loadMs = performance.now() - t1;
  await reopened.close();
  console.log(`file store: ${EVENTS} appends in batches of 500 (group commit, fsync each) ${fmt(appendMs / 1000, 2)} s; reopen + index ${fmt(loadMs, 0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.SAFEROUTE_TEST_PG_URL ?? process.env.SAFEROUTE_PG_URL;
if (pgUrl != null) {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 10 });
  const schema = `sr_bench_${process.pid}`;
  try {
    await runMigrations(pool, SUBJECT_MIGRATIONS, { schema });
    const store = createPgConsentStore({ pool, schema, pseudonymKey: KEY });
    for (let i = 0; i < EVENTS; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => store.append(event(i + j, SUBJECTS))));
    await pool.query(`ANALYZE "${schema}".saferoute_consent_events`);
    const r = await lookups(store, SUBJECTS, 3000);
    consentRows.push(['PostgreSQL (local)', `${EVENTS} events / ${SUBJECTS} subjects`, fmt(r.p50, 1), fmt(r.p99, 1)]);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
} else {
  console.log('PostgreSQL lookups skipped: set SAFEROUTE_TEST_PG_URL');
}
console.log('');
printTable(['store', 'data', 'p50 µs', 'p99 µs'], consentRows);
