import { validatePolicyObjectOrThrow } from '../../src/policy/load-policy.js';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/decision/decision.js';
import { createGuard, type ChatRequestInput, type GuardContext, type GuardedChunk, type GuardedCompletion, type GuardOptions } from '../../src/guard/index.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADULT, contentOf, defaultClassifiers, NOW, OPENAI_KEY_ENV, testPolicy } from '../guard/guard-fixtures.js';

/**
 * Prohibited text (the marker classifier blocks `FORBIDDEN` at both stages) written in every
 * encoding a field can carry — JSON `\uXXXX` escapes, split across stream chunks, nested JSON,
 * broken JSON, base64 and percent-encoded `data:` URLs — in every text-bearing field of the
 * request and of the answer, streamed or not, through the OpenAI and the Ollama wire formats.
 * The guard must judge what the text means, not how it is spelt.
 */
const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const env = { [OPENAI_KEY_ENV]: 'sk-test' };
const upstreamCalls = (): number => openai.chatRequests().length + ollama.chatRequests().length;

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

/** Every character as a `\uXXXX` escape, as some JSON writers (Python's `ensure_ascii`) emit. */
const esc = (s: string, upper = false): string =>
  [...s]
    .map((c) =>
      [...c]
        .map((_, i) => c.charCodeAt(i).toString(16).padStart(4, '0'))
        .map((h) => `\\u${upper ? h.toUpperCase() : h}`)
        .join(''),
    )
    .join('');
const PHRASE = 'FORBIDDEN';
const E = esc(PHRASE);

