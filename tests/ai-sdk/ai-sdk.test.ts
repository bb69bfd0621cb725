import { describe, expect, it } from 'vitest';
import { generateText, streamText, wrapLanguageModel, type LanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import { saferouteMiddleware, saferouteModel } from '../../src/ai-sdk/index.js';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { ContentBlockedError } from '../../src/guard/content-blocked-error.js';
import type { Decision } from '../../src/decision/decision.js';
import { ADULT, NOW, defaultClassifiers, prng, testPolicy } from '../guard/guard-fixtures.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const USAGE: LanguageModelV3Usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const ANSWER =
  'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon, and the gulls call. ' +
  'Then the story turns: FORBIDDEN details follow here, and this whole tail must never reach the caller. More text after it.';
const CLEAN = 'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon, and the gulls call.';

async function core(recorded: Decision[] = []) {
  const { resolver, marker } = defaultClassifiers();
  const guard = await createGuardCore({ policy: testPolicy(UP), classifiers: resolver, clock: () => NOW, audit: { record: async (d) => void recorded.push(d) } });
  return { guard, marker };
}

function textModel(text: string, extra: { reasoning?: string; toolInput?: string } = {}) {
  return new MockLanguageModelV3({
    doGenerate: async () => ({
      content: [
        ...(extra.reasoning ? [{ type: 'reasoning' as const, text: extra.reasoning }] : []),
        { type: 'text' as const, text },
        ...(extra.toolInput ? [{ type: 'tool-call' as const, toolCallId: 'c1', toolName: 'search', input: extra.toolInput }] : []),
      ],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: USAGE,
      warnings: [],
    }),
  });
}

function streamModel(pieces: string[], tail: LanguageModelV3StreamPart[] = []) {
  let cancelled = false;
  let pulled = 0;
  const parts: LanguageModelV3StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't1' },
    ...pieces.map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
    { type: 'text-end', id: 't1' },
    ...tail,
    { type: 'finish', usage: USAGE, finishReason: { unified: 'stop', raw: 'stop' } },
  ];
  const model = new MockLanguageModelV3({
    doStream: async () => ({
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        pull(controller) {
          const p = parts[pulled++];
          if (p) controller.enqueue(p);
          else controller.close();
        },
        cancel() {
          cancelled = true;
        },
      }),
    }),
  });
  return { model, cancelled: () => cancelled, pulled: () => pulled, total: parts.length };
}

const chop = (text: string, seed: number): string[] => {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rand() * 13);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
};

describe('saferouteMiddleware: generate', () => {
  it('blocks a prompt before the model is called, with the refusal and a content-filter finish', async () => {
    const { guard } = await core();
    const model = textModel('never');
    const result = await generateText({ model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard }) }), prompt: 'FORBIDDEN' });
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(result.text).toBe('This request cannot be processed.');
    expect(result.finishReason).toBe('content-filter');
    expect(result.providerMetadata?.saferoute).toMatchObject({ blocked: { stage: 'input', reason: 'sexual_minors' } });
  });

  it('passes a clean answer, redacts personal data, and puts the decision ids in providerMetadata', async () => {
    const recorded: Decision[] = [];
    const { guard } = await core(recorded);
    const result = await generateText({ model: wrapLanguageModel({ model: textModel('Write to jane@example.com.'), middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
    expect(result.text).toBe('Write to [EMAIL].');
    const meta = result.providerMetadata?.saferoute as Record<string, unknown>;
    expect(meta).toMatchObject({ target: 'sfw', redacted: ['pii'] });
    expect(recorded.map((d) => d.decisionId)).toEqual([meta.inputDecisionId, meta.outputDecisionId]);
  });

  it('checks reasoning and tool-call inputs as a tool reads them (escapes decoded)', async () => {
    const { guard } = await core();
    const escaped = '{"q":"\\u0046\\u004f\\u0052\\u0042\\u0049\\u0044\\u0044\\u0045\\u004e"}';
    for (const model of [textModel('fine', { reasoning: 'think: FORBIDDEN' }), textModel('fine', { toolInput: escaped })]) {
      const result = await generateText({ model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
      expect(result.finishReason).toBe('content-filter');
      expect(JSON.stringify(result.response.messages)).not.toContain('FORBIDDEN');
      expect(JSON.stringify(result.response.messages)).not.toContain('\\\\u0046');
    }
  });

  it('throws ContentBlockedError with the decision when asked to', async () => {
    const { guard } = await core();
    const model = wrapLanguageModel({ model: textModel('a FORBIDDEN answer'), middleware: saferouteMiddleware({ guard, onBlock: 'throw' }) });
    const error = await generateText({ model, prompt: 'hello', maxRetries: 0 }).catch((e: unknown) => e);
    const cause = error instanceof ContentBlockedError ? error : (error as { cause?: unknown }).cause ?? (error as { lastError?: unknown }).lastError;
    expect(cause).toBeInstanceOf(ContentBlockedError);
    expect((cause as ContentBlockedError).decision?.stage).toBe('output');
  });

  it('refuses a request the policy routes to a target the wrapped model does not serve', async () => {
    const { guard } = await core();
    const model = textModel('never');
    const result = await generateText({
      model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard, context: { subject: ADULT } }) }),
      prompt: '[[adult]] story please',
    });
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(result.providerMetadata?.saferoute).toMatchObject({ blocked: { reason: 'target_not_served' } });
  });

  it('reads the subject from providerOptions.saferoute and never forwards it to the model', async () => {
    const recorded: Decision[] = [];
    const { guard } = await core(recorded);
    const model = textModel('hi');
    await generateText({
      model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard }) }),
      prompt: 'hello',
      providerOptions: { saferoute: { subjectId: 'u-42', tenant: 'acme' } },
    });
    expect(model.doGenerateCalls[0]?.providerOptions?.saferoute).toBeUndefined();
    expect(recorded[0]?.subject).toBeUndefined();
    await expect(
      generateText({ model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello', providerOptions: { saferoute: { subject: 'x' } }, maxRetries: 0 }),
    ).rejects.toThrow(/not a context field/);
  });
});

