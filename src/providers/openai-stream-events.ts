import type { ProviderStreamEvent, ToolCall } from './chat-provider.js';
import type { CallDeadline } from './call-deadline.js';
import { ProviderError } from './provider-error.js';
import { readOpenAIChunk, type OpenAIChunkRead } from './openai-wire.js';

/**
 * OpenAI `chat.completion.chunk`s (already parsed) as provider events: text deltas, then one
 * `done` with the tool calls, function call, refusal, finish reason and usage gathered on the way.
 * A stream that ends without a finish reason is `truncated`; one the consumer leaves early is
 * aborted upstream. `fail` turns anything thrown while reading into the error to raise.
 */
export async function* openAIStreamEvents(name: string, model: string, chunks: AsyncIterable<unknown>, deadline: CallDeadline, fail: (error: unknown) => unknown): AsyncGenerator<ProviderStreamEvent> {
  const state = { id: undefined as string | undefined, model, refusal: '', finish: undefined as OpenAIChunkRead['finishReason'], usage: undefined as OpenAIChunkRead['usage'] };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  let functionCall: { name: string; arguments: string } | undefined;
  try {
    for await (const chunk of chunks) {
      deadline.progress();
      const read = readOpenAIChunk(chunk);
      if (typeof read === 'string') throw new ProviderError(name, 'bad_response', `${name} sent an invalid stream chunk: ${read}`);
      if (read.id != null) state.id = read.id;
      if (read.model) state.model = read.model;
      if (read.usage) state.usage = read.usage;
      if (read.refusal) state.refusal += read.refusal;
      for (const d of read.toolCallDeltas) {
        const call = calls.get(d.index) ?? { id: '', name: '', arguments: '' };
        if (d.id) call.id = d.id;
        if (d.name) call.name += d.name;
        if (d.arguments) call.arguments += d.arguments;
        calls.set(d.index, call);
      }
      if (read.functionCallDelta) {
        functionCall ??= { name: '', arguments: '' };
        functionCall.name += read.functionCallDelta.name ?? '';
        functionCall.arguments += read.functionCallDelta.arguments ?? '';
      }
      if (read.finishReason) state.finish = read.finishReason;
      if (read.content) yield { type: 'delta', text: read.content };
    }
    // An aborted request may end the iteration quietly: say why instead.
    if (deadline.aborted) throw deadline.failure(name, undefined);
    if (!state.finish) throw new ProviderError(name, 'truncated', `${name} closed the stream before it finished`);
    const toolCalls: ToolCall[] = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    yield {
      type: 'done',
      model: state.model,
      toolCalls,
      finishReason: state.finish,
      ...(state.id != null ? { id: state.id } : {}),
      ...(state.refusal !== '' ? { refusal: state.refusal } : {}),
      ...(functionCall ? { functionCall } : {}),
      ...(state.usage ? { usage: state.usage } : {}),
    };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw fail(error);
  } finally {
    // Reached early when the consumer stops reading: the upstream request is cancelled.
    if (!deadline.aborted && state.finish == null) deadline.abort();
    deadline.dispose();
  }
}
