// The resolver's output checked by the engine's requirement evaluation (src/policy/requirements.ts):
// every rejection and every consent state ends as the right unmet code, never as an allow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequirements, lookupJurisdiction, mergeRequirements } from '../../src/policy/requirements.js';
import type { Jurisdiction, Requirements } from '../../src/policy/policy-schema.js';
import {
  createAttestationVerifier,
  createFileConsentStore,
  createSubjectResolver,
  generateIssuerKeyPair,
  mintAttestation,
  type FileConsentStore,
  type IssuerKeyPair,
  type SubjectResolver,
} from '../../src/subjects/index.js';

const ISS = 'https://av.example';
const AT = new Date('2025-06-01T12:00:00.000Z');
const sec = AT.getTime() / 1000;
const TABLE: Record<string, Jurisdiction> = {
  '*': { minimumAge: 18, level: 'standard' },
  KR: { minimumAge: 19 },
  AF: { deny: ['restricted'] },
};
const RESTRICTED: Requirements = { age: { minimum: 'jurisdiction', level: 'standard', maxAgeDays: 365 }, consent: [{ scope: 'adult-content', minVersion: '2.0.0' }] };

let pair: IssuerKeyPair;
let store: FileConsentStore;
let resolver: SubjectResolver;
let dir: string;

beforeAll(async () => {
  pair = await generateIssuerKeyPair('ES256', 'k');
  dir = mkdtempSync(join(tmpdir(), 'sr-req-'));
  store = await createFileConsentStore({ path: join(dir, 'c.jsonl'), pseudonymKey: 'integration-key-0123456789abcdef' });
  const notice = { noticeId: 'n', noticeSha256: 'f'.repeat(64), collectionMethod: 'web_form' as const, scope: 'adult-content' };
  await store.append({ ...notice, subjectId: 'ok', version: '2.0.0', state: 'given', at: '2025-01-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'old-notice', version: '1.9.0', state: 'given', at: '2025-01-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'withdrew', version: '2.0.0', state: 'given', at: '2025-01-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'withdrew', version: '2.0.0', state: 'withdrawn', at: '2025-06-01T11:59:59.999Z' });
  resolver = createSubjectResolver({
    verifier: createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: 'saferoute', now: () => AT }),
    consentStore: store,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (claims: Record<string, unknown> = {}) =>
  mintAttestation(
    { iss: ISS, aud: 'saferoute', iat: sec - 60, exp: sec + 3600, age_over_18: true, age_method: 'photo_id_match', age_assurance_level: 'enhanced', ...claims },
    { privateJwk: pair.privateJwk },
  );

async function unmet(request: Parameters<SubjectResolver['resolve']>[0]): Promise<string[]> {
  const subject = await resolver.resolve(request, AT);
  const row = lookupJurisdiction(TABLE, subject.jurisdiction);
  const req = mergeRequirements([RESTRICTED], row.rule, undefined);
  return checkRequirements('restricted', req, subject, row, AT.getTime()).map((u) => u.code);
}

describe('resolved subjects against requirements', () => {
  it('meets everything with a valid attestation and current consent', async () => {
    expect(await unmet({ subjectId: 'ok', attestationToken: await token(), jurisdiction: 'GB' })).toEqual([]);
  });

  it('refuses an 18-year-old in a 19+ jurisdiction', async () => {
    expect(await unmet({ subjectId: 'ok', attestationToken: await token(), jurisdiction: { code: 'KR', source: 'account' } })).toEqual(['age_below_minimum']);
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ age_over_19: true }), jurisdiction: 'KR' })).toEqual([]);
  });

  it('refuses a self-declared age, a stale verification and a region that denies the target', async () => {
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ age_method: 'self_declaration', age_assurance_level: 'strict' }) })).toEqual(['age_assurance_insufficient']);
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ age_verified_at: sec - 400 * 86_400 }) })).toEqual(['age_verification_expired']);
    expect(await unmet({ subjectId: 'ok', attestationToken: await token(), jurisdiction: 'af' })).toEqual(['jurisdiction_restricted']);
    // A code that is no country gets the `*` row, not a guess.
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ age_over_18: false }), jurisdiction: 'XY' })).toEqual(['age_below_minimum']);
  });

  it('turns every rejected token into an unmet age requirement', async () => {
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ exp: sec - 3600 }) })).toEqual(['age_verification_expired']);
    expect(await unmet({ subjectId: 'ok', attestationToken: await token({ aud: 'other' }) })).toEqual(['age_verification_invalid']);
    expect(await unmet({ subjectId: 'ok', attestationToken: 'x'.repeat(2_000_000) })).toEqual(['age_verification_invalid']);
    expect(await unmet({ subjectId: 'ok' })).toEqual(['age_verification_required']);
  });

  it('reports consent withdrawn 1 ms before, outdated after a major bump, and missing for unknown subjects', async () => {
    expect(await unmet({ subjectId: 'withdrew', attestationToken: await token() })).toEqual(['consent_withdrawn']);
    expect(await unmet({ subjectId: 'old-notice', attestationToken: await token() })).toEqual(['consent_outdated']);
    expect(await unmet({ subjectId: 'stranger', attestationToken: await token() })).toEqual(['consent_required']);
    expect(await unmet({ attestationToken: await token() })).toEqual(['consent_required']);
  });
});