describe('saferouteMiddleware: stream', () => {
  it('releases a clean answer whole, in order, with the finish metadata', async () => {
    const { guard } = await core();
    const { model } = streamModel(chop(CLEAN, 3));
    const result = streamText({ model: wrapLanguageModel({ model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
    expect(await result.text).toBe(CLEAN);
    expect(await result.finishReason).toBe('stop');
    expect((await result.providerMetadata)?.saferoute).toMatchObject({ target: 'sfw' });
  });

  it('leaks not one byte of a violating answer for any chunking, and cancels the upstream', async () => {
    const { guard } = await core();
    for (let seed = 1; seed <= 12; seed++) {
      const up = streamModel(chop(ANSWER, seed));
      const parts: unknown[] = [];
      const result = streamText({ model: wrapLanguageModel({ model: up.model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
      for await (const p of result.fullStream) parts.push(p);
      const received = JSON.stringify(parts);
      expect(received).not.toContain('FORB');
      expect(received).not.toContain('must never reach');
      const released = parts.flatMap((p) => ((p as { type: string }).type === 'text-delta' ? [(p as { text: string }).text] : [])).join('');
      expect(released.endsWith('This request cannot be processed.')).toBe(true);
      const answerPart = released.slice(0, -'This request cannot be processed.'.length);
      expect(ANSWER.startsWith(answerPart)).toBe(true);
      expect(answerPart.length).toBeGreaterThan(40);
      expect(await result.finishReason).toBe('content-filter');
      expect(up.cancelled()).toBe(true);
      expect(up.pulled()).toBeLessThan(up.total);
    }
  });

  it('holds tool inputs and reasoning until the final check, and withholds them when it fails', async () => {
    const { guard } = await core();
    const escaped = '{"q":"\\u0046\\u004f\\u0052\\u0042\\u0049\\u0044\\u0044\\u0045\\u004e"}';
    const tail: LanguageModelV3StreamPart[] = [
      { type: 'tool-input-start', id: 'c1', toolName: 'search' },
      ...chop(escaped, 5).map((delta) => ({ type: 'tool-input-delta' as const, id: 'c1', delta })),
      { type: 'tool-input-end', id: 'c1' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'search', input: escaped },
    ];
    const up = streamModel(['All good here.'], tail);
    const parts: { type: string }[] = [];
    const result = streamText({ model: wrapLanguageModel({ model: up.model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
    for await (const p of result.fullStream) parts.push(p as { type: string });
    expect(parts.some((p) => p.type.startsWith('tool-'))).toBe(false);
    expect(JSON.stringify(parts)).not.toContain('u0046');
    expect(await result.finishReason).toBe('content-filter');

    const ok = streamModel(['All good here.'], [{ type: 'tool-call', toolCallId: 'c2', toolName: 'search', input: '{"q":"weather"}' }]);
    const okParts: { type: string }[] = [];
    const okResult = streamText({ model: wrapLanguageModel({ model: ok.model, middleware: saferouteMiddleware({ guard }) }), prompt: 'hello' });
    for await (const p of okResult.fullStream) okParts.push(p as { type: string });
    expect(okParts.some((p) => p.type === 'tool-call')).toBe(true);
  });

  it('blocks a streamed prompt without calling the model', async () => {
    const { guard } = await core();
    const up = streamModel(['never']);
    const result = streamText({ model: wrapLanguageModel({ model: up.model, middleware: saferouteMiddleware({ guard }) }), prompt: 'FORBIDDEN' });
    expect(await result.text).toBe('This request cannot be processed.');
    expect(up.model.doStreamCalls).toHaveLength(0);
  });
});

describe('saferouteModel', () => {
  it('calls the model of the target the policy chose', async () => {
    const { guard } = await core();
    const sfw = textModel('sfw answer');
    const restricted = textModel('restricted answer');
    const priv = textModel('private answer');
    const model: LanguageModel = saferouteModel({ guard, targets: { sfw, restricted, private: priv }, context: { subject: ADULT } });
    expect((await generateText({ model, prompt: 'hello' })).text).toBe('sfw answer');
    expect((await generateText({ model, prompt: 'a [[adult]] story' })).text).toBe('restricted answer');
    expect((await generateText({ model, prompt: 'mail jane@example.com' })).text).toBe('private answer');
    expect((await generateText({ model, prompt: 'FORBIDDEN' })).finishReason).toBe('content-filter');
    expect([sfw, restricted, priv].map((m) => m.doGenerateCalls.length)).toEqual([1, 1, 1]);
  });

  it('streams through the chosen target, checked', async () => {
    const { guard } = await core();
    const sfw = streamModel(chop(ANSWER, 9));
    const model = saferouteModel({ guard, targets: { sfw: sfw.model, restricted: textModel('x'), private: textModel('y') } });
    const result = streamText({ model, prompt: 'hello' });
    const text = await result.text;
    expect(text).not.toContain('FORB');
    expect(await result.finishReason).toBe('content-filter');
  });

  it('refuses to start without a model for every target', async () => {
    const { guard } = await core();
    expect(() => saferouteModel({ guard, targets: { sfw: textModel('x') } })).toThrow(/missing: `restricted`, `private`/);
  });
});