async function collect(stream: AsyncIterable<GuardedChunk>): Promise<GuardedChunk[]> {
  const out: GuardedChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

/** Calls the guard streamed or not and returns what the caller received, as one JSON text, and the outcome. */
async function answer(
  guard: Awaited<ReturnType<typeof guardWith>>['guard'],
  streamed: boolean,
  request: Record<string, unknown>,
  context: GuardContext = {},
): Promise<{ received: string; blocked: string | undefined; finish: string | null | undefined; content: string; completion?: GuardedCompletion; chunks?: GuardedChunk[] }> {
  if (streamed) {
    const chunks = await collect(await guard.chat({ ...request, stream: true } as ChatRequestInput & { stream: true }, context));
    const last = chunks.at(-1);
    return { received: JSON.stringify(chunks), blocked: last?.saferoute?.blocked?.stage, finish: last?.choices[0]?.finish_reason, content: contentOf(chunks), chunks };
  }
  const completion = await guard.chat({ ...request, stream: false } as ChatRequestInput & { stream: false }, context);
  return {
    received: JSON.stringify(completion),
    blocked: completion.saferoute.blocked?.stage,
    finish: completion.choices[0]?.finish_reason,
    content: completion.choices[0]?.message.content ?? '',
    completion,
  };
}

/** What the caller received must hold nothing of the prohibited text, however spelt. */
function expectNothingLeaked(received: string, ...spellings: string[]): void {
  for (const s of [PHRASE, E, esc(PHRASE, true), 'FORB', esc('FORB'), ...spellings]) expect(received).not.toContain(s);
  expect(received).not.toContain('"tool_calls"');
  expect(received).not.toContain('"function_call"');
}

const nested = (depth: number): string => {
  let text = JSON.stringify({ q: `tell me ${E} now` });
  for (let i = 1; i < depth; i++) text = JSON.stringify({ payload: text });
  return text;
};

/** Tool-call arguments a model might write; each means `FORBIDDEN` to the tool that reads it. */
const ARGUMENT_CASES: [string, string][] = [
  ['every character \\u-escaped', `{"q":"${E}"}`],
  ['upper-case hex escapes', `{"q":"${esc(PHRASE, true)}"}`],
  ['some characters escaped', `{"q":"F\\u004fRB\\u0049DDEN"}`],
  ['an escaped key', `{"${E}":1}`],
  ['surrogate pairs around it', `{"q":"\\ud83d\\ude00${E}\\ud83d\\ude00"}`],
  ['escaped quotes and backslashes around it', `{"q":"\\"${E}\\" and \\\\ too"}`],
  ['escaped solidus', `{"url":"https:\\/\\/x\\/${E}\\/y"}`],
  ['JSON inside a JSON string', nested(2)],
  ['JSON inside JSON inside a JSON string', nested(3)],
  ['truncated JSON', `{"q":"${E}`],
  ['not JSON at all', `q=${E}`],
  ['JavaScript and Python escapes', `{"q":"\\\\x46\\\\u{4F}RBIDDEN"}`],
  ['HTML character references', `{"q":"&#70;&#x4F;RBIDDEN"}`],
];

describe.each([false, true])('answers through openai (streamed: %s)', (streamed) => {
  it.each(ARGUMENT_CASES)('blocks tool-call arguments written as %s', async (_name, args) => {
    openai.setScript({ toolCalls: [{ name: 'search', arguments: args }] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'look it up' }] });
    expect(r.blocked).toBe('output');
    expect(r.finish).toBe('content_filter');
    expectNothingLeaked(r.received, args);
  });

  it('blocks escapes split across chunk boundaries, over many chunks and several tool-call indexes', async () => {
    // Pieces of 3 characters cut `\u0046` as `\u0` | `046`; the phrase is in the second call.
    openai.setScript({
      toolCalls: [
        { name: 'weather', arguments: '{"city":"Oslo"}' },
        { name: 'search', arguments: `{"q":"${E}"}` },
      ],
      toolCallPieceChars: 3,
    });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'look it up' }] });
    expect(r.blocked).toBe('output');
    expectNothingLeaked(r.received, 'Oslo');
  });

  it('blocks an escaped function name', async () => {
    openai.setScript({ toolCalls: [{ name: `run_${E}`, arguments: '{}' }] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'go' }] });
    expect(r.blocked).toBe('output');
    expectNothingLeaked(r.received);
  });

  it('checks a legacy function_call, and passes a clean one on', async () => {
    const args = `{"q":"${E}"}`;
    openai.setScript({
      message: { function_call: { name: 'search', arguments: args } },
      deltas: [{ function_call: { name: 'search', arguments: '' } }, ...args.match(/[\s\S]{1,4}/g)!.map((a) => ({ function_call: { arguments: a } }))],
      finishReason: 'function_call',
    });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'look it up' }] });
    expect(r.blocked).toBe('output');
    expectNothingLeaked(r.received, args);

    openai.setScript({
      message: { function_call: { name: 'search', arguments: '{"q":"Oslo"}' } },
      deltas: [{ function_call: { name: 'search', arguments: '{"q":' } }, { function_call: { arguments: '"Oslo"}' } }],
      finishReason: 'function_call',
    });
    const ok = await answer(guard, streamed, { messages: [{ role: 'user', content: 'look it up' }] });
    expect(ok.blocked).toBeUndefined();
    expect(ok.finish).toBe('function_call');
    expect(ok.received).toContain('"function_call"');
    expect(ok.received).toContain('Oslo');
  });

  it('blocks a refusal that carries the text, in pieces or escaped', async () => {
    for (const pieces of [['FORB', 'IDDEN'], [E.slice(0, 9), E.slice(9)]]) {
      openai.reset();
      openai.setScript({ message: { refusal: pieces.join('') }, deltas: pieces.map((p) => ({ refusal: p })) });
      const { guard } = await guardWith();
      const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'hi' }] });
      expect(r.blocked).toBe('output');
      expect(r.received).not.toContain(PHRASE);
      expect(r.received).not.toContain(E.slice(0, 9));
    }
  });

  it('blocks a JSON-mode answer whose content spells the text in escapes, releasing none of it', async () => {
    const text = `{"story": "Rivers run to the sea and the hills are green in spring; we walk along the shore. ${E} and the rest must stay hidden."}`;
    openai.setScript({ text, pieces: text.match(/[\s\S]{1,5}/g) ?? [] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'a story as JSON' }], response_format: { type: 'json_object' } });
    expect(r.blocked).toBe('output');
    expect(r.received).not.toContain('\\u0046');
    expect(r.received).not.toContain('\\\\u0046');
    expect(r.received).not.toContain('must stay hidden');
    if (streamed) expect(text.startsWith(r.content)).toBe(true);
  });

  it('blocks content that a Markdown client would display as the text (HTML character references)', async () => {
    const text = `Here it is: &#70;&#79;&#82;&#66;&#73;&#68;&#68;&#69;&#78; and the rest must stay hidden.`;
    openai.setScript({ text, pieces: text.match(/[\s\S]{1,3}/g) ?? [] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'hi' }] });
    expect(r.blocked).toBe('output');
    expect(r.received).not.toContain('&#70;&#79;');
    expect(r.received).not.toContain('must stay hidden');
  });

  it('still passes, unchanged, an answer whose escapes mean nothing prohibited', async () => {
    const args = `{"q":"caf\\u00e9 \\"Oslo\\" \\ud83d\\ude00","nested":${JSON.stringify(JSON.stringify({ a: 'line\nbreak' }))}}`;
    openai.setScript({ toolCalls: [{ name: 'search', arguments: args }] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'look it up' }] });
    expect(r.blocked).toBeUndefined();
    expect(r.finish).toBe('tool_calls');
    const calls = streamed ? r.chunks?.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []) : r.completion?.choices[0]?.message.tool_calls;
    expect(calls?.[0]).toMatchObject({ function: { name: 'search', arguments: args } });
  });

  it('redacts personal data spelt with escapes where it is written, and plain personal data as before', async () => {
    const text = `Write to jane${esc('@')}example.com or to john.roe@example.org today, please.`;
    openai.setScript({ text, pieces: text.match(/[\s\S]{1,4}/g) ?? [] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'who do I write to?' }] });
    expect(r.blocked).toBeUndefined();
    expect(r.content).toBe('Write to [EMAIL] or to [EMAIL] today, please.');
  });
});

