import { describe, expect, it } from 'vitest';
import { createOllamaProvider, createOpenAIProvider, ProviderConfigError, ProviderError, type ChatProvider, type ProviderStreamEvent } from '../../src/providers/index.js';
import type { FakeOllamaChatServer, FakeOpenAIChatServer } from '../support/fake-chat-upstreams.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test-key' });

const env = { KEY: 'sk-test-key' };
const request = { model: '', messages: [{ role: 'user' as const, content: 'hi' }], params: { temperature: 0.2, max_tokens: 50 } };

async function collect(stream: AsyncIterable<ProviderStreamEvent>): Promise<{ text: string; done?: Extract<ProviderStreamEvent, { type: 'done' }> }> {
  let text = '';
  let done: Extract<ProviderStreamEvent, { type: 'done' }> | undefined;
  for await (const e of stream) {
    if (e.type === 'delta') text += e.text;
    else done = e;
  }
  return done ? { text, done } : { text };
}

type Kind = 'openai' | 'ollama';
const makers: Record<Kind, (o?: { timeoutMs?: number; idleTimeoutMs?: number }) => ChatProvider> = {
  openai: (o = {}) => createOpenAIProvider({ baseURL: openai.baseURL, apiKeyEnv: 'KEY', env, model: 'gpt-4o-mini', maxRetries: 0, ...o }),
  ollama: (o = {}) => createOllamaProvider({ host: ollama.host, model: 'llama3.1:8b', ...o }),
};
const server = (kind: Kind): FakeOpenAIChatServer | FakeOllamaChatServer => (kind === 'openai' ? openai : ollama);
const chatPath = (kind: Kind): string => (kind === 'openai' ? '/v1/chat/completions' : '/api/chat');

