import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIChatServer, type FakeOpenAIChatServer } from '../../tests/support/fake-chat-upstreams.js';
import type { ChatProvider, ProviderRequest, ProviderStreamEvent } from './chat-provider.js';
import { createOpenAIHttpProvider, createUpstreamAgents } from './openai-http-provider.js';
import { createOpenAIProvider } from './openai-provider.js';
import { ProviderError } from './provider-error.js';

/*
 * The node:http provider against a fake OpenAI upstream on loopback, with the SDK provider as the
 * reference: the same request on the wire, the same completion and stream events back, the same
 * kinds of typed errors.
 */

const KEY = 'sk-test-provider-key';
let upstream: FakeOpenAIChatServer;
const agents = createUpstreamAgents();
let direct: ChatProvider;
let sdk: ChatProvider;

beforeAll(async () => {
  upstream = await startFakeOpenAIChatServer({ apiKey: KEY });
  direct = createOpenAIHttpProvider({ baseURL: upstream.baseURL, apiKey: KEY, agents, timeoutMs: 2_000, idleTimeoutMs: 500 });
  sdk = createOpenAIProvider({ baseURL: upstream.baseURL, apiKey: KEY, maxRetries: 0, timeoutMs: 2_000, idleTimeoutMs: 500 });
});
afterAll(async () => {
  agents.destroy();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  upstream.setScript({});
});

const request: ProviderRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  params: { temperature: 0.2, max_tokens: 50, stop: ['\n\n'], tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }], providerOptions: { service_tier: 'default' } },
};

async function collect(provider: ChatProvider, req: ProviderRequest = request): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const e of await provider.stream(req)) events.push(e);
  return events;
}

/** The fake numbers its tool calls by request (`call_N_i`): the same call, whichever request made it. */
const sameIds = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/call_\d+_/g, 'call_N_'));

