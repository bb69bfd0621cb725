import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/decision/decide.js';
import type { Decision } from '../../src/decision/decision.js';
import { loadPolicyOrThrow, validatePolicyObject, validatePolicyObjectOrThrow } from '../../src/policy/load-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import { createAttestationVerifier } from '../../src/subjects/attestation/attestation-verifier.js';
import { generateIssuerKeyPair, type IssuerKeyPair } from '../../src/subjects/attestation/issuer-key-pair.js';
import { mintAttestation } from '../../src/subjects/attestation/mint-attestation.js';
import type { ConsentStore } from '../../src/subjects/consent/consent-store.js';
import { createSubjectResolver, type SubjectResolver } from '../../src/subjects/resolve-subject.js';
import type { SubjectContext } from '../../src/subjects/subject-context.js';

// An adversarial review found that a jurisdiction the engine cannot read (`KR-`, `US-UT, US-CA`,
// `KR` with a zero-width space, an unassigned code) fell back to the `*` row, which is less strict
// than the row meant: a Korean subject (19+) passed as 18+. Unreadable now means the strictest
// combination of every row (or the `*` row when the policy says `default-row`), recorded in the
// decision. The shipped default policy: `*` 18, KR 19, US-UT strict assurance, XX denies restricted.

const DEFAULT = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
const NOW = new Date('2026-11-28T12:00:00Z');
const sec = NOW.getTime() / 1000;
const ISS = 'https://av.example';

let policy: Policy;
let pair: IssuerKeyPair;
let resolver: SubjectResolver;

const consent = [{ scope: 'adult-content', version: '2.0.0', state: 'given' as const, at: '2026-10-01T00:00:00Z' }];
/** A verified, consenting 18-year-old (enhanced assurance): enough for `*`, not for KR or US-UT. */
const adult = (jurisdiction?: string): SubjectContext => ({
  id: 'u1',
  ...(jurisdiction !== undefined ? { jurisdiction } : {}),
  age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-10-01T00:00:00Z' },
  consents: consent,
});
const adultContent = (subject: SubjectContext, p: Policy = policy): Promise<Decision> => decide({ scores: { sexual: 0.95 }, subject, now: NOW }, p);
const codes = (d: Decision): string[] => d.unmet.map((u) => u.code).sort();

const UNREADABLE = ['KR-', 'US-UT, US-CA', 'US-UT,US-CA', 'KR\u200b', '\u200bKR', 'K\u200bR', 'KR\u00a0', 'KR\ufeff', '\ufeffKR', 'ＫＲ', 'K R', 'US--UT', 'US-UT-X', 'USA', 'K', '-', 'KR;US', 'US/UT', 'ZZ', 'EU', 'T1', 'AA-BB'];
const STRICTEST = ['age_assurance_insufficient', 'age_below_minimum', 'jurisdiction_restricted'];

beforeAll(async () => {
  policy = await loadPolicyOrThrow(DEFAULT);
  pair = await generateIssuerKeyPair('ES256', 'k');
  resolver = createSubjectResolver({
    verifier: createAttestationVerifier({ issuers: [{ issuer: ISS, keys: pair.jwks }], audience: 'saferoute', now: () => NOW }),
    consentStore: { events: async () => [{ subjectId: 'u1', scope: 'adult-content', version: '2.0.0', state: 'given', at: '2026-10-01T00:00:00.000Z', recordId: 'r1', noticeId: 'n', noticeSha256: 'a'.repeat(64), collectionMethod: 'web_form' }] } as unknown as ConsentStore,
  });
});

async function viaResolver(request: { jurisdiction?: string; headers?: Record<string, string> }): Promise<Decision> {
  const attestationToken = await mintAttestation(
    { iss: ISS, aud: 'saferoute', iat: sec - 60, exp: sec + 3600, age_over_18: true, age_method: 'photo_id_match', age_assurance_level: 'enhanced' },
    { privateJwk: pair.privateJwk },
  );
  const subject = await resolver.resolve({ subjectId: 'u1', attestationToken, ...request }, NOW);
  return adultContent(subject);
}