describe.each(['openai', 'ollama'] as const)('%s provider', (kind) => {
  it('completes, sending the model and the sampling options in the vendor format', async () => {
    server(kind).setScript({ text: 'Paris is the capital.' });
    const out = await makers[kind]().complete(request);
    expect(out.text).toBe('Paris is the capital.');
    expect(out.finishReason).toBe('stop');
    expect(out.usage?.total_tokens).toBeGreaterThan(0);
    const body = server(kind).chatRequests()[0]?.json as Record<string, unknown>;
    if (kind === 'openai') expect(body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    else expect(body).toMatchObject({ model: 'llama3.1:8b', stream: false, options: { temperature: 0.2, num_predict: 50 }, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('streams deltas in order and ends with one done event', async () => {
    server(kind).setScript({ text: 'One, two, three, four, five.', delayMs: 1 });
    const { text, done } = await collect(await makers[kind]().stream(request));
    expect(text).toBe('One, two, three, four, five.');
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it('turns an HTTP 500 into a typed error with the status', async () => {
    server(kind).script(chatPath(kind), { kind: 'status', status: 500 });
    const error = await makers[kind]().complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'provider_failed', failure: 'status', status: 500 });
  });

  it('turns a garbage body into bad_response', async () => {
    server(kind).script(chatPath(kind), { kind: 'malformed', body: '{"this is": not json' });
    await expect(makers[kind]().complete(request)).rejects.toMatchObject({ code: 'provider_failed', failure: 'bad_response' });
  });

  it('turns a garbage line mid-stream into bad_response', async () => {
    server(kind).setScript({ text: 'a b c d e f g h i j k l m n o p', garbageAt: { index: 2, line: kind === 'openai' ? 'data: {oops\n\n' : '{oops\n' } });
    await expect(collect(await makers[kind]().stream(request))).rejects.toMatchObject({ code: 'provider_failed', failure: 'bad_response' });
  });

  it('reports a connection dropped mid-stream', async () => {
    server(kind).setScript({ text: 'a b c d e f g h i j k l m n o p', delayMs: 20, breakAfter: { pieces: 2, how: 'destroy' } });
    const stream = await makers[kind]().stream(request);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'provider_failed', failure: 'connection' });
  });

  it('reports a stream that ends without finishing as truncated', async () => {
    server(kind).setScript({ text: 'a b c d e f g h i j k l m n o p', breakAfter: { pieces: 2, how: 'end' } });
    await expect(collect(await makers[kind]().stream(request))).rejects.toMatchObject({ code: 'provider_failed', failure: 'truncated' });
  });

  it('times out a call that gets no answer', async () => {
    server(kind).script(chatPath(kind), { kind: 'hang' });
    const started = Date.now();
    await expect(makers[kind]({ timeoutMs: 150 }).complete(request)).rejects.toMatchObject({ code: 'provider_failed', failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await server(kind).waitForEarlyClose();
  });

  it('times out a stream that stalls, and closes the connection', async () => {
    server(kind).setScript({ text: 'a b c d e f g h i j k l m n o p', breakAfter: { pieces: 2, how: 'stall' } });
    const stream = await makers[kind]({ idleTimeoutMs: 150 }).stream(request);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'provider_failed', failure: 'timeout' });
    await server(kind).waitForEarlyClose();
  });

  it('passes the caller’s abort to the upstream request', async () => {
    server(kind).setScript({ text: 'word '.repeat(200), delayMs: 5 });
    const controller = new AbortController();
    const stream = await makers[kind]().stream(request, { signal: controller.signal });
    const iterate = (async () => {
      let n = 0;
      for await (const e of stream) if (e.type === 'delta' && ++n === 3) controller.abort(new Error('user went away'));
    })();
    await expect(iterate).rejects.toThrow('user went away');
    await server(kind).waitForEarlyClose();
    expect(server(kind).piecesWritten[0]).toBeLessThan(200);
  });

  it('cancels the upstream when the consumer stops reading', async () => {
    server(kind).setScript({ text: 'word '.repeat(200), delayMs: 5 });
    const stream = await makers[kind]().stream(request);
    for await (const e of stream) if (e.type === 'delta') break;
    await server(kind).waitForEarlyClose();
  });
});

describe('provider configuration', () => {
  it('fails closed, naming the variable, when the key variable is unset; nothing is sent', async () => {
    const provider = createOpenAIProvider({ baseURL: openai.baseURL, apiKeyEnv: 'SAFEROUTE_UNSET_KEY', env: {}, model: 'm' });
    const error = await provider.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderConfigError);
    expect(error).toMatchObject({ code: 'provider_config', variable: 'SAFEROUTE_UNSET_KEY' });
    expect((error as Error).message).toContain('`SAFEROUTE_UNSET_KEY`');
    await expect(provider.stream(request)).rejects.toMatchObject({ code: 'provider_config' });
    expect(openai.requests).toHaveLength(0);
  });

  it('refuses to call api.openai.com without any key', async () => {
    await expect(createOpenAIProvider({ model: 'm' }).complete(request)).rejects.toMatchObject({ code: 'provider_config' });
  });

  it('reports a wrong key as HTTP 401 without echoing it', async () => {
    const provider = createOpenAIProvider({ baseURL: openai.baseURL, apiKey: 'sk-wrong-secret-123', model: 'm', maxRetries: 0 });
    const error = (await provider.complete(request).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ failure: 'status', status: 401 });
    expect(error.message).not.toContain('sk-wrong-secret-123');
  });

  it('sends Ollama images as base64 and refuses image links', async () => {
    const provider = makers.ollama();
    await provider.complete({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      params: {},
    });
    expect(ollama.chatRequests()[0]?.json).toMatchObject({ messages: [{ role: 'user', content: 'what is this?', images: ['iVBORw0KGgo='] }] });
    await expect(
      provider.complete({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }], params: {} }),
    ).rejects.toMatchObject({ code: 'input_invalid' });
    expect(ollama.chatRequests()).toHaveLength(1);
  });

  it('names an unknown Ollama model from the 404', async () => {
    const error = await createOllamaProvider({ host: ollama.host, model: 'nope:1b' }).complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'status', status: 404 });
    expect((error as Error).message).toContain('nope:1b');
  });

  it('reassembles streamed tool calls', async () => {
    openai.setScript({ toolCalls: [{ name: 'lookup', arguments: { city: 'Paris' } }] });
    const { done } = await collect(await makers.openai().stream(request));
    expect(done?.finishReason).toBe('tool_calls');
    expect(done?.toolCalls).toEqual([{ id: expect.any(String), type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } }]);
  });
});