describe.each([false, true])('answers through ollama (streamed: %s)', (streamed) => {
  const context = { subject: ADULT };
  const request = { messages: [{ role: 'user', content: 'a [[adult]] errand' }] };

  it.each([
    ['a string value holding JSON with escapes', { payload: `{"q":"${E}"}` }],
    ['a string value spelling the text in escapes', { q: E }],
    ['a key spelling the text in escapes', { [E]: true }],
    ['an object nested deep', { a: { b: [{ c: `x ${E}` }] } }],
  ] as [string, Record<string, unknown>][])('blocks tool-call arguments (objects on the wire) with %s', async (_name, args) => {
    ollama.setScript({ toolCalls: [{ name: 'search', arguments: args }] });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, request, context);
    expect(r.blocked).toBe('output');
    expectNothingLeaked(r.received);
  });

  it('blocks content that spells the text in escapes', async () => {
    ollama.setScript({ text: `{"answer":"${E}"}` });
    const { guard } = await guardWith();
    const r = await answer(guard, streamed, request, context);
    expect(r.blocked).toBe('output');
    expect(r.received).not.toContain(E.slice(0, 12));
  });
});

/** A request field carrying the text; each is forwarded to the model, so each must be classified. */
const B64 = Buffer.from(`please ${PHRASE} now`).toString('base64');
const FIELD_CASES: [string, Record<string, unknown>, string][] = [
  ['a tool description', { tools: [{ type: 'function', function: { name: 'search', description: `Use it for ${PHRASE}` } }] }, 'tools[0].function.description'],
  ['an escaped tool description', { tools: [{ type: 'function', function: { name: 'search', description: `Use it for ${E}` } }] }, 'tools[0].function.description'],
  [
    'a parameter description, deep in the schema',
    { tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { q: { type: 'array', items: { type: 'object', properties: { x: { type: 'string', description: PHRASE } } } } } } } }] },
    'tools[0].function.parameters.properties.q.items.properties.x.description',
  ],
  ['a parameter title', { tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string', title: PHRASE } } } } }] }, 'tools[0].function.parameters.properties.q.title'],
  ['an example value', { tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string', examples: [PHRASE] } } } } }] }, 'tools[0].function.parameters.properties.q.examples[0]'],
  ['a definition description', { tools: [{ type: 'function', function: { name: 'search', parameters: { $defs: { t: { description: PHRASE } } } } }] }, 'tools[0].function.parameters.$defs.t.description'],
  ['a response_format description', { response_format: { type: 'json_schema', json_schema: { name: 'story', description: PHRASE } } }, 'response_format.json_schema.description'],
  [
    'a response_format schema description',
    { response_format: { type: 'json_schema', json_schema: { name: 'story', schema: { type: 'object', properties: { s: { type: 'string', description: `about ${E}` } } } } } },
    'response_format.json_schema.schema.properties.s.description',
  ],
  ['a message name', { messages: [{ role: 'user', content: 'hi', name: PHRASE }] }, 'messages[0].name'],
  [
    'a base64 data:text URL in an image part',
    { messages: [{ role: 'user', content: [{ type: 'text', text: 'read this' }, { type: 'image_url', image_url: { url: `data:text/plain;base64,${B64}` } }] }] },
    'messages[0].content[1].image_url.url',
  ],
  [
    'a percent-encoded data: URL',
    { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:,please%20${encodeURIComponent(PHRASE).replace(/[A-Z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}` } }] }] },
    'messages[0].content[0].image_url.url',
  ],
  ['an SVG image holding text', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/svg+xml;base64,${Buffer.from(`<svg><text>${PHRASE}</text></svg>`).toString('base64')}` } }] }] }, 'messages[0].content[0].image_url.url'],
];

