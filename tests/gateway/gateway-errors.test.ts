import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADMIN_KEY, APP_KEY, gatewayPolicy, startTestGateway, type TestGateway } from './gateway-fixtures.js';
import { DEFAULT_LIMITS } from '../../src/gateway/gateway-config.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
let gw: TestGateway;
let dead: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }), {
    config: { limits: { ...DEFAULT_LIMITS, maxBodyBytes: 4096, maxConcurrentStreamsPerKey: 1 } },
  });
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  dead = await startTestGateway(gatewayPolicy({ openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' }));
});
afterAll(async () => {
  await gw.close();
  await dead.close();
});

const post = (url: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('gateway errors in OpenAI shape', () => {
  it('401 without a key and with a wrong one', async () => {
    const missing = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: 'authentication_error', code: 'missing_api_key' } });
    const wrong = await gw.client('sr_not_a_key').chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('403 for an admin endpoint with a key that lacks the admin scope', async () => {
    const res = await post(`${gw.url}/v1/consents`, JSON.stringify({ action: 'grant', subject: 'u1' }), { authorization: `Bearer ${APP_KEY}` });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { type: 'permission_error', code: 'insufficient_scope' } });
    const admin = await fetch(`${gw.url}/v1/consents/u1`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    // The admin key gets past the scope check; this gateway has no consent store configured.
    expect(admin.status).toBe(503);
    expect(await admin.json()).toMatchObject({ error: { code: 'consent_store_not_configured' } });
  });

  it('413 for a body over the limit, declared or chunked', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    const declared = await post(`${gw.url}/v1/chat/completions`, big, { authorization: `Bearer ${APP_KEY}` });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'request_too_large' } });
    const bytes = new TextEncoder().encode(big);
    const chunked = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.slice(i, i + 1000));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('400 for malformed JSON and for a request that is not a chat request', async () => {
    const malformed = await post(`${gw.url}/v1/chat/completions`, '{"messages": [', { authorization: `Bearer ${APP_KEY}` });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
    const noMessages = await gw.client().chat.completions.create({ model: 'x' } as never).catch((e: unknown) => e);
    expect(noMessages).toBeInstanceOf(OpenAI.BadRequestError);
    const badRole = await gw.client().chat.completions.create({ model: 'x', messages: [{ role: 'wizard', content: 'hi' }] } as never).catch((e: unknown) => e);
    expect((badRole as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('input_invalid');
  });

  it('502 naming the target when its upstream is down, streaming or not', async () => {
    const error = await dead.client().chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.code).toBe('provider_failed');
    expect(e.message).toContain('target `sfw`');
    expect(e.message).toContain('127.0.0.1:9');
    const streamed = await dead.client().chat.completions.create({ model: 'x', stream: true, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((streamed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('429 when a key opens more streams than its limit', async () => {
    openai.setScript({ text: 'word '.repeat(200), delayMs: 5 });
    const open = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'talk' }] }), { authorization: `Bearer ${APP_KEY}` });
    expect(open.status).toBe(200);
    const second = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'talk' }] }), { authorization: `Bearer ${APP_KEY}` });
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'too_many_streams' } });
    // Another key of the tenant has its own allowance.
    const other = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'talk' }] }), { authorization: `Bearer ${ADMIN_KEY}` });
    expect(other.status).toBe(200);
    await Promise.all([open.body?.cancel(), other.body?.cancel()]);
  });

  it('404 in OpenAI shape for an unknown route', async () => {
    const res = await fetch(`${gw.url}/v1/embeddings`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});

describe('a slow upstream', () => {
  it('is given up after limits.upstreamTimeoutMs: 504 naming the target', { timeout: 20_000 }, async () => {
    const slow = await startTestGateway(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }), { config: { limits: { ...DEFAULT_LIMITS, upstreamTimeoutMs: 300 } } });
    try {
      openai.always('/v1/chat/completions', { kind: 'hang' });
      const started = Date.now();
      const error = await slow.client().chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
      expect((error as Error).message).toContain('target `sfw`');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      openai.always('/v1/chat/completions', undefined);
      await slow.close();
    }
  });
});