describe('a jurisdiction that cannot be read gets the strictest row', () => {
  for (const value of UNREADABLE) {
    it(`given as data: ${JSON.stringify(value)}`, async () => {
      const d = await adultContent(adult(value));
      expect(d.outcome).toBe('block');
      expect(codes(d)).toEqual(STRICTEST);
      expect(d.subject?.jurisdiction).toMatchObject({ row: 'strictest', source: 'unknown', unresolved: { applied: 'strictest', rows: ['*', 'KR', 'US-UT', 'XX'] } });
      // What was given is recorded, readable and short; invisible characters are escaped.
      expect(d.subject?.jurisdiction.code).toMatch(/^[\x21-\x7e…]{1,40}$/);
    });
    it(`given to the subject resolver, declared or in a header: ${JSON.stringify(value)}`, async () => {
      for (const request of [{ jurisdiction: value }, { headers: { 'cf-ipcountry': value } }]) {
        const d = await viaResolver(request);
        expect(d.outcome).toBe('block');
        expect(codes(d)).toEqual(STRICTEST);
        expect(d.subject?.jurisdiction).toMatchObject({ row: 'strictest', source: 'unknown', unresolved: { reason: 'malformed' } });
      }
    });
  }

  it('says why in the unmet requirement', async () => {
    const d = await adultContent(adult('KR-'));
    expect(d.unmet.find((u) => u.code === 'jurisdiction_restricted')?.detail).toMatch(/not a region code \(`KR-`\), so the strictest jurisdiction row applies/);
    expect((await adultContent(adult('ZZ'))).subject?.jurisdiction.unresolved?.reason).toBe('unknown');
    expect((await adultContent(adult('KR\u200b'))).subject?.jurisdiction.code).toBe('KR\\u200b');
  });

  it('reads harmless variants as the region they name', async () => {
    expect(codes(await adultContent(adult('kr')))).toEqual(['age_below_minimum']);
    expect(codes(await adultContent(adult(' KR ')))).toEqual(['age_below_minimum']);
    expect(codes(await adultContent(adult('us_ut')))).toEqual(['age_assurance_insufficient']);
    expect((await adultContent(adult('gb'))).subject?.jurisdiction).toEqual({ code: 'GB', row: '*', source: 'declared' });
    expect(codes(await viaResolver({ jurisdiction: ' kr ' }))).toEqual(['age_below_minimum']);
  });

  it('gives a valid region the table does not list the `*` row, and no jurisdiction at all too', async () => {
    for (const subject of [adult('FR'), adult('DE-BY'), adult()]) {
      const d = await adultContent(subject);
      expect(d).toMatchObject({ outcome: 'route', target: 'restricted' });
      expect(d.subject?.jurisdiction.row).toBe('*');
      expect(d.subject?.jurisdiction.unresolved).toBeUndefined();
    }
  });

  it('uses the `*` row instead under `defaults.unknownJurisdiction: default-row`, and records that', async () => {
    const doc = JSON.parse(readFileSync(DEFAULT, 'utf8')) as { defaults: Record<string, unknown> };
    doc.defaults['unknownJurisdiction'] = 'default-row';
    const lenient = validatePolicyObjectOrThrow(doc);
    const d = await adultContent(adult('KR-'), lenient);
    expect(d).toMatchObject({ outcome: 'route', target: 'restricted' });
    expect(d.subject?.jurisdiction).toMatchObject({ row: '*', source: 'unknown', unresolved: { reason: 'malformed', applied: 'default-row' } });
  });

  it('a product policy cannot loosen its baseline’s `strictest`', () => {
    const r = validatePolicyObject({ extends: DEFAULT, id: 'product', revision: '1', defaults: { route: 'sfw', unknownJurisdiction: 'default-row' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.document.defaults.unknownJurisdiction).toBe('strictest');
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/`default-row` is less strict than the base policy’s `strictest`/);
    expect(validatePolicyObject({ ...JSON.parse(readFileSync(DEFAULT, 'utf8')), defaults: { route: 'sfw', unknownJurisdiction: 'lenient' } }).ok).toBe(false);
  });

  it('the strictest row combines every row: highest age and level, common methods, shortest validity, every denial', async () => {
    const doc = JSON.parse(readFileSync(DEFAULT, 'utf8')) as Record<string, unknown>;
    doc['jurisdictions'] = {
      '*': { minimumAge: 18, methods: ['photo_id_match', 'digital_id_wallet'], maxAgeDays: 400 },
      GB: { minimumAge: 18, methods: ['photo_id_match', 'credit_card'] },
      DE: { minimumAge: 18, maxAgeDays: 30 },
      AF: { deny: ['private'] },
    };
    const p = validatePolicyObjectOrThrow(doc);
    const subject: SubjectContext = { ...adult('??'), age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-09-01T00:00:00Z' } };
    expect(codes(await adultContent(subject, p))).toEqual(['age_verification_expired']);
    expect(codes(await adultContent({ ...subject, age: { ...subject.age!, method: 'credit_card', verifiedAt: '2026-11-20T00:00:00Z' } }, p))).toEqual(['age_method_not_accepted']);
    const pii = await decide({ scores: { pii: 0.9 }, subject, now: NOW }, p);
    expect(pii.unmet.map((u) => u.code)).toEqual(['jurisdiction_restricted']);
  });

  it('rules testing the jurisdiction see the region as the table does, and nothing for a malformed one', async () => {
    const doc = JSON.parse(readFileSync(DEFAULT, 'utf8')) as { rules: unknown[] };
    doc.rules.push({ id: 'block-kr', description: 'd', when: { subject: 'jurisdiction', in: ['KR'] }, effect: { action: 'block', reason: 'kr' } });
    const p = validatePolicyObjectOrThrow(doc);
    const blockKr = async (j: string): Promise<boolean> => (await decide({ scores: {}, subject: adult(j), now: NOW }, p)).matchedRules.includes('block-kr');
    expect(await blockKr('kr')).toBe(true);
    expect(await blockKr(' KR ')).toBe(true);
    expect(await blockKr('KR\u200b')).toBe(false);
  });
});