async function failureOf(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('createOpenAIHttpProvider', () => {
  it('sends the body the SDK sends and reads the same completion', async () => {
    upstream.setScript({ text: 'Paris.', toolCalls: [{ name: 'lookup', arguments: { city: 'Paris' } }], finishReason: 'tool_calls' });
    const viaDirect = await direct.complete(request);
    const viaSdk = await sdk.complete(request);
    const [a, b] = upstream.chatRequests();
    expect(a?.json).toEqual(b?.json);
    expect(a?.json).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, service_tier: 'default', stream: false });
    expect(a?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(a?.headers['content-type']).toBe('application/json');
    expect(sameIds({ ...viaDirect, id: undefined })).toEqual(sameIds({ ...viaSdk, id: undefined }));
    expect(viaDirect).toMatchObject({ text: 'Paris.', finishReason: 'tool_calls', toolCalls: [{ function: { name: 'lookup', arguments: '{"city":"Paris"}' } }] });
  });

  it('streams the same events as the SDK provider, usage included', async () => {
    const text = 'The capital of France is Paris, on the Seine.';
    upstream.setScript({ text, toolCalls: [{ name: 'lookup', arguments: { city: 'Paris' } }], toolCallPieceChars: 4 });
    const withUsage = { ...request, params: { ...request.params, include_usage: true } };
    const viaDirect = await collect(direct, withUsage);
    const viaSdk = await collect(sdk, withUsage);
    const [a, b] = upstream.chatRequests();
    expect(a?.json).toEqual(b?.json);
    expect(a?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const strip = (events: ProviderStreamEvent[]) => events.map((e) => (e.type === 'done' ? { ...e, id: undefined } : e));
    expect(sameIds(strip(viaDirect))).toEqual(sameIds(strip(viaSdk)));
    expect(viaDirect.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('')).toBe(text);
    expect(viaDirect.at(-1)).toMatchObject({ type: 'done', toolCalls: [{ function: { name: 'lookup', arguments: '{"city":"Paris"}' } }] });
  });

  it('reuses its keep-alive connections: one in the pool for whole answers, one in the agent for streams', async () => {
    const own = createUpstreamAgents();
    let connections = 0;
    // Every new connection of a stream goes through the agent's createConnection (not in @types/node).
    const agent = own.http as unknown as { createConnection: (...args: unknown[]) => unknown };
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (...args: unknown[]) => {
      connections++;
      return connect(...args);
    };
    const provider = createOpenAIHttpProvider({ baseURL: upstream.baseURL, apiKey: KEY, agents: own });
    try {
      upstream.setScript({ text: 'ok' });
      for (let i = 0; i < 6; i++) await provider.complete(request);
      await collect(provider);
      await new Promise((r) => setTimeout(r, 20));
      await provider.complete(request);
      await new Promise((r) => setTimeout(r, 20));
      await collect(provider);
      expect(upstream.chatRequests()).toHaveLength(9);
      expect(connections).toBe(1);
      // Back-to-back calls may find the first connection not yet marked free (undici frees it a
      // tick after the answer): two at most, never one per call.
      const pool = own.pool(new URL(upstream.baseURL).origin);
      expect(pool.stats.connected).toBeGreaterThanOrEqual(1);
      expect(pool.stats.connected).toBeLessThanOrEqual(2);
      expect(own.pool(new URL(upstream.baseURL).origin)).toBe(pool);
    } finally {
      own.destroy();
    }
  });

  it('a whole answer: the caller aborting rejects at once with its reason, and the pool serves the next call', async () => {
    upstream.script('/v1/chat/completions', { kind: 'hang' });
    const controller = new AbortController();
    const started = performance.now();
    const call = direct.complete(request, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gone')), 50);
    await expect(call).rejects.toThrow('caller gone');
    expect(performance.now() - started).toBeLessThan(1_000);

    const before = upstream.chatRequests().length;
    const already = new AbortController();
    already.abort(new Error('gone before'));
    await expect(direct.complete(request, { signal: already.signal })).rejects.toThrow('gone before');
    expect(upstream.chatRequests()).toHaveLength(before);

    upstream.reset();
    upstream.setScript({ text: 'Still here.' });
    await expect(direct.complete(request)).resolves.toMatchObject({ text: 'Still here.' });
  });

  it('fails as the SDK provider does: HTTP status, connection, bad body, timeouts, truncated streams', async () => {
    const wrongKey = createOpenAIHttpProvider({ baseURL: upstream.baseURL, apiKey: 'sk-wrong-key-0000', agents });
    const status = await failureOf(wrongKey.complete(request));
    expect(status).toMatchObject({ failure: 'status', status: 401, code: 'provider_failed' });
    expect(status.message).toMatch(/^openai answered HTTP 401: 401 /);
    expect(status.message).not.toContain('sk-wrong-key-0000');

    const nowhere = createOpenAIHttpProvider({ baseURL: 'http://127.0.0.1:9/v1', apiKey: KEY, agents });
    const connection = await failureOf(nowhere.complete(request));
    expect(connection.failure).toBe('connection');
    expect(connection.message).toContain('cannot reach openai at `http://127.0.0.1:9/v1`');
    await expect(nowhere.stream(request)).rejects.toThrow('cannot reach openai at `http://127.0.0.1:9/v1`');

    upstream.script('/v1/chat/completions', { kind: 'malformed', body: '{"choices": [' });
    expect((await failureOf(direct.complete(request))).failure).toBe('bad_response');

    upstream.script('/v1/chat/completions', { kind: 'hang' });
    const slow = await failureOf(direct.complete(request));
    expect(slow.failure).toBe('timeout');

    upstream.setScript({ text: 'A long answer that stops half way through.', breakAfter: { pieces: 2, how: 'stall' } });
    await expect(collect(direct)).rejects.toMatchObject({ failure: 'timeout' });
    upstream.setScript({ text: 'A long answer that stops half way through.', breakAfter: { pieces: 2, how: 'end' } });
    await expect(collect(direct)).rejects.toMatchObject({ failure: 'truncated' });
    upstream.setScript({ text: 'A long answer.', garbageAt: { index: 1, line: 'data: {"choices": [' } });
    await expect(collect(direct)).rejects.toMatchObject({ failure: 'bad_response' });
  });

  it('aborts the upstream request when the caller aborts or stops reading', async () => {
    upstream.setScript({ text: 'A slow answer, piece by piece, for quite a while.', delayMs: 30 });
    const controller = new AbortController();
    const stream = await direct.stream(request, { signal: controller.signal });
    const seen: ProviderStreamEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) {
        seen.push(e);
        if (seen.length === 2) controller.abort(new Error('caller gone'));
      }
    })();
    await expect(reading).rejects.toThrow('caller gone');
    await upstream.waitForEarlyClose();

    const again = await direct.stream(request);
    for await (const e of again) if (e.type === 'delta') break;
    await upstream.waitForEarlyClose();
  });
});