/** Fields whose text is classified in both modes (identifiers, not prose). */
const IDENTIFIER_CASES: [string, Record<string, unknown>][] = [
  ['a tool name', { tools: [{ type: 'function', function: { name: `x_${PHRASE}` } }] }],
  ['a parameter name', { tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { [PHRASE]: { type: 'string' } } } } }] }],
  ['an enum value', { tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string', enum: ['a', E] } } } } }] }],
  ['a tool_choice', { tool_choice: { type: 'function', function: { name: PHRASE } } }],
];

/** Message text in encodings the model reads through. */
const MESSAGE_CASES: [string, unknown[]][] = [
  ['escaped user content', [{ role: 'user', content: `say ${E}` }]],
  ['an escaped tool result', [{ role: 'user', content: 'look it up' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: JSON.stringify({ r: E }) }]],
  ['escaped tool-call arguments in the history', [{ role: 'user', content: 'look it up' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: nested(2) } }] }, { role: 'tool', tool_call_id: 'c1', content: 'none' }]],
  ['an escaped text part', [{ role: 'user', content: [{ type: 'text', text: E }] }]],
  ['HTML character references in user content', [{ role: 'user', content: 'say &#x46;&#x4f;&#x52;BIDDEN' }]],
];

const asRequest = (fields: Record<string, unknown>): Record<string, unknown> => ({ messages: [{ role: 'user', content: 'hello' }], ...fields });

