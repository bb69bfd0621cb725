import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttestationVerifier, type AttestationVerifier } from './attestation/attestation-verifier.js';
import { generateIssuerKeyPair, type IssuerKeyPair } from './attestation/issuer-key-pair.js';
import { mintAttestation } from './attestation/mint-attestation.js';
import { unmetCodeForRejection } from './attestation/rejection-unmet-code.js';
import { createFileConsentStore, type FileConsentStore } from './consent/file-consent-store.js';
import type { ConsentStore } from './consent/consent-store.js';
import { consentStateAt } from './consent/consent-state.js';
import { pseudonymise } from './pseudonym.js';
import { createSubjectResolver } from './resolve-subject.js';

const KEY = 'resolver-test-key-0123456789abcdef';
const ISS = 'https://av.example';
const AT = new Date('2025-06-01T12:00:00.000Z');
const sec = AT.getTime() / 1000;

let pair: IssuerKeyPair;
let verifier: AttestationVerifier;
let store: FileConsentStore;
let dir: string;

beforeAll(async () => {
  pair = await generateIssuerKeyPair('ES256', 'k1');
  verifier = createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: 'saferoute', now: () => AT });
  dir = mkdtempSync(join(tmpdir(), 'sr-resolver-'));
  store = await createFileConsentStore({ path: join(dir, 'consent.jsonl'), pseudonymKey: KEY });
  const notice = { noticeId: 'n1', noticeSha256: 'c'.repeat(64), collectionMethod: 'web_form' as const, scope: 'adult-content' };
  await store.append({ ...notice, subjectId: 'alice', version: '1.0.0', state: 'given', at: '2025-01-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'bob', version: '1.0.0', state: 'given', at: '2025-01-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'bob', version: '1.0.0', state: 'withdrawn', at: '2025-06-01T11:59:59.999Z' });
  await store.append({ ...notice, subjectId: 'alice', version: '2.0.0', state: 'given', at: '2025-07-01T00:00:00.000Z' });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (claims: Record<string, unknown> = {}) =>
  mintAttestation(
    { iss: ISS, aud: 'saferoute', iat: sec - 60, exp: sec + 3600, age_over_18: true, age_method: 'digital_id_wallet', age_assurance_level: 'high', jti: 'att-42', ...claims },
    { privateJwk: pair.privateJwk },
  );

describe('subject resolver', () => {
  it('builds a verified subject context: age evidence, consent events up to the decision, jurisdiction with its source', async () => {
    const resolver = createSubjectResolver({ verifier, consentStore: store });
    const context = await resolver.resolve({ subjectId: 'alice', attestationToken: await token(), jurisdiction: { code: 'kr', source: 'account' } }, AT);
    expect(context).toEqual({
      id: 'alice',
      jurisdiction: 'KR',
      jurisdictionSource: 'account',
      age: {
        over: 18,
        method: 'digital_id_wallet',
        level: 'strict',
        verifiedAt: new Date((sec - 60) * 1000).toISOString(),
        expiresAt: new Date((sec + 3600) * 1000).toISOString(),
        issuer: ISS,
        attestationId: 'att-42',
      },
      consents: [{ scope: 'adult-content', version: '1.0.0', state: 'given', at: '2025-01-01T00:00:00.000Z', recordId: expect.any(String), noticeSha256: 'c'.repeat(64) }],
    });
  });

  it('records a rejected attestation as data, with no age', async () => {
    const resolver = createSubjectResolver({ verifier, consentStore: store });
    const expired = await resolver.resolve({ subjectId: 'alice', attestationToken: await token({ exp: sec - 3600 }) }, AT);
    expect(expired.age).toBeUndefined();
    expect(expired.rejectedAttestations).toEqual([{ reason: 'expired', issuer: ISS }]);
    const garbage = await resolver.resolve({ attestationToken: 'not-a-token' }, AT);
    expect(garbage).toEqual({ jurisdictionSource: 'unknown', rejectedAttestations: [{ reason: 'malformed' }], consents: [] });
  });

  it('sees a withdrawal made 1 ms before the decision', async () => {
    const resolver = createSubjectResolver({ verifier, consentStore: store });
    const context = await resolver.resolve({ subjectId: 'bob', headers: { 'cf-ipcountry': 'GB' } }, AT);
    expect(consentStateAt(context.consents ?? [], 'adult-content', AT).state).toBe('withdrawn');
    expect([context.jurisdiction, context.jurisdictionSource]).toEqual(['GB', 'header']);
  });

  it('gives unknown subjects no consents and unknown regions no jurisdiction, saying where the rejected value came from', async () => {
    const resolver = createSubjectResolver({ verifier, consentStore: store });
    expect(await resolver.resolve({ subjectId: 'nobody', jurisdiction: 'XX' }, AT)).toEqual({
      id: 'nobody',
      jurisdictionSource: 'unknown',
      jurisdictionRejected: 'declared',
      consents: [],
    });
    expect(await resolver.resolve({ subjectId: '' }, AT)).toEqual({ jurisdictionSource: 'unknown', consents: [] });
  });

  it('pseudonymises the id when given the key, and can bind the token to the subject', async () => {
    const resolver = createSubjectResolver({ verifier, consentStore: store, pseudonymKey: KEY, bindSubject: true });
    const bound = await resolver.resolve({ subjectId: 'alice', attestationToken: await token({ sub: 'alice', jti: 'b1' }) }, AT);
    expect(bound.id).toBe(pseudonymise('alice', KEY));
    expect(bound.age?.over).toBe(18);
    const stolen = await resolver.resolve({ subjectId: 'mallory', attestationToken: await token({ sub: 'alice', jti: 'b2' }) }, AT);
    expect(stolen.age).toBeUndefined();
    expect(stolen.rejectedAttestations).toEqual([{ reason: 'subject_mismatch', issuer: ISS }]);
  });

  it('throws consent_store_failed when the store fails, so the engine fails closed', async () => {
    const failing: ConsentStore = {
      append: () => Promise.reject(new Error('disk on fire')),
      events: () => Promise.reject(new Error('disk on fire')),
      stateAt: () => Promise.reject(new Error('disk on fire')),
      close: () => Promise.resolve(),
    };
    const resolver = createSubjectResolver({ verifier, consentStore: failing });
    await expect(resolver.resolve({ subjectId: 'alice', attestationToken: await token({ jti: 'c1' }) }, AT)).rejects.toMatchObject({
      code: 'consent_store_failed',
    });
    // Without a subject there is nothing to load, so nothing fails.
    expect((await resolver.resolve({}, AT)).consents).toEqual([]);
  });
});

describe('unmetCodeForRejection', () => {
  it('maps expiry to age_verification_expired and everything else to age_verification_invalid', () => {
    expect(unmetCodeForRejection('expired')).toBe('age_verification_expired');
    for (const reason of ['bad_signature', 'replayed', 'unknown_issuer', 'malformed', 'not_yet_valid', 'unknown_method']) {
      expect(unmetCodeForRejection(reason)).toBe('age_verification_invalid');
    }
  });
});
