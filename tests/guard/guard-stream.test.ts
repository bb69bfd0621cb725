import { describe, expect, it } from 'vitest';
import { createGuard, type GuardedChunk, type GuardOptions } from '../../src/guard/index.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import type { ChatUpstream } from '../support/fake-chat-upstreams.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADULT, contentOf, defaultClassifiers, NOW, OPENAI_KEY_ENV, prng, testPolicy } from './guard-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const env = { [OPENAI_KEY_ENV]: 'sk-test' };
const H = 24;

async function guardWith(overrides: Partial<PolicyDocument> = {}, options: Partial<GuardOptions> = {}) {
  const { marker, resolver } = defaultClassifiers();
  const guard = await createGuard({
    policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }, overrides),
    classifiers: resolver,
    env,
    clock: () => NOW,
    providerOptions: { maxRetries: 0, timeoutMs: 2_000, idleTimeoutMs: 2_000 },
    ...options,
  });
  return { guard, marker };
}

async function collect(stream: AsyncIterable<GuardedChunk>): Promise<GuardedChunk[]> {
  const out: GuardedChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

const stream = (content: string, extra: Record<string, unknown> = {}) => ({ stream: true as const, messages: [{ role: 'user', content }], ...extra });

const ANSWER =
  'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon, and the gulls call. ' +
  'Then the story turns: FORBIDDEN details follow here, and this whole tail must never reach the caller. More text after it.';

/** The end offset in `answer` of the last check window that passed before the block. */
function lastPassedEnd(answer: string, windows: string[]): number {
  let end = 0;
  for (const w of windows) {
    if (w.includes('FORBIDDEN')) continue;
    const at = answer.indexOf(w);
    if (at >= 0) end = Math.max(end, at + w.length);
  }
  return end;
}

describe.each([
  ['openai', 'sfw', () => openai as ChatUpstream, undefined],
  ['ollama', 'restricted', () => ollama as ChatUpstream, ADULT],
] as const)('streaming through %s (%s target)', (_name, target, upstream, subject) => {
  const prompt = target === 'restricted' ? 'a [[adult]] story please' : 'tell me about rivers';
  const context = subject ? { subject } : {};

  it('streams OpenAI chunks whose text is the whole checked answer', async () => {
    upstream().setScript({ text: 'Rivers run to the sea. The hills are green in spring. We walk along the shore.', delayMs: 1 });
    const { guard } = await guardWith();
    const s = await guard.chat(stream(prompt), context);
    expect(s.saferoute.target).toBe(target);
    const chunks = await collect(s);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(contentOf(chunks)).toBe('Rivers run to the sea. The hills are green in spring. We walk along the shore.');
    const last = chunks.at(-1) as GuardedChunk;
    expect(last.choices[0]?.finish_reason).toBe('stop');
    expect(last.saferoute).toMatchObject({ target, streaming: { mode: 'hold-back', holdBackChars: H, checkEveryChars: 16, releasedBeforeCheck: false } });
    expect(last.saferoute?.streaming?.checks).toBeGreaterThan(2);
    expect(last.saferoute?.outputDecisionId).toBeTruthy();
    expect(chunks.slice(0, -1).every((c) => c.saferoute === undefined)).toBe(true);
  });

  it('leaks not one byte of a violating answer in hold-back mode, and aborts the upstream', async () => {
    upstream().setScript({ text: ANSWER, delayMs: 2 });
    const { guard, marker } = await guardWith();
    const s = await guard.chat(stream(prompt), context);
    const chunks = await collect(s);
    const received = JSON.stringify(chunks);
    const content = contentOf(chunks);
    expect(received).not.toContain('FORB');
    expect(received).not.toContain('must never reach');
    expect(ANSWER.startsWith(content)).toBe(true);
    // Checked text before the violation was released: the test is not passing by releasing nothing.
    expect(content.length).toBeGreaterThan(60);
    const outputWindows = marker.seen.filter((i) => i.stage === 'output').map((i) => i.text);
    expect(content.length).toBeLessThanOrEqual(lastPassedEnd(ANSWER, outputWindows) - H);
    const last = chunks.at(-1) as GuardedChunk;
    expect(last.choices[0]).toMatchObject({ delta: { refusal: 'This request cannot be processed.' }, finish_reason: 'content_filter' });
    expect(last.saferoute?.blocked).toMatchObject({ stage: 'output', reason: 'sexual_minors' });
    expect(last.saferoute?.streaming?.releasedChars).toBe(content.length);
    await upstream().waitForEarlyClose();
    expect(upstream().piecesWritten[0]).toBeLessThan(Math.ceil(ANSWER.length / 8));
  });

  it('leaks nothing for any chunking of the upstream stream', async () => {
    const rand = prng(target.length);
    const { guard } = await guardWith();
    for (let round = 0; round < 12; round++) {
      const pieces: string[] = [];
      for (let i = 0; i < ANSWER.length; ) {
        const n = 1 + Math.floor(rand() * 13);
        pieces.push(ANSWER.slice(i, i + n));
        i += n;
      }
      upstream().setScript({ text: ANSWER, pieces });
      const chunks = await collect(await guard.chat(stream(prompt), context));
      const content = contentOf(chunks);
      expect(JSON.stringify(chunks)).not.toContain('FORB');
      expect(content.length).toBeLessThanOrEqual(ANSWER.indexOf('FORBIDDEN'));
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
    }
  });
});

describe('guarded streams', () => {
  it('refuses at the input stage with one chunk and no upstream call', async () => {
    const { guard } = await guardWith();
    const chunks = await collect(await guard.chat(stream('FORBIDDEN')));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.choices[0]).toMatchObject({ delta: { role: 'assistant', refusal: 'This request cannot be processed.' }, finish_reason: 'content_filter' });
    expect(chunks[0]?.saferoute?.blocked?.stage).toBe('input');
    expect(openai.chatRequests().length + ollama.chatRequests().length).toBe(0);
  });

  it('releases first and checks after in progressive mode, and says so', async () => {
    openai.setScript({ text: ANSWER, delayMs: 1 });
    const { guard } = await guardWith({ output: { streaming: { mode: 'progressive', holdBackChars: H, checkEveryChars: 16 } } });
    const chunks = await collect(await guard.chat(stream('hi')));
    const last = chunks.at(-1) as GuardedChunk;
    expect(contentOf(chunks)).toContain('FORB');
    expect(last.saferoute?.streaming).toMatchObject({ mode: 'progressive', releasedBeforeCheck: true });
    expect(last.saferoute?.warnings).toContain('progressive-streaming');
    expect(last.saferoute?.decisions.output?.warnings).toContain('progressive-streaming');
  });

  it('redacts personal data from a stream', async () => {
    openai.setScript({ text: 'You can write to jane.doe@example.com about it. Thanks for asking, and have a nice day.', delayMs: 1 });
    const { guard } = await guardWith();
    const chunks = await collect(await guard.chat(stream('who do I write to?')));
    expect(contentOf(chunks)).toBe('You can write to [EMAIL] about it. Thanks for asking, and have a nice day.');
    expect(chunks.at(-1)?.saferoute?.redacted).toEqual(['pii']);
  });

  it('replaces a violating stream’s end with the policy’s message', async () => {
    openai.setScript({ text: ANSWER });
    const { guard } = await guardWith({ output: { onBlock: 'replace', replacement: 'sorry', streaming: { holdBackChars: H, checkEveryChars: 16 } }, messages: { prohibited: 'This request cannot be processed.', sorry: 'Sorry, no.' } });
    const chunks = await collect(await guard.chat(stream('hi')));
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: { content: 'Sorry, no.' }, finish_reason: 'content_filter' });
  });

  it('adds the usage chunk when the caller asks for it', async () => {
    const { guard } = await guardWith();
    const chunks = await collect(await guard.chat(stream('hi', { stream_options: { include_usage: true } })));
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12 } });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams tool calls after checking them', async () => {
    openai.setScript({ toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] });
    const { guard } = await guardWith();
    const chunks = await collect(await guard.chat(stream('weather?', { tools: [{ type: 'function', function: { name: 'weather' } }] })));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toEqual([{ index: 0, id: expect.any(String), type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('records the output decision before the end of the answer is released', async () => {
    openai.setScript({ text: 'Rivers run to the sea. The hills are green in spring.' });
    let received = '';
    const atRecord: { stage: string; received: string }[] = [];
    const { guard } = await guardWith({}, { audit: { record: async (d) => void atRecord.push({ stage: d.stage, received }) } });
    for await (const c of await guard.chat(stream('hi'))) received += c.choices[0]?.delta.content ?? '';
    expect(received).toBe('Rivers run to the sea. The hills are green in spring.');
    expect(atRecord[1]?.stage).toBe('output');
    expect(atRecord[1]?.received.length).toBeLessThanOrEqual(received.length - H);
  });

  it('withholds the tail when the output record cannot be written', async () => {
    openai.setScript({ text: 'Rivers run to the sea. The hills are green in spring.' });
    let n = 0;
    const { guard } = await guardWith({}, { audit: { record: async () => (n++ === 0 ? undefined : Promise.reject(new Error('disk full'))) } });
    const chunks = await collect(await guard.chat(stream('hi')));
    expect(chunks.at(-1)?.saferoute?.blocked).toMatchObject({ stage: 'output', reason: 'audit_failed' });
    expect(contentOf(chunks).length).toBeLessThanOrEqual('Rivers run to the sea. The hills are green in spring.'.length - H);
  });
});

describe('guarded streams: failures and cancellation', () => {
  it('passes the client’s abort to the upstream (the fake server sees the connection close)', async () => {
    openai.setScript({ text: 'word '.repeat(300), delayMs: 3 });
    const { guard } = await guardWith();
    const controller = new AbortController();
    const s = await guard.chat(stream('hi'), { signal: controller.signal });
    const run = (async () => {
      let n = 0;
      for await (const c of s) if (c.choices[0]?.delta.content && ++n === 2) controller.abort(new Error('client went away'));
    })();
    await expect(run).rejects.toThrow('client went away');
    await openai.waitForEarlyClose();
    expect(openai.piecesWritten[0]).toBeLessThan(300 * 5 / 8);
  });

  it('stops quietly and closes the upstream on stream.abort()', async () => {
    ollama.setScript({ text: 'word '.repeat(300), delayMs: 3 });
    const { guard } = await guardWith();
    const s = await guard.chat(stream('a [[adult]] story'), { subject: ADULT });
    let n = 0;
    for await (const c of s) if (c.choices[0]?.delta.content && ++n === 2) s.abort();
    expect(n).toBeGreaterThanOrEqual(2);
    await ollama.waitForEarlyClose();
  });

  it('closes the upstream when the consumer stops reading', async () => {
    openai.setScript({ text: 'word '.repeat(300), delayMs: 3 });
    const { guard } = await guardWith();
    for await (const c of await guard.chat(stream('hi'))) if (c.choices[0]?.delta.content) break;
    await openai.waitForEarlyClose();
  });

  it('times out a stalled stream with a typed error and releases nothing unchecked', async () => {
    const text = 'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon.';
    openai.setScript({ text, breakAfter: { pieces: 6, how: 'stall' } });
    const { guard } = await guardWith({}, { providerOptions: { maxRetries: 0, idleTimeoutMs: 150 } });
    const got: GuardedChunk[] = [];
    const run = async (): Promise<void> => {
      for await (const c of await guard.chat(stream('hi'))) got.push(c);
    };
    await expect(run()).rejects.toMatchObject({ code: 'provider_failed', failure: 'timeout' });
    expect(contentOf(got).length).toBeLessThanOrEqual(48 - H);
    await openai.waitForEarlyClose();
  });

  it('serves a slow stream within the idle timeout', async () => {
    ollama.setScript({ text: 'Slow and steady wins the race.', pieces: ['Slow ', 'and ', 'steady ', 'wins ', 'the race.'], delayMs: 60 });
    const { guard } = await guardWith({}, { providerOptions: { idleTimeoutMs: 500 } });
    const chunks = await collect(await guard.chat(stream('a [[adult]] story'), { subject: ADULT }));
    expect(contentOf(chunks)).toBe('Slow and steady wins the race.');
  });

  it.each([
    ['a connection closed mid-stream', { breakAfter: { pieces: 5, how: 'destroy' as const }, delayMs: 5 }, 'connection'],
    ['a stream ended without finishing', { breakAfter: { pieces: 5, how: 'end' as const } }, 'truncated'],
    ['a garbage chunk', { garbageAt: { index: 5, line: 'data: {not json\n\n' } }, 'bad_response'],
  ])('fails with a typed error on %s, releasing only checked text', async (_name, script, failure) => {
    const text = 'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon.';
    openai.setScript({ text, ...script });
    const { guard } = await guardWith();
    const got: GuardedChunk[] = [];
    const run = async (): Promise<void> => {
      for await (const c of await guard.chat(stream('hi'))) got.push(c);
    };
    await expect(run()).rejects.toMatchObject({ code: 'provider_failed', failure });
    expect(text.startsWith(contentOf(got))).toBe(true);
    expect(contentOf(got).length).toBeLessThanOrEqual(40 - H);
    expect(got.some((c) => c.choices[0]?.finish_reason != null)).toBe(false);
  });

  it('rejects before streaming when the upstream answers an HTTP error', async () => {
    openai.script('/v1/chat/completions', { kind: 'status', status: 503 });
    const { guard } = await guardWith();
    await expect(guard.chat(stream('hi'))).rejects.toMatchObject({ code: 'provider_failed', status: 503 });
  });
});