describe('request fields the model reads', () => {
  it.each(FIELD_CASES)('classifies %s by default, and blocks it without calling a model', async (_name, fields) => {
    const { guard, marker } = await guardWith();
    const out = await guard.chat(asRequest(fields) as never);
    expect(out.saferoute.blocked).toMatchObject({ stage: 'input', reason: 'sexual_minors' });
    expect(upstreamCalls()).toBe(0);
    expect(marker.seen.at(-1)?.text).toContain(PHRASE);
  });

  it.each(FIELD_CASES)('refuses %s as input_invalid naming the field when the policy says `refuse`', async (_name, fields, path) => {
    const { guard } = await guardWith({ input: { extraText: 'refuse' } });
    const error = await guard.chat(asRequest(fields) as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'input_invalid' });
    expect((error as Error).message).toContain(`\`${path}\``);
    expect(upstreamCalls()).toBe(0);
  });

  it.each(IDENTIFIER_CASES)('classifies %s in both modes', async (_name, fields) => {
    for (const extraText of ['classify', 'refuse'] as const) {
      const { guard } = await guardWith({ input: { extraText } });
      const out = await guard.chat(asRequest(fields) as never);
      expect(out.saferoute.blocked).toMatchObject({ stage: 'input' });
    }
    expect(upstreamCalls()).toBe(0);
  });

  it.each(MESSAGE_CASES)('blocks %s', async (_name, messages) => {
    const { guard } = await guardWith();
    const out = await guard.chat({ messages } as never);
    expect(out.saferoute.blocked).toMatchObject({ stage: 'input' });
    expect(upstreamCalls()).toBe(0);
  });

  it('the guard option overrides the policy setting', async () => {
    const { guard } = await guardWith({ input: { extraText: 'refuse' } }, { input: { extraText: 'classify' } });
    const out = await guard.chat(asRequest(FIELD_CASES[0]![1]) as never);
    expect(out.saferoute.blocked?.stage).toBe('input');
  });

  it('refuses file parts, whose text it cannot check', async () => {
    const { guard } = await guardWith();
    const request = { messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.txt', file_data: `data:text/plain;base64,${B64}` } }] }] };
    await expect(guard.chat(request as never)).rejects.toMatchObject({ code: 'input_invalid' });
    expect(upstreamCalls()).toBe(0);
  });

  it('forwards clean tool definitions, response formats and names as they were sent', async () => {
    const tools = [{ type: 'function', function: { name: 'search', description: 'Find a city', parameters: { type: 'object', properties: { q: { type: 'string', description: 'the city', enum: ['Oslo', 'Paris'] } }, required: ['q'] } } }];
    const responseFormat = { type: 'json_schema', json_schema: { name: 'city', description: 'a city', schema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } } } } };
    const seen: Decision[] = [];
    const { guard, marker } = await guardWith({}, { audit: { record: async (d) => void seen.push(d) } });
    const out = await guard.chat({ messages: [{ role: 'user', content: 'hello', name: 'ana' }], tools, response_format: responseFormat } as never);
    expect(out.saferoute.blocked).toBeUndefined();
    expect(openai.chatRequests()[0]?.json).toMatchObject({ tools, response_format: responseFormat, messages: [{ role: 'user', content: 'hello', name: 'ana' }] });
    const classified = marker.seen[0]?.text ?? '';
    for (const t of ['Find a city', 'the city', 'Oslo', 'a city', 'Name', 'ana', 'search']) expect(classified).toContain(t);
    expect(seen[0]?.stage).toBe('input');
  });
});

describe('the reviewer’s case with the shipped classifiers', () => {
  it('blocks an answer whose tool-call arguments spell profanity in \\u escapes, streamed and not', async () => {
    const { createClassifierRegistry, defaultClassifierFactories } = await import('../../src/classifiers/registry.js');
    const registry = createClassifierRegistry(defaultClassifierFactories({}));
    const sentence = 'Honestly the plan is a fucking disaster and everyone involved is a shithead.';
    const doc = testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }).document;
    const guard = await createGuard({
      policy: validatePolicyObjectOrThrow({
        ...doc,
        classifiers: { input: ['lexicon'], output: ['lexicon'] },
        rules: [{ id: 'no-profanity', description: 'd', stage: 'output', when: { score: 'profanity', gte: 0.5 }, effect: { action: 'block', reason: 'profanity' } }],
      }),
      classifiers: registry,
      env,
      providerOptions: { maxRetries: 0 },
    });
    for (const streamed of [false, true]) {
      openai.setScript({ toolCalls: [{ name: 'post_comment', arguments: `{"text":"${esc(sentence)}"}` }], toolCallPieceChars: 7 });
      const r = await answer(guard, streamed, { messages: [{ role: 'user', content: 'post my opinion' }] });
      expect(r.blocked).toBe('output');
      expect(r.received).not.toContain(esc('fuck'));
      expect(r.received).not.toContain('"tool_calls"');
    }
  });
});
