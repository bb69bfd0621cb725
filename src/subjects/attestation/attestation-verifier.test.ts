import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttestationVerifier, type AttestationVerifierOptions } from './attestation-verifier.js';
import { AttestationConfigError } from './attestation-config-error.js';
import { generateIssuerKeyPair, type IssuerKeyPair } from './issuer-key-pair.js';
import { mintAttestation } from './mint-attestation.js';
import { createMemoryReplayStore } from './replay-store.js';

const ISS = 'https://av.example';
const AUD = 'saferoute-test';
const NOW = new Date('2025-06-01T12:00:00Z');
const nowSec = NOW.getTime() / 1000;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Signs arbitrary header/payload text, so tests can build tokens no library would produce. */
function signRaw(header: string, payload: string, key: KeyObject | Buffer, alg: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  let sig: Buffer;
  if (alg.startsWith('HS')) sig = createHmac(`sha${alg.slice(2)}`, key).update(input).digest();
  else if (alg === 'EdDSA') sig = sign(null, Buffer.from(input), key as KeyObject);
  else if (alg.startsWith('ES')) sig = sign(`sha${alg.slice(2)}`, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else sig = sign(`sha${alg.slice(2)}`, Buffer.from(input), key as KeyObject);
  return `${input}.${sig.toString('base64url')}`;
}

const baseClaims = {
  iss: ISS,
  aud: AUD,
  iat: nowSec - 60,
  exp: nowSec + 3600,
  age_over_18: true,
  age_method: 'photo_id_match',
  age_assurance_level: 'enhanced',
};

let es: IssuerKeyPair;
let ed: IssuerKeyPair;
let rsa: IssuerKeyPair;
let other: IssuerKeyPair;

beforeAll(async () => {
  [es, ed, rsa, other] = await Promise.all([
    generateIssuerKeyPair('ES256', 'es-1'),
    generateIssuerKeyPair('EdDSA', 'ed-1'),
    generateIssuerKeyPair('RS256', 'rsa-1'),
    generateIssuerKeyPair('ES256', 'es-1'),
  ]);
});

function verifier(overrides: Partial<AttestationVerifierOptions> = {}) {
  return createAttestationVerifier({
    issuers: [{ issuer: ISS, keys: es.jwks }],
    audience: AUD,
    now: () => NOW,
    ...overrides,
  });
}

const mint = (claims: Record<string, unknown>, pair: IssuerKeyPair = es) => mintAttestation({ ...baseClaims, ...claims }, { privateJwk: pair.privateJwk, now: () => NOW });

function privateKeyOf(pair: IssuerKeyPair): KeyObject {
  return createPrivateKey({ key: pair.privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
}

function publicPemOf(pair: IssuerKeyPair, type: 'spki' | 'pkcs1' = 'spki'): string {
  return createPublicKey(privateKeyOf(pair)).export({ type, format: 'pem' }) as string;
}

describe('attestation verifier: valid tokens', () => {
  it('verifies an ES256 token and normalises its claims', async () => {
    const token = await mint({ jti: 'att-1', age_over_21: true, age_over_25: false, age_verified_at: nowSec - 86_400 });
    const result = await verifier().verify(token);
    expect(result).toEqual({
      ok: true,
      attestation: {
        over: 21,
        method: 'photo_id_match',
        level: 'enhanced',
        verifiedAt: new Date((nowSec - 86_400) * 1000).toISOString(),
        expiresAt: new Date((nowSec + 3600) * 1000).toISOString(),
        issuer: ISS,
        attestationId: 'att-1',
        algorithm: 'ES256',
        keyId: 'es-1',
        singleUse: false,
      },
    });
  });

  it('verifies EdDSA and RS256 tokens, with either signature backend', async () => {
    for (const backend of ['node', 'jose'] as const) {
      const v = verifier({ signatureBackend: backend, issuers: [{ issuer: ISS, keys: { keys: [ed.publicJwk, rsa.publicJwk] } }] });
      const a = await v.verify(await mint({}, ed));
      const b = await v.verify(await mint({}, rsa));
      expect(a.ok && a.attestation.algorithm).toBe('EdDSA');
      expect(b.ok && b.attestation.algorithm).toBe('RS256');
    }
  });

  it('ignores unknown claims', async () => {
    const result = await verifier().verify(await mint({ vendor_score: 0.97, nested: { a: [1, 2, { b: 'c' }] }, locale: 'en' }));
    expect(result.ok).toBe(true);
  });

  it('reads age_equal_or_over and maps eIDAS levels', async () => {
    const result = await verifier().verify(
      await mint({ age_over_18: undefined, age_equal_or_over: { '16': true, '18': true, '21': false }, age_assurance_level: 'substantial' }),
    );
    expect(result.ok && [result.attestation.over, result.attestation.level]).toEqual([18, 'enhanced']);
    const high = await verifier().verify(await mint({ age_assurance_level: 'http://eidas.europa.eu/LoA/high' }));
    expect(high.ok && high.attestation.level).toBe('strict');
  });

  it('reads OpenID verified_claims, turning a birthdate into an age at decision time without keeping it', async () => {
    const token = await mint({
      age_over_18: undefined,
      age_method: undefined,
      age_assurance_level: undefined,
      verified_claims: {
        verification: {
          trust_framework: 'eidas',
          assurance_level: 'high',
          time: '2025-01-10T09:00:00Z',
          evidence: [{ type: 'document', method: 'pipp' }],
        },
        claims: { birthdate: '2006-01-11' },
      },
    });
    const result = await verifier().verify(token);
    // 18 when verified on 2025-01-10, 19 the next day: the age is the one at decision time (June 2025).
    expect(result.ok && result.attestation).toMatchObject({ over: 19, method: 'photo_id_match', level: 'strict', verifiedAt: '2025-01-10T09:00:00.000Z', trustFramework: 'eidas' });
    // Neither the birthdate nor its field survives (the result's random ids may hold the digits 2006).
    const kept = JSON.stringify(result);
    expect(kept).not.toContain('2006-01-11');
    expect(kept).not.toContain('birthdate');
  });

  it('treats a token that only says "not over 18" as evidence of age 0, not as missing', async () => {
    const result = await verifier().verify(await mint({ age_over_18: false }));
    expect(result.ok && result.attestation.over).toBe(0);
  });

  it('keeps a self-declared age at level asserted whatever the token claims', async () => {
    const result = await verifier().verify(await mint({ age_method: 'self-declared', age_assurance_level: 'strict' }));
    expect(result.ok && [result.attestation.method, result.attestation.level]).toEqual(['self_declaration', 'asserted']);
  });

  it('reports an old verification with its true verification time', async () => {
    const verifiedAt = nowSec - 400 * 86_400;
    const result = await verifier().verify(await mint({ age_verified_at: verifiedAt }));
    expect(result.ok && result.attestation.verifiedAt).toBe(new Date(verifiedAt * 1000).toISOString());
  });

  it('falls back to iat for the verification time', async () => {
    const result = await verifier().verify(await mint({ iat: nowSec - 10 }));
    expect(result.ok && result.attestation.verifiedAt).toBe(new Date((nowSec - 10) * 1000).toISOString());
  });

  it('explains each check', async () => {
    const result = await verifier().verify(await mint({}), { explain: true });
    expect(result.checks?.map((c) => c.check)).toEqual(['structure', 'issuer', 'algorithm', 'key', 'signature', 'audience', 'exp', 'iat', 'age_claims']);
    expect(result.checks?.every((c) => c.ok)).toBe(true);
  });

  it('accepts keys as PEM, from a JWKS file, and HS256 with a long enough shared secret', async () => {
    const pem = publicPemOf(es);
    const fromPem = verifier({ issuers: [{ issuer: ISS, keys: { pem, kid: 'es-1' } }] });
    expect((await fromPem.verify(await mint({}))).ok).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'sr-jwks-'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(es.jwks));
    const fromFile = verifier({ baseDir: dir, issuers: [{ issuer: ISS, jwksFile: 'jwks.json' }] });
    expect((await fromFile.verify(await mint({}))).ok).toBe(true);

    const secret = Buffer.alloc(32, 7);
    const hs = verifier({ issuers: [{ issuer: ISS, keys: { kty: 'oct', k: secret.toString('base64url') }, algorithms: ['HS256'] }] });
    const token = signRaw('{"alg":"HS256"}', JSON.stringify(baseClaims), secret, 'HS256');
    expect((await hs.verify(token)).ok).toBe(true);
  });
});

describe('attestation verifier: rejections', () => {
  it('refuses a forged signature (same kid, other key) and a tampered payload', async () => {
    const forged = await mint({}, other);
    expect(await verifier().verify(forged)).toMatchObject({ ok: false, reason: 'bad_signature', issuer: ISS });
    const genuine = await mint({ age_over_18: false });
    const [h, , s] = genuine.split('.');
    const tampered = `${h}.${b64(JSON.stringify({ ...baseClaims, age_over_18: true }))}.${s}`;
    for (const backend of ['node', 'jose'] as const) {
      expect(await verifier({ signatureBackend: backend }).verify(tampered)).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(await verifier({ signatureBackend: backend }).verify(forged)).toMatchObject({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses an unknown issuer and a token without iss', async () => {
    expect(await verifier().verify(await mint({ iss: 'https://evil.example' }))).toMatchObject({ ok: false, reason: 'unknown_issuer' });
    expect(await verifier().verify(await mint({ iss: undefined }))).toMatchObject({ ok: false, reason: 'missing_claims' });
  });

  it('refuses expired, not-yet-valid and future-issued tokens, within the configured skew only', async () => {
    const v = verifier({ clockSkewSec: 30 });
    expect(await v.verify(await mint({ exp: nowSec - 31 }))).toMatchObject({ ok: false, reason: 'expired' });
    expect((await v.verify(await mint({ exp: nowSec - 29 }))).ok).toBe(true);
    expect(await v.verify(await mint({ nbf: nowSec + 31 }))).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect((await v.verify(await mint({ nbf: nowSec + 29 }))).ok).toBe(true);
    expect(await v.verify(await mint({ iat: nowSec + 3600 }))).toMatchObject({ ok: false, reason: 'issued_in_future' });
    expect(await v.verify(await mint({ age_verified_at: nowSec + 3600 }))).toMatchObject({ ok: false, reason: 'issued_in_future' });
    expect(await verifier({ clockSkewSec: 0 }).verify(await mint({ exp: nowSec - 1 }))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses timestamps far in the past or future, and ones that are not dates', async () => {
    const v = verifier();
    expect(await v.verify(await mint({ iat: 0, exp: 1 }))).toMatchObject({ ok: false, reason: 'expired' });
    expect(await v.verify(await mint({ iat: 9_999_999_999 }))).toMatchObject({ ok: false, reason: 'issued_in_future' });
    expect(await v.verify(await mint({ nbf: 253_402_300_000 }))).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect(await v.verify(await mint({ exp: 1e20 }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await v.verify(await mint({ exp: '2030-01-01' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await v.verify(await mint({ exp: -5 }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await v.verify(await mint({ age_verified_at: 'yesterday' }))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('requires exp', async () => {
    const token = signRaw('{"alg":"ES256","kid":"es-1"}', JSON.stringify({ ...baseClaims, exp: undefined }), privateKeyOf(es), 'ES256');
    expect(await verifier().verify(token)).toMatchObject({ ok: false, reason: 'missing_claims' });
  });

  it('refuses a wrong or missing audience', async () => {
    expect(await verifier().verify(await mint({ aud: 'someone-else' }))).toMatchObject({ ok: false, reason: 'wrong_audience' });
    expect(await verifier().verify(await mint({ aud: ['a', 'b'] }))).toMatchObject({ ok: false, reason: 'wrong_audience' });
    expect((await verifier().verify(await mint({ aud: ['a', AUD] }))).ok).toBe(true);
    expect(await verifier().verify(await mint({ aud: undefined }))).toMatchObject({ ok: false, reason: 'missing_claims' });
  });

  it('refuses alg none, whatever the payload', async () => {
    const token = `${b64('{"alg":"none"}')}.${b64(JSON.stringify(baseClaims))}.`;
    expect(await verifier().verify(token)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
    const upper = `${b64('{"alg":"NONE","kid":"es-1"}')}.${b64(JSON.stringify(baseClaims))}.`;
    expect(await verifier().verify(upper)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
  });

  it('refuses an RS/HS confusion: HS256 signed with the RSA public key as secret', async () => {
    const publicPem = publicPemOf(rsa, 'pkcs1');
    const spki = publicPemOf(rsa);
    const v = verifier({ issuers: [{ issuer: ISS, keys: spki }] });
    for (const secret of [Buffer.from(spki), Buffer.from(publicPem), Buffer.from(JSON.stringify(rsa.publicJwk))]) {
      const token = signRaw('{"alg":"HS256","kid":"rsa-1"}', JSON.stringify(baseClaims), secret, 'HS256');
      expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
    }
    // Even an issuer that lists RS256 explicitly cannot be tricked by the header.
    const explicit = verifier({ issuers: [{ issuer: ISS, keys: rsa.jwks, algorithms: ['RS256'] }] });
    const token = signRaw('{"alg":"HS256","kid":"rsa-1"}', JSON.stringify(baseClaims), Buffer.from(spki), 'HS256');
    expect(await explicit.verify(token)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
  });

  it('refuses configurations that would allow algorithm confusion', () => {
    const secret = { kty: 'oct', k: Buffer.alloc(64, 1).toString('base64url') };
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: rsa.jwks, algorithms: ['HS256'] }] })).toThrow(/RS\/HS confusion/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: rsa.jwks, algorithms: ['RS256', 'HS256'] }] })).toThrow(AttestationConfigError);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: secret, algorithms: ['RS256'] }] })).toThrow(/symmetric secret/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: secret }] })).toThrow(/explicitly/);
    expect(() => verifier({ issuers: [{ issuer: ISS, jwksUrl: 'https://keys.example/jwks', algorithms: ['HS256'] }] })).toThrow(/JWKS URL/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: es.jwks, algorithms: ['none'] }] })).toThrow(/never/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: es.jwks, algorithms: ['RS256'] }] })).toThrow(/no configured key/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: { kty: 'oct', k: Buffer.alloc(16).toString('base64url') }, algorithms: ['HS256'] }] })).toThrow(/32 bytes/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: es.privateJwk }] })).toThrow(/private key material/);
    expect(() => verifier({ issuers: [{ issuer: ISS, jwksUrl: 'http://keys.example/jwks' }] })).toThrow(/https/);
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: es.jwks }, { issuer: ISS, keys: ed.jwks }] })).toThrow(/twice/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => verifier({ issuers: [{ issuer: ISS, keys: weak }] })).toThrow(/2048/);
    expect(() => verifier({ clockSkewSec: 3600 })).toThrow(AttestationConfigError);
  });

  it('refuses an algorithm the issuer does not accept, and a kid it does not have', async () => {
    const v = verifier({ issuers: [{ issuer: ISS, keys: { keys: [es.publicJwk, rsa.publicJwk] }, algorithms: ['ES256'] }] });
    expect(await v.verify(await mint({}, rsa))).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
    const unknownKid = signRaw('{"alg":"ES256","kid":"nope"}', JSON.stringify(baseClaims), privateKeyOf(es), 'ES256');
    expect(await verifier().verify(unknownKid)).toMatchObject({ ok: false, reason: 'key_unavailable' });
  });

  it('refuses garbage', async () => {
    const v = verifier();
    const garbage: unknown[] = [
      '',
      'abc',
      'a.b.c',
      '...',
      'ey.ey.ey',
      `${b64('[]')}.${b64('{}')}.AA`,
      `${b64('{"alg":"ES256"}')}.${b64('not json')}.AA`,
      `${b64('{"alg":"ES256"}')}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.AA`,
      `${b64('{"alg":"ES256"}')}.${b64('{}')}.AA.BB.CC`,
      `${b64('{"alg":"ES256"}')}.${b64('{}')}.A+/=`,
      `${b64('{"alg":"ES256","crit":["exp"],"exp":1}')}.${b64(JSON.stringify(baseClaims))}.AA`,
      Buffer.from('\u0000\u0001\u0002garbage').toString(),
      42,
      null,
      undefined,
      { token: 'x' },
    ];
    for (const token of garbage) {
      const result = await v.verify(token);
      expect(result.ok, String(token)).toBe(false);
      expect(result.ok === false && result.reason, String(token)).toBe('malformed');
    }
    expect(await v.verify(`${b64('{"alg":"XS999"}')}.${b64('{}')}.AA`)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
  });

  it('refuses a 1 MB token before parsing it', async () => {
    const huge = `${b64('{"alg":"ES256"}')}.${'A'.repeat(1024 * 1024)}.AA`;
    expect(await verifier().verify(huge)).toMatchObject({ ok: false, reason: 'too_large' });
    // Refused on length alone: a megabyte of non-base64 is never looked at, or it would be `malformed`.
    expect(await verifier().verify('!'.repeat(1024 * 1024))).toMatchObject({ ok: false, reason: 'too_large' });
    // Just over the limit is refused too; the limit is configurable.
    const big = await mint({ padding: 'x'.repeat(17_000) });
    expect(await verifier().verify(big)).toMatchObject({ ok: false, reason: 'too_large' });
    expect((await verifier({ maxTokenBytes: 64 * 1024 }).verify(big)).ok).toBe(true);
  });

  it('refuses duplicate claims, at any depth and however they are escaped', async () => {
    const key = privateKeyOf(es);
    const header = '{"alg":"ES256","kid":"es-1"}';
    const claims = JSON.stringify(baseClaims).slice(1, -1);
    const payloads = [
      `{${claims},"age_over_18":false,"age_over_18":true}`,
      `{${claims},"age_over_\\u0032\\u0031":true,"age_over_21":false}`,
      `{"iss":"https://other.example",${claims}}`,
      `{${claims},"verified_claims":{"claims":{"age_over_18":true,"age_over_18":true}}}`,
    ];
    for (const payload of payloads) {
      expect(await verifier().verify(signRaw(header, payload, key, 'ES256')), payload).toMatchObject({ ok: false, reason: 'duplicate_claims' });
    }
    // The same names in different objects are not duplicates.
    const ok = `{${claims},"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]}`;
    expect((await verifier().verify(signRaw(header, ok, key, 'ES256'))).ok).toBe(true);
    expect(await verifier().verify(signRaw('{"alg":"ES256","alg":"ES256","kid":"es-1"}', JSON.stringify(baseClaims), key, 'ES256'))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses unknown methods, unrecognised levels, missing and conflicting age claims', async () => {
    expect(await verifier().verify(await mint({ age_method: 'vibes' }))).toMatchObject({ ok: false, reason: 'unknown_method' });
    expect(await verifier().verify(await mint({ age_method: undefined }))).toMatchObject({ ok: false, reason: 'missing_claims' });
    expect(await verifier().verify(await mint({ age_assurance_level: 'ultra' }))).toMatchObject({ ok: false, reason: 'missing_claims' });
    expect(await verifier().verify(await mint({ age_over_18: undefined }))).toMatchObject({ ok: false, reason: 'missing_claims' });
    expect(await verifier().verify(await mint({ age_over_18: 'true' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifier().verify(await mint({ age_over_21: true, age_over_18: false }))).toMatchObject({ ok: false, reason: 'conflicting_claims' });
    const missingLevel = await verifier().verify(await mint({ age_assurance_level: undefined }));
    expect(missingLevel.ok && missingLevel.attestation.level).toBe('asserted');
  });
});

describe('attestation verifier: single-use tokens', () => {
  it('refuses a replayed single-use token, marked by single_use or by a nonce', async () => {
    const v = verifier();
    for (const marker of [{ single_use: true }, { nonce: 'n-123' }]) {
      const token = await mint({ ...marker, jti: `once-${Object.keys(marker)[0]}` });
      const first = await v.verify(token);
      expect(first.ok && first.attestation.singleUse).toBe(true);
      expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'replayed' });
    }
  });

  it('lets exactly one of many concurrent presentations through', async () => {
    const v = verifier();
    const token = await mint({ single_use: true, jti: 'race' });
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verify(token)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(19);
  });

  it('needs a jti, does not burn it on inspection, and fails closed when the store cannot answer', async () => {
    const v = verifier();
    expect(await v.verify(await mint({ single_use: true, jti: undefined }))).toMatchObject({ ok: false, reason: 'missing_claims' });
    const token = await mint({ single_use: true, jti: 'inspect-me' });
    expect((await v.verify(token, { consume: false })).ok).toBe(true);
    expect((await v.verify(token)).ok).toBe(true);
    expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'replayed' });

    const broken = verifier({ replayStore: { markUsed: () => Promise.reject(new Error('db down')) } });
    expect(await broken.verify(await mint({ single_use: true, jti: 'x' }))).toMatchObject({ ok: false, reason: 'replay_check_failed' });
    // A reusable token does not touch the store.
    expect((await broken.verify(await mint({}))).ok).toBe(true);
  });

  it('does not record a token that fails a later check', async () => {
    const store = createMemoryReplayStore();
    const v = verifier({ replayStore: store });
    const bad = await mint({ single_use: true, jti: 'j', aud: 'other' });
    expect((await v.verify(bad)).ok).toBe(false);
    expect(await store.markUsed(createHashKey(ISS, 'j'), 1000)).toBe(true);
  });

  it('memory store refuses new keys when full of unexpired ones instead of forgetting one', async () => {
    let t = 1000;
    const store = createMemoryReplayStore({ max: 2, now: () => t });
    expect(await store.markUsed('a', 100)).toBe(true);
    expect(await store.markUsed('b', 100)).toBe(true);
    await expect(store.markUsed('c', 100)).rejects.toThrow(/full/);
    t = 1099;
    expect(await store.markUsed('a', 100)).toBe(false);
    t = 1200;
    expect(await store.markUsed('c', 100)).toBe(true);
    expect(await store.markUsed('c', 100)).toBe(false);
  });
});

