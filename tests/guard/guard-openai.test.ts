import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContentBlockedError, createGuard, guardOpenAI, type Guard } from '../../src/guard/index.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADULT, defaultClassifiers, NOW, testPolicy } from './guard-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-app' });
let guard: Guard;
let client: OpenAI;

beforeAll(async () => {
  // The sfw target names no baseURL: the app's own client serves it.
  const base = testPolicy({ openaiBaseURL: 'unused', ollamaHost: ollama.host }).document;
  const policy = testPolicy({ openaiBaseURL: 'unused', ollamaHost: ollama.host }, { targets: { ...base.targets, sfw: { provider: 'openai', model: 'gpt-4o-mini' } } });
  guard = await createGuard({ policy, classifiers: defaultClassifiers().resolver, env: {}, clock: () => NOW });
  client = new OpenAI({ apiKey: 'sk-app', baseURL: openai.baseURL, maxRetries: 0 });
});

describe('guardOpenAI', () => {
  it('answers chat.completions.create like the SDK, through the app’s client', async () => {
    const guarded = guardOpenAI(client, guard);
    openai.setScript({ text: 'Hello there.' });
    const completion = await guarded.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hello there.');
    expect(completion.saferoute.target).toBe('sfw');
    expect(openai.chatRequests()[0]?.headers.authorization).toBe('Bearer sk-app');
  });

  it('streams like the SDK: an async iterable of chunks with a controller', async () => {
    const guarded = guardOpenAI(client, guard);
    openai.setScript({ text: 'Rivers run to the sea. The hills are green.' });
    const stream = await guarded.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Rivers run to the sea. The hills are green.');
    expect(stream.controller).toBeInstanceOf(AbortController);
  });

  it('stops a stream and the upstream with controller.abort()', async () => {
    const guarded = guardOpenAI(client, guard);
    openai.setScript({ text: 'word '.repeat(300), delayMs: 3 });
    const stream = await guarded.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let n = 0;
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content && ++n === 2) stream.controller.abort();
    await openai.waitForEarlyClose();
  });

  it('throws ContentBlockedError carrying the decision, calling no model', async () => {
    const guarded = guardOpenAI(client, guard);
    const error = (await guarded.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'FORBIDDEN' }] }).catch((e: unknown) => e)) as ContentBlockedError;
    expect(error).toBeInstanceOf(ContentBlockedError);
    expect(error.decision).toMatchObject({ outcome: 'block', reason: 'sexual_minors' });
    expect(JSON.stringify(error.decision)).not.toContain('FORBIDDEN');
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('returns a refusal completion when configured to', async () => {
    const guarded = guardOpenAI(client, guard, { onBlock: 'refusal' });
    const completion = await guarded.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'FORBIDDEN' }] });
    expect(completion.choices[0]?.message.refusal).toBe('This request cannot be processed.');
    expect(completion.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('ends a blocked stream with the refusal chunk, then throws', async () => {
    const guarded = guardOpenAI(client, guard);
    openai.setScript({ text: 'Fine so far, fine so far, fine so far. Then FORBIDDEN things.' });
    const stream = await guarded.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.finish_reason ?? '');
    };
    await expect(run()).rejects.toBeInstanceOf(ContentBlockedError);
    expect(seen.at(-1)).toBe('content_filter');
  });

  it('passes the subject context per call and keeps the rest of the client', async () => {
    const guarded = guardOpenAI(client, guard, { onBlock: 'refusal', context: { tenant: 'acme' } });
    const completion = await guarded.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'a [[adult]] story' }] },
      { saferoute: { subject: ADULT } },
    );
    expect(completion.saferoute.target).toBe('restricted');
    const without = await guarded.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a [[adult]] story' }] });
    expect(without.saferoute.blocked?.reason).toBe('unmet_requirements');
    const moderation = await guarded.moderations.create({ model: 'omni-moderation-latest', input: 'hello' });
    expect(moderation.results).toHaveLength(1);
    expect(guarded.baseURL).toBe(openai.baseURL);
  });
});
