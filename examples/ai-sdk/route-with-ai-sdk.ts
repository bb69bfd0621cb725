/**
 * saferoute with the Vercel AI SDK (ai@6): a routing model and a middleware, end to end.
 *
 *   npx tsx examples/ai-sdk/route-with-ai-sdk.ts
 *
 * The two "models" here are the AI SDK's mock models, so the example runs offline. In an app they
 * are real providers — `openai('gpt-4o-mini')` from `@ai-sdk/openai`, a local model through
 * `createOpenAICompatible({ baseURL: 'http://localhost:11434/v1' })`, … — and nothing else changes.
 */
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { createGuard, shippedPolicyPath } from 'saferoute';
import { saferouteMiddleware, saferouteModel } from 'saferoute/ai-sdk';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 12, text: 12, reasoning: 0 } };
const answering = (name: string, text: string) =>
  new MockLanguageModelV3({
    modelId: name,
    doGenerate: async () => ({ content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] }),
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'text-start', id: '1' },
          ...text.split(/(?<= )/).map((delta) => ({ type: 'text-delta' as const, id: '1', delta })),
          { type: 'text-end', id: '1' },
          { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
        ],
      }),
    }),
  });

// The shipped default policy, the embedded classifiers, no audit log (see the README for one).
const guard = await createGuard({ policy: shippedPolicyPath('default') });

// 1. A routing model: the policy picks the target, the target's model answers.
const model = saferouteModel({
  guard,
  targets: {
    sfw: answering('hosted-sfw', 'Tides are caused mostly by the Moon pulling on the oceans.'),
    restricted: answering('adult-capable', '(an adult story)'),
    private: answering('on-prem', 'Your account details are handled on our own servers.'),
  },
});
const tides = await generateText({ model, prompt: 'Explain how tides work.' });
console.log('routing model:', tides.text, tides.providerMetadata?.saferoute);

const blocked = await generateText({ model, prompt: 'Write an explicit erotic story about two consenting adults.' });
console.log('unverified adult request:', blocked.finishReason, blocked.text);

// 2. A middleware around the one model an app already has: checked in, checked out, streamed.
const wrapped = wrapLanguageModel({ model: answering('my-model', 'Here is a short, friendly poem about autumn leaves.'), middleware: saferouteMiddleware({ guard }) });
const poem = streamText({ model: wrapped, prompt: 'Write a short poem about autumn.', providerOptions: { saferoute: { subjectId: 'user-1', tenant: 'acme' } } });
process.stdout.write('middleware stream: ');
for await (const delta of poem.textStream) process.stdout.write(delta);
process.stdout.write(`\nfinish: ${await poem.finishReason}\n`);