function createHashKey(issuer: string, jti: string): string {
  return createHash('sha256').update(`${issuer}\u0000${jti}`).digest('hex');
}

describe('attestation verifier: JWKS URL', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  let served: { keys: JWK[] } = { keys: [] };
  let status = 200;

  beforeAll(async () => {
    served = es.jwks as { keys: JWK[] };
    server = createServer((req, res) => {
      requests++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(served));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('fetches once, caches, and refetches on an unknown kid after the cooldown', async () => {
    requests = 0;
    const v = verifier({ issuers: [{ issuer: ISS, jwksUrl: url, jwks: { cooldownMs: 0 } }] });
    expect((await v.verify(await mint({}))).ok).toBe(true);
    expect((await v.verify(await mint({ jti: 'second' }))).ok).toBe(true);
    expect(requests).toBe(1);
    // Rotation: the issuer now signs with a new key the verifier has not seen.
    const rotated = await generateIssuerKeyPair('ES256', 'es-2');
    served = { keys: [es.publicJwk, rotated.publicJwk] };
    expect((await v.verify(await mint({}, rotated))).ok).toBe(true);
    expect(requests).toBe(2);
  });

  it('reports key_unavailable when the JWKS cannot be fetched', async () => {
    status = 500;
    try {
      const v = verifier({ issuers: [{ issuer: ISS, jwksUrl: url }] });
      expect(await v.verify(await mint({}))).toMatchObject({ ok: false, reason: 'key_unavailable' });
    } finally {
      status = 200;
    }
    const closed = verifier({ issuers: [{ issuer: ISS, jwksUrl: 'http://127.0.0.1:1/jwks.json', jwks: { timeoutMs: 500 } }] });
    expect(await closed.verify(await mint({}))).toMatchObject({ ok: false, reason: 'key_unavailable' });
  });
});
