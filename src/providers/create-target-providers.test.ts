import { describe, expect, it } from 'vitest';
import { createTargetProviders } from './create-target-providers.js';
import { readOpenAIChunk, readOpenAICompletion } from './openai-wire.js';

describe('createTargetProviders', () => {
  it('builds one provider per target and sends nothing while doing so', () => {
    const providers = createTargetProviders({
      sfw: { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'UNSET_AT_BUILD_TIME' },
      local: { provider: 'ollama', model: 'llama3.1:8b', baseURL: 'http://127.0.0.1:9' },
      nothing: { provider: 'none', model: 'n/a' },
    }, { env: {} });
    expect(Object.fromEntries(Object.entries(providers).map(([k, p]) => [k, p.name]))).toEqual({ sfw: 'openai', local: 'ollama', nothing: 'none' });
  });

  it('fails closed for a target without a model to call', async () => {
    const { nothing } = createTargetProviders({ nothing: { provider: 'none', model: 'n/a' } });
    await expect(nothing!.complete({ messages: [{ role: 'user', content: 'hi' }], params: {} })).rejects.toMatchObject({ code: 'provider_config' });
    await expect(nothing!.stream({ messages: [{ role: 'user', content: 'hi' }], params: {} })).rejects.toThrow(/`nothing` has no model/);
  });

  it('names the target whose upstream failed, once, in complete and stream alike', async () => {
    const request = { messages: [{ role: 'user' as const, content: 'hi' }], params: {} };
    const { restricted } = createTargetProviders({ restricted: { provider: 'ollama', model: 'llama3.1:8b', baseURL: 'http://127.0.0.1:9' } }, { timeoutMs: 5000 });
    for (const call of [() => restricted!.complete(request), () => restricted!.stream(request)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'provider_failed', failure: 'connection' });
      expect((error as Error).message).toMatch(/^target `restricted`: cannot reach ollama at `http:\/\/127\.0\.0\.1:9`/);
    }
  });

  it('names the target, the variable and what to do when the key variable is unset', async () => {
    const request = { messages: [{ role: 'user' as const, content: 'hi' }], params: {} };
    for (const target of [{ provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'UNSET_SFW_KEY' }, { provider: 'ollama', model: 'llama3.1:8b', apiKeyEnv: 'UNSET_SFW_KEY' }] as const) {
      const { sfw } = createTargetProviders({ sfw: target }, { env: {} });
      for (const call of [() => sfw!.complete(request), () => sfw!.stream(request)]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'provider_config', variable: 'UNSET_SFW_KEY' });
        expect((error as Error).message).toBe(
          `target \`sfw\`: the ${target.provider} API key variable \`UNSET_SFW_KEY\` is not set: set it in the environment of the process that calls the model (the app, \`saferoute chat\` or \`saferoute serve\`), or name another variable in the target's \`apiKeyEnv\``,
        );
      }
    }
  });
});

describe('reading OpenAI-compatible answers', () => {
  it('reads a completion and rejects what is not one', () => {
    expect(readOpenAICompletion({ id: 'x', model: 'm', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] })).toMatchObject({ text: 'hi', finishReason: 'stop', toolCalls: [] });
    expect(readOpenAICompletion('<html>')).toMatch(/not a JSON object/);
    expect(readOpenAICompletion({ choices: [] })).toMatch(/no `choices`/);
    expect(readOpenAICompletion({ choices: [{ message: { content: 3 }, finish_reason: 'stop' }] })).toMatch(/content/);
    expect(readOpenAICompletion({ choices: [{ message: { content: 'x' }, finish_reason: 'exploded' }] })).toMatch(/finish_reason/);
  });

  it('reads stream chunks, including the usage-only last chunk', () => {
    expect(readOpenAIChunk({ choices: [{ delta: { content: 'a' }, finish_reason: null }] })).toMatchObject({ content: 'a' });
    expect(readOpenAIChunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })).toMatchObject({ usage: { total_tokens: 3 } });
    expect(readOpenAIChunk({ choices: [{ delta: { content: 5 } }] })).toMatch(/delta.content/);
    expect(readOpenAIChunk({ choices: [{ delta: { tool_calls: [{ function: { name: 'f' } }] } }] })).toMatch(/index/);
  });
});
