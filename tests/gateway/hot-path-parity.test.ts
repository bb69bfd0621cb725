import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import type { ChatScript } from '../support/fake-chat-upstreams.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { APP_KEY, gatewayPolicy, startTestGateway, type TestGateway } from './gateway-fixtures.js';

/*
 * `POST /v1/chat/completions` is served on `node:http` directly (the hot path) unless
 * `hotPath: false` leaves it to the Hono app. Both must answer byte for byte alike — status,
 * headers, body, stream events — and record the same audit trail. Two gateways over one policy,
 * the same requests to each; what differs by nature (ids, times) is normalised.
 */

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const upstreams = { openaiBaseURL: openai.baseURL, ollamaHost: ollama.host };
let dir: string;
let hot: TestGateway;
let app: TestGateway;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-parity-'));
  const policy = gatewayPolicy(upstreams);
  // One HMAC key for both logs: the text digests of the same requests must then be equal too.
  const env = { SAFEROUTE_AUDIT_HMAC_KEY: 'parity-test-hmac-key-0123456789abcdef0123456789' };
  hot = await startTestGateway(policy, { config: { audit: { dir: join(dir, 'hot'), writerId: 'gw-parity' } }, env });
  app = await startTestGateway(policy, { config: { audit: { dir: join(dir, 'app'), writerId: 'gw-parity' } }, host: { hotPath: false }, env });
});
afterAll(async () => {
  await hot?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const normalise = (text: string): string =>
  text
    .replace(UUID, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"created":\d+/g, '"created":<n>')
    .replace(/chatcmpl-fake\d+/g, 'chatcmpl-fake<n>')
    .replace(/"(latencyMs|ms|seconds|durationMs)":[\d.e-]+/g, '"$1":<n>');

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends the same request, with the same upstream script, to a gateway; what came back, normalised. */
async function send(gw: TestGateway, script: ChatScript, init: { body: string; headers?: Record<string, string> }): Promise<Seen> {
  openai.setScript(script);
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json', 'x-request-id': 'parity-request', ...init.headers },
    body: init.body,
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== 'date') headers[key] = normalise(value);
  });
  const body = await res.text();
  // Ids and timings differ in length from run to run: the length must be right, not equal.
  if (headers['content-length'] != null) {
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(body));
    headers['content-length'] = '<length of the body>';
  }
  return { status: res.status, headers, body: normalise(body) };
}

async function both(script: ChatScript, init: { body: string; headers?: Record<string, string> }): Promise<Seen> {
  const viaHot = await send(hot, script, init);
  const viaApp = await send(app, script, init);
  expect(viaHot).toEqual(viaApp);
  return viaHot;
}

/** A normalised body as data (the placeholders of numbers read as 0). */
const parse = (body: string): unknown => JSON.parse(body.replace(/<n>/g, '0'));
const chat = (content: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ model: 'x', messages: [{ role: 'user', content }], ...extra });

describe('the node:http hot path and the Hono app answer alike', () => {
  it('a plain answer', async () => {
    const seen = await both({ text: 'Paris is the capital of France.' }, { body: chat('Capital of France?') });
    expect(seen.status).toBe(200);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-request-id']).toBe('parity-request');
    expect(seen.headers['x-saferoute-output-decision-id']).toBe('<uuid>');
    expect(parse(seen.body)).toMatchObject({ choices: [{ message: { content: 'Paris is the capital of France.' }, finish_reason: 'stop' }] });
  });

  it('an answer with evidence and a blocked answer', async () => {
    expect(parse((await both({ text: 'Write to jane@example.com today.' }, { body: chat('an address?') })).body)).toMatchObject({ saferoute: { decisions: { output: { scores: { pii: 1 } } } } });
    expect(parse((await both({ text: 'It is FORBIDDEN to say.' }, { body: chat('tell me') })).body)).toMatchObject({ choices: [{ finish_reason: 'content_filter' }] });
  });

  it('a blocked prompt, refused and as a 403', async () => {
    expect(parse((await both({}, { body: chat('something FORBIDDEN') })).body)).toMatchObject({ choices: [{ finish_reason: 'content_filter' }] });
    const error = await both({}, { body: chat('something FORBIDDEN'), headers: { 'x-saferoute-on-block': 'error' } });
    expect(error.status).toBe(403);
    expect(parse(error.body)).toMatchObject({ error: { type: 'content_filter' } });
  });

  it('a stream, and a stream blocked mid-way', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. It was a sunny day by the river bank.';
    const ok = await both({ text }, { body: chat('a sentence', { stream: true }) });
    expect(ok.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(ok.body.endsWith('data: [DONE]\n\n')).toBe(true);
    const blocked = await both({ text: 'A calm start to the answer, and then FORBIDDEN words follow here at the end.' }, { body: chat('go on', { stream: true }) });
    expect(blocked.body).toContain('"finish_reason":"content_filter"');
    expect(blocked.body).not.toContain('FORBIDDEN');
  });

  it('an upstream failure mid-stream, and errors before any model call', async () => {
    const broken = await both({ text: 'The answer starts calmly and goes on for quite a while before the line drops.', breakAfter: { pieces: 5, how: 'destroy' } }, { body: chat('go', { stream: true }) });
    // Nothing had passed the hold-back window yet: a 502 before any byte of the stream.
    expect(broken.status).toBe(502);
    expect(broken.body).toContain('"code":"provider_failed"');
    expect((await both({}, { body: chat('hi'), headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await both({}, { body: '{"messages": [', headers: {} })).status).toBe(400);
    expect((await both({}, { body: JSON.stringify({ messages: 'no' }) })).status).toBe(400);
    expect((await both({}, { body: chat('x'.repeat(2 * 1024 * 1024)) })).status).toBe(413);
  });

  it('the upstream down: 502 naming the target', async () => {
    const down = gatewayPolicy({ openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: ollama.host });
    const a = await startTestGateway(down);
    const b = await startTestGateway(down, { host: { hotPath: false } });
    try {
      const viaHot = await send(a, {}, { body: chat('hi') });
      const viaApp = await send(b, {}, { body: chat('hi') });
      expect(viaHot).toEqual(viaApp);
      expect(viaHot.status).toBe(502);
      expect(viaHot.body).toContain('target `sfw`');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('recorded the same audit trail', async () => {
    await hot.running.close();
    await app.running.close();
    const read = async (name: string): Promise<string[]> => {
      const out: string[] = [];
      for await (const { event } of readAuditRecords({ dir: join(dir, name) })) {
        if (event.kind !== 'decision') continue;
        // What differs by time: the record's time, and the chain links that cover it.
        const { decisionId: _id, ts: _ts, prev: _prev, hash: _hash, ...rest } = event as unknown as Record<string, unknown>;
        out.push(normalise(JSON.stringify(rest)));
      }
      return out;
    };
    const [viaHot, viaApp] = await Promise.all([read('hot'), read('app')]);
    expect(viaHot.length).toBeGreaterThanOrEqual(10);
    expect(viaHot).toEqual(viaApp);
  });
});
