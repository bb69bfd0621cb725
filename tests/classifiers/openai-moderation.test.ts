import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createOpenAIModerationClassifier,
  type OpenAIModerationClassifierOptions,
} from '../../src/classifiers/openai-moderation/openai-moderation-classifier.js';
import { startFakeOpenAIServer, MODERATIONS_PATH, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const KEY = 'sk-test-secret-4f9a8b7c6d5e';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
});
afterAll(() => server.close());
afterEach(() => server.reset());

const make = (overrides: OpenAIModerationClassifierOptions = {}) =>
  createOpenAIModerationClassifier({
    baseURL: server.baseURL,
    env: { OPENAI_API_KEY: KEY },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
const input = (text: string) => ({ text, stage: 'input' as const });

describe('openai-moderation adapter against a fake OpenAI server', () => {
  it('sends the model and a single input as a string, with the key as a bearer token', async () => {
    const outcome = await make({ model: 'omni-moderation-latest' }).classify(input('hello [[sexual=0.93,sexual/minors=0.2]]'));
    expect(outcome).toMatchObject({ status: 'ok', scores: { sexual: 0.93, 'sexual/minors': 0.2, unsafe: 0.93 } });
    const [req] = server.moderationRequests();
    expect(req?.json).toEqual({ model: 'omni-moderation-latest', input: 'hello [[sexual=0.93,sexual/minors=0.2]]' });
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('batches concurrent calls into one request and maps results back by index', async () => {
    const c = make({ batch: { maxSize: 16, maxWaitMs: 20 } });
    const texts = Array.from({ length: 5 }, (_, i) => `text ${i} [[hate=0.${i + 1}]]`);
    const outcomes = await Promise.all(texts.map((t) => c.classify(input(t))));
    outcomes.forEach((o, i) => expect(o).toMatchObject({ status: 'ok', scores: { hate: Number(`0.${i + 1}`) } }));
    const requests = server.moderationRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.json).toMatchObject({ input: texts });
  });

  it('splits batches at maxSize', async () => {
    const c = make({ batch: { maxSize: 2, maxWaitMs: 20 } });
    await Promise.all(['a', 'b', 'c'].map((t) => c.classify(input(t))));
    // two requests in flight at once: they may arrive in either order
    expect(server.moderationRequests().map((r) => r.inputs).sort((x, y) => y.length - x.length)).toEqual([['a', 'b'], ['c']]);
  });

  it('sends each call alone with batch: false', async () => {
    const c = make({ batch: false });
    await Promise.all(['a', 'b'].map((t) => c.classify(input(t))));
    expect(server.moderationRequests()).toHaveLength(2);
  });

  it('retries a 429, waiting what retry-after-ms asks', async () => {
    server.script(MODERATIONS_PATH, { kind: 'status', status: 429, headers: { 'retry-after-ms': '150' } });
    const started = performance.now();
    const outcome = await make().classify(input('x'));
    expect(outcome.status).toBe('ok');
    expect(server.moderationRequests()).toHaveLength(2);
    const [first, second] = server.moderationRequests();
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 1_200).toUTCString(); // second precision: 0.2–1.2 s ahead
    server.script(MODERATIONS_PATH, { kind: 'status', status: 429, headers: { 'retry-after': at } });
    const started = Date.now();
    expect((await make().classify(input('x'))).status).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('retries a 500, then succeeds', async () => {
    server.script(MODERATIONS_PATH, { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    expect(await make().classify(input('x [[violence=0.6]]'))).toMatchObject({ status: 'ok', scores: { violence: 0.6 } });
    expect(server.moderationRequests()).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    server.script(MODERATIONS_PATH, { kind: 'reset' });
    expect((await make().classify(input('x'))).status).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with rate_limited', async () => {
    server.always(MODERATIONS_PATH, { kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    const outcome = await make({ maxRetries: 2 }).classify(input('x'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    expect(server.moderationRequests()).toHaveLength(3);
  });

  it('does not wait past its time bound for a long Retry-After', async () => {
    server.always(MODERATIONS_PATH, { kind: 'status', status: 429, headers: { 'retry-after': '60' } });
    const started = performance.now();
    const outcome = await make({ timeoutMs: 2_000 }).classify(input('x'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(server.moderationRequests()).toHaveLength(1);
  });

  it('bounds the total time of slow answers and retries', async () => {
    server.always(MODERATIONS_PATH, { kind: 'delay', ms: 400, then: { kind: 'status', status: 500 } });
    const started = performance.now();
    const outcome = await make({ timeoutMs: 700, maxRetries: 10 }).classify(input('x'));
    const elapsed = performance.now() - started;
    expect(outcome.status).toBe('failed');
    expect(['timeout', 'upstream_error']).toContain(outcome.status === 'failed' ? outcome.error.code : '');
    expect(elapsed).toBeLessThan(1_500);
  });

  it('does not retry a 400 and reports it as upstream_error', async () => {
    server.always(MODERATIONS_PATH, { kind: 'status', status: 400 });
    expect(await make().classify(input('x'))).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: expect.stringContaining('400') } });
    expect(server.moderationRequests()).toHaveLength(1);
  });

  it('fails every caller of a batch whose answer has the wrong number of results', async () => {
    server.always(MODERATIONS_PATH, { kind: 'status', status: 200, body: { id: 'modr-x', model: 'm', results: [] } });
    const c = make({ batch: { maxSize: 4, maxWaitMs: 10 } });
    const outcomes = await Promise.all(['a', 'b'].map((t) => c.classify(input(t))));
    for (const o of outcomes) expect(o).toMatchObject({ status: 'failed', error: { code: 'bad_response' } });
  });

  it('never reveals the key, not even masked', async () => {
    const wrong = 'sk-wrong-9z8y7x6w5v4u';
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const outcome = await createOpenAIModerationClassifier({ baseURL: server.baseURL, apiKey: wrong }).classify(input('x'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'auth' } });
    const everything = JSON.stringify(outcome) + JSON.stringify(spies.map((s) => s.mock.calls));
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain('sk-te***st');
    spies.forEach((s) => s.mockRestore());

    server.always(MODERATIONS_PATH, { kind: 'status', status: 429, body: { error: { message: `slow down ${KEY} (sk-te***st)`, type: 'requests', param: null, code: null } } });
    const limited = await make({ maxRetries: 0 }).classify(input('x'));
    expect(limited).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    expect(JSON.stringify(limited)).not.toContain(KEY);
    expect(JSON.stringify(limited)).not.toContain('sk-te***st');
  });

  it('reads the key from the variable named by apiKeyEnv, at call time', async () => {
    const env: Record<string, string | undefined> = {};
    const c = make({ env, apiKeyEnv: 'ACME_MODERATION_KEY' });
    expect(await c.classify(input('x'))).toMatchObject({ status: 'failed', error: { code: 'config', message: expect.stringContaining('`ACME_MODERATION_KEY`') } });
    expect(server.requests).toHaveLength(0);
    env.ACME_MODERATION_KEY = KEY;
    expect((await c.classify(input('x'))).status).toBe('ok');
  });

  it('sends lone surrogates as U+FFFD', async () => {
    await make().classify(input('bad \ud800 text'));
    expect(server.moderationRequests()[0]?.inputs).toEqual(['bad \ufffd text']);
  });

  it('leaves categories a legacy model does not score unknown', async () => {
    const outcome = await make({ model: 'text-moderation-latest' }).classify(input('x'));
    expect(outcome.status).toBe('ok');
    if (outcome.status === 'ok') {
      expect(outcome.scores.illicit).toBeUndefined();
      expect(outcome.scores.hate).toBeTypeOf('number');
    }
  });

  it('an aborted caller leaves the batch; the others still get their answer', async () => {
    server.always(MODERATIONS_PATH, { kind: 'delay', ms: 100 });
    const c = make({ batch: { maxSize: 8, maxWaitMs: 5 } });
    const controller = new AbortController();
    const a = c.classify(input('a'), { signal: controller.signal });
    const b = c.classify(input('b [[hate=0.7]]'));
    setTimeout(() => controller.abort(), 30);
    expect(await a).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
    expect(await b).toMatchObject({ status: 'ok', scores: { hate: 0.7 } });
  });
});
