import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { APP_KEY, gatewayPolicy, startTestGateway, type TestGateway } from './gateway-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }));
});
afterAll(async () => {
  await gw.close();
});

describe('POST /v1/chat/completions through the official openai client', () => {
  it('answers a plain request from the target the policy chose, with the decision id and summary', async () => {
    openai.setScript({ text: 'Paris is the capital of France.' });
    const { data, response } = await gw.client().chat.completions.create({ model: 'anything', messages: [{ role: 'user', content: 'Capital of France?' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Paris is the capital of France.');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    const saferoute = (data as unknown as { saferoute: { target: string; inputDecisionId: string } }).saferoute;
    expect(saferoute.target).toBe('sfw');
    expect(response.headers.get('x-saferoute-decision-id')).toBe(saferoute.inputDecisionId);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The policy's target model is what the upstream was asked for, not the client's.
    expect(openai.chatRequests().at(-1)?.json).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('streams in OpenAI SSE chunks ending with [DONE]', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. It was a sunny day by the river bank.';
    openai.setScript({ text });
    const stream = await gw.client().chat.completions.create({ model: 'x', stream: true, messages: [{ role: 'user', content: 'a sentence' }] });
    let content = '';
    let last: unknown;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      last = chunk;
    }
    expect(content).toBe(text);
    expect((last as { choices: { finish_reason: string }[] }).choices[0]?.finish_reason).toBe('stop');
    expect((last as { saferoute: { target: string } }).saferoute.target).toBe('sfw');

    const raw = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'a sentence' }] }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(raw.headers.get('x-saferoute-decision-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await raw.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    for (const event of body.split('\n\n').filter((e) => e !== '')) expect(event).toMatch(/^data: /);
  });

  it('refuses a blocked prompt as a normal answer with finish_reason content_filter, calling no model', async () => {
    const before = openai.chatRequests().length;
    const { data, response } = await gw.client().chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'something FORBIDDEN' }] }).withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]?.finish_reason).toBe('content_filter');
    expect(data.choices[0]?.message.content).toBeNull();
    expect(data.choices[0]?.message.refusal).toBe('This request cannot be processed.');
    const saferoute = (data as unknown as { saferoute: { blocked: { reason: string; decisionId: string } } }).saferoute;
    expect(saferoute.blocked.reason).toBe('sexual_minors');
    expect(response.headers.get('x-saferoute-decision-id')).toBe(saferoute.blocked.decisionId);
    expect(openai.chatRequests().length).toBe(before);
  });

  it('answers a block with 403 and an OpenAI error when the caller asks for errors', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: APP_KEY, maxRetries: 0, defaultHeaders: { 'x-saferoute-on-block': 'error' } });
    const error = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'FORBIDDEN' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const e = error as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(e.status).toBe(403);
    expect(e.code).toBe('content_blocked');
    expect(e.message).toContain('This request cannot be processed.');
    expect(e.headers?.get('x-saferoute-decision-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops a stream blocked mid-way: nothing past what the checker released, the refusal last', async () => {
    const clean = 'Once upon a time there was a little fox who lived at the edge of an old forest near the river. ';
    const text = `${clean}Then FORBIDDEN things happened and this tail must never be seen.`;
    openai.setScript({ text, delayMs: 2 });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'a story' }] }),
    });
    const body = await res.text();
    const events = body.split('\n\n').filter((e) => e !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as { choices: { delta: { content?: string; refusal?: string }; finish_reason: string | null }[]; saferoute?: { blocked?: unknown; streaming?: { releasedChars: number } } });
    const released = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const final = chunks.at(-1)!;
    expect(final.choices[0]?.finish_reason).toBe('content_filter');
    expect(final.saferoute?.blocked).toBeDefined();
    // Zero leaked bytes: only a prefix of the clean part, exactly what the checker says it released.
    expect(clean.startsWith(released)).toBe(true);
    expect(released.length).toBe(final.saferoute?.streaming?.releasedChars);
    expect(body).not.toContain('FORBIDDEN');
    expect(body).not.toContain('tail must never');
    await openai.waitForEarlyClose();
  });

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    openai.setScript({ text: 'word '.repeat(400), delayMs: 5 });
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'talk' }] }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await openai.waitForEarlyClose(3000);
    expect(openai.closedEarly).toBeGreaterThan(0);
  });
});

describe('GET /v1/models', () => {
  it("lists the models the tenant's targets call, for clients that list models before chatting", async () => {
    const page = await gw.client().models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'llama3.1:8b']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'saferoute' });
    const anonymous = await fetch(`${gw.url}/v1/models`);
    expect(anonymous.status).toBe(401);
  });
});
