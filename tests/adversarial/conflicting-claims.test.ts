import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/decision/decide.js';
import { loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import { createAttestationVerifier, type AttestationVerifier } from '../../src/subjects/attestation/attestation-verifier.js';
import { generateIssuerKeyPair, type IssuerKeyPair } from '../../src/subjects/attestation/issuer-key-pair.js';
import { mintAttestation } from '../../src/subjects/attestation/mint-attestation.js';
import type { ConsentStore } from '../../src/subjects/consent/consent-store.js';
import { createSubjectResolver } from '../../src/subjects/resolve-subject.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

// An adversarial review found that a token claiming `age_over_18: true` next to a birthdate of a
// twelve-year-old was accepted as over 18. Every age statement of a token must agree; a
// contradiction is refused (`conflicting_claims`) and never becomes age evidence.

const ISS = 'https://av.example';
const AUD = 'saferoute';
const NOW = new Date('2026-11-28T12:00:00Z');
const sec = Math.floor(NOW.getTime() / 1000);

let pair: IssuerKeyPair;
let verifier: AttestationVerifier;
let policy: Policy;
let dir: string;

/** The date `years` years before NOW (plus `days`), as YYYY-MM-DD. */
function bornYearsAgo(years: number, days = 0): string {
  const d = new Date(Date.UTC(NOW.getUTCFullYear() - years, NOW.getUTCMonth(), NOW.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}
const TWELVE = bornYearsAgo(12);

const base = { iss: ISS, aud: AUD, iat: sec - 60, exp: sec + 3600, age_method: 'photo_id_match', age_assurance_level: 'enhanced' };
const mint = (claims: Record<string, unknown>): Promise<string> => mintAttestation({ ...base, ...claims }, { privateJwk: pair.privateJwk });
const verify = async (claims: Record<string, unknown>) => verifier.verify(await mint(claims), { at: NOW });

beforeAll(async () => {
  pair = await generateIssuerKeyPair('ES256', 'k1');
  verifier = createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: AUD, now: () => NOW });
  policy = await loadPolicyOrThrow(fileURLToPath(new URL('../../policies/default.json', import.meta.url)));
  dir = mkdtempSync(path.join(tmpdir(), 'saferoute-claims-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contradicting age evidence in one token', () => {
  const conflicting: [string, Record<string, unknown>][] = [
    ['age_over_18 true with a top-level birthdate of age 12', { age_over_18: true, birthdate: TWELVE }],
    ['age_over_18 true with a verified_claims birthdate of age 12', { age_over_18: true, verified_claims: { verification: { trust_framework: 'eidas' }, claims: { birthdate: TWELVE } } }],
    ['age_over_18 true inside verified_claims with a birthdate beside it', { verified_claims: { claims: { age_over_18: true, birthdate: TWELVE } } }],
    ['age_over_18 true with age_over_16 false', { age_over_18: true, age_over_16: false }],
    ['age_over_18 true with age_equal_or_over 16 false', { age_over_18: true, age_equal_or_over: { '16': false } }],
    ['age_equal_or_over 18 true with age_over_21 false and age_over_13 false', { age_equal_or_over: { '18': true }, age_over_21: false, age_over_13: false }],
    ['age_over_18 true with age_under_18 true', { age_over_18: true, age_under_18: true }],
    ['age_over_18 true with age_in_years 12', { age_over_18: true, age_in_years: 12 }],
    ['age_over_18 true with a year-only birthdate twelve years ago', { age_over_18: true, birthdate: TWELVE.slice(0, 4) }],
    ['age_over_18 true with age_birth_year twelve years ago', { age_over_18: true, age_birth_year: Number(TWELVE.slice(0, 4)) }],
    ['a second verified_claims entry saying otherwise', { verified_claims: [{ claims: { age_over_18: true } }, { claims: { age_over_18: false } }] }],
    ['two verified_claims entries with different birthdates', { verified_claims: [{ claims: { birthdate: bornYearsAgo(30) } }, { claims: { birthdate: bornYearsAgo(31) } }] }],
    ['a top-level birthdate and a verified_claims birthdate that differ', { birthdate: bornYearsAgo(30), verified_claims: { claims: { birthdate: bornYearsAgo(12) } } }],
    ['age_in_years disagreeing with a birthdate', { age_in_years: 25, birthdate: bornYearsAgo(30) }],
    ['a flat age_over_18 true against a verified_claims age_over_18 false', { age_over_18: true, verified_claims: { claims: { age_over_18: false } } }],
  ];

  for (const [name, claims] of conflicting) {
    it(`refuses ${name} (conflicting_claims)`, async () => {
      const result = await verify(claims);
      expect(result).toMatchObject({ ok: false, reason: 'conflicting_claims' });
      if (!result.ok) expect(result.detail).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });
  }

  it('refuses an age claim spelt in a way it does not read, instead of ignoring it', async () => {
    expect(await verify({ age_over_18: true, Age_Over_18: false })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verify({ age_over_18: true, 'age-over-21': false })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('accepts claims that agree, counting a birthdate at decision time', async () => {
    const agree = await verify({ age_over_18: true, age_over_21: false, birthdate: bornYearsAgo(20) });
    expect(agree.ok && agree.attestation.over).toBe(20);
    const entries = await verify({ verified_claims: [{ claims: { age_over_18: true } }, { claims: { birthdate: bornYearsAgo(40) } }] });
    expect(entries.ok && entries.attestation.over).toBe(40);
  });

  it('counts a birthdate at decision time: 17 when verified a year ago, 18 now', async () => {
    const verifiedAt = sec - 365 * 86_400;
    const claims = { iat: verifiedAt, age_verified_at: verifiedAt, birthdate: bornYearsAgo(18, -10) };
    const result = await verifier.verify(await mint(claims), { at: NOW });
    expect(result.ok && result.attestation.over).toBe(18);
    // The same birthdate, with an `age_over_18: true` the issuer stated when the person was 17.
    expect(await verifier.verify(await mint({ ...claims, age_over_18: true }), { at: NOW })).toMatchObject({ ok: false, reason: 'conflicting_claims' });
  });

  it('ends as `age_verification_invalid` (conflicting_claims) in the decision, never as an age', async () => {
    const consentStore = { events: async () => [] } as unknown as ConsentStore;
    const resolver = createSubjectResolver({ verifier, consentStore });
    const subject = await resolver.resolve({ subjectId: 'u1', attestationToken: await mint({ age_over_18: true, birthdate: TWELVE }), jurisdiction: 'GB' }, NOW);
    expect(subject.age).toBeUndefined();
    expect(subject.rejectedAttestations).toEqual([{ reason: 'conflicting_claims', issuer: ISS }]);
    const decision = await decide({ scores: { sexual: 0.9 }, subject, now: NOW }, policy);
    expect(decision.outcome).toBe('block');
    expect(decision.unmet.map((u) => u.code)).toContain('age_verification_invalid');
    expect(decision.unmet.find((u) => u.code === 'age_verification_invalid')?.detail).toMatch(/conflicting_claims/);
  });

  it('`saferoute attest inspect` says why, without printing the birthdate', async () => {
    const issuers = path.join(dir, 'issuers.json');
    writeFileSync(issuers, JSON.stringify({ audience: AUD, issuers: [{ issuer: ISS, keys: pair.jwks }] }));
    const token = await mint({ age_over_18: true, birthdate: TWELVE });
    const out = await runCliInProcess(['attest', 'inspect', '--issuers', issuers, '--at', NOW.toISOString(), token]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/✗ age_claims +conflicting age claims: `age_over_18: true` contradicts `birthdate`/);
    expect(out.stdout).toMatch(/refused: conflicting_claims/);
    expect(out.stdout).not.toContain(TWELVE);
  });
});
