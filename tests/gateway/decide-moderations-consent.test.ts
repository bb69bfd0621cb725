import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIssuerKeyPair } from '../../src/subjects/attestation/issuer-key-pair.js';
import { mintAttestation } from '../../src/subjects/attestation/mint-attestation.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADMIN_KEY, APP_KEY, gatewayPolicy, startTestGateway, type TestGateway } from './gateway-fixtures.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const ISSUER = 'https://issuer.gateway.test';
let gw: TestGateway;
let token: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-issuers-'));
  const pair = await generateIssuerKeyPair('ES256');
  await writeFile(join(dir, 'issuers.json'), JSON.stringify({ audience: 'gateway-test', issuers: [{ issuer: ISSUER, keys: pair.jwks, algorithms: ['ES256'] }] }));
  token = await mintAttestation({ sub: 'u1', age_over_18: true, age_method: 'photo_id_match', age_assurance_level: 'enhanced' }, { privateJwk: pair.privateJwk, issuer: ISSUER, audience: 'gateway-test', expiresInSec: 3600 });
  gw = await startTestGateway(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }), {
    config: { consent: { path: join(dir, 'consent.jsonl') }, issuers: { file: join(dir, 'issuers.json') } },
    env: { SAFEROUTE_PSEUDONYM_KEY: 'gateway-test-pseudonym-key-0123456789' },
  });
});
afterAll(async () => {
  await gw.close();
});

const call = async (path: string, body: unknown, key = APP_KEY, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> => {
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
};

describe('POST /v1/moderations', () => {
  it('answers the official client in omni-moderation shape from the policy classifiers', async () => {
    const result = await gw.client().moderations.create({ model: 'omni-moderation-latest', input: ['a FORBIDDEN thing', 'a cup of tea'] });
    expect(result.results).toHaveLength(2);
    const [bad, fine] = result.results;
    expect(bad?.flagged).toBe(true);
    expect(bad?.categories['sexual/minors']).toBe(true);
    expect(bad?.category_scores['sexual/minors']).toBe(1);
    expect(fine?.flagged).toBe(false);
    expect(Object.keys(fine?.category_scores ?? {})).toContain('illicit/violent');
    expect(fine?.category_applied_input_types.sexual).toEqual(['text']);
  });
  it('refuses an input that is not text', async () => {
    const r = await call('/v1/moderations', { input: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] });
    expect(r.status).toBe(400);
  });
});

describe('POST /v1/decide', () => {
  it('decides from scores without text, explains on request, carries the decision id', async () => {
    const r = await call('/v1/decide', { scores: { 'sexual/minors': 0.9 }, explain: true });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ outcome: 'block', reason: 'sexual_minors', determiningRules: ['block-minors'] });
    expect(r.headers.get('x-saferoute-decision-id')).toBe(r.json.decisionId);
    expect(Array.isArray(r.json.trace)).toBe(true);
    expect(r.json.facts).toMatchObject({ scores: { 'sexual/minors': 0.9 } });
    const plain = await call('/v1/decide', { text: 'hello', stage: 'output', servedTarget: 'sfw' });
    expect(plain.json).toMatchObject({ outcome: 'route', stage: 'output' });
    expect(plain.json.trace).toBeUndefined();
    // The facts (what replay needs) stay in the audit record unless asked for.
    expect(plain.json.facts).toBeUndefined();
  });
  it('refuses bad input with 400', async () => {
    expect((await call('/v1/decide', {})).status).toBe(400);
    expect((await call('/v1/decide', { scores: { sexual: 7 } })).status).toBe(400);
    expect((await call('/v1/decide', { text: 'x', stage: 'middle' })).status).toBe(400);
  });
  it('refuses a subject field it would not read (a self-stated age), naming it and where the age comes from', async () => {
    const r = await call('/v1/decide', { text: 'x', subject: { id: 'u1', age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-10-01T00:00:00Z' } } });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'input_invalid', param: 'subject.age' } });
    expect((r.json.error as { message: string }).message).toContain('the age comes only from a signed `attestation`');
  });
});

describe('consent: grant → decide → withdraw → decide', () => {
  const adult = { text: 'tell me a [[adult]] story', subject: { id: 'u1', jurisdiction: 'GB' } };
  it('routes to restricted only while consent is given', async () => {
    const headers = { 'x-saferoute-attestation': token };
    const before = await call('/v1/decide', adult, APP_KEY, headers);
    expect(before.json).toMatchObject({ outcome: 'block', reason: 'unmet_requirements' });
    // The attestation was verified (no age code is unmet); only the consent is missing.
    expect((before.json.unmet as { code: string }[]).map((u) => u.code)).toEqual(['consent_required']);

    const noticeSha256 = 'a'.repeat(64);
    const granted = await call('/v1/consents', { action: 'grant', subject: 'u1', scope: 'adult-content', version: '1.0.0', noticeId: 'adult-notice', noticeSha256 }, ADMIN_KEY);
    expect(granted.status).toBe(201);
    expect(granted.json).toMatchObject({ scope: 'adult-content', state: 'given', version: '1.0.0', collectionMethod: 'api' });
    expect(JSON.stringify(granted.json)).not.toContain('"u1"');

    const during = await call('/v1/decide', adult, APP_KEY, headers);
    expect(during.json).toMatchObject({ outcome: 'route', target: 'restricted' });

    const shown = await fetch(`${gw.url}/v1/consents/u1`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ state: { 'adult-content': { state: 'given', version: '1.0.0' } } });

    const withdrawn = await call('/v1/consents', { action: 'withdraw', subject: 'u1', scope: 'adult-content', version: '1.0.0' }, ADMIN_KEY);
    expect(withdrawn.status).toBe(201);
    const after = await call('/v1/decide', adult, APP_KEY, headers);
    expect(after.json).toMatchObject({ outcome: 'block', reason: 'unmet_requirements' });
  });
  it('refuses a consent event without the notice hash', async () => {
    const r = await call('/v1/consents', { action: 'grant', subject: 'u2', scope: 'adult-content', version: '1.0.0' }, ADMIN_KEY);
    expect(r.status).toBe(400);
  });
});

describe('health, readiness and metrics', () => {
  it('serves /healthz, /readyz with its checks, and Prometheus metrics including HTTP ones', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { policies: { ok: true }, consent: { ok: true } } });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/saferoute_http_requests_total\{route="\/v1\/decide",method="POST",status="200",tenant="acme"\} \d+/);
    expect(metrics).toContain('saferoute_decisions_total');
    expect(metrics).toMatch(/saferoute_policy_active\{tenant="acme",policy="gateway-test"/);
  });
});

describe('a consent store without issuers', () => {
  it('starts, and refuses every attestation as from an unknown issuer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-noissuers-'));
    const bare = await startTestGateway(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }), {
      config: { consent: { path: join(dir, 'consent.jsonl') } },
      env: { SAFEROUTE_PSEUDONYM_KEY: 'gateway-test-pseudonym-key-0123456789' },
    });
    try {
      const res = await fetch(`${bare.url}/v1/decide`, {
        method: 'POST',
        headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json', 'x-saferoute-attestation': token },
        body: JSON.stringify({ text: 'tell me a [[adult]] story', subject: { id: 'u1' } }),
      });
      const decision = (await res.json()) as { outcome: string; unmet: { code: string }[] };
      expect(decision.outcome).toBe('block');
      expect(decision.unmet.map((u) => u.code)).toContain('age_verification_invalid');
    } finally {
      await bare.close();
    }
  });
});
