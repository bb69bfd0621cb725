import type { FinishReason, ProviderCompletion, TokenUsage, ToolCall } from './chat-provider.js';
import { ProviderError } from './provider-error.js';

/**
 * Reading what an OpenAI-compatible server sent, checked by hand rather than trusted: servers
 * that merely claim compatibility (vLLM, llama.cpp, LM Studio, Ollama's `/v1`) differ in details,
 * and a garbage answer must become a typed error, never a crash or an empty success.
 */

export interface OpenAICompletionRead {
  id?: string;
  model?: string;
  text: string;
  refusal?: string;
  toolCalls: ToolCall[];
  functionCall?: ToolCall['function'];
  finishReason: FinishReason;
  usage?: TokenUsage;
}

const FINISH_REASONS = new Set<FinishReason>(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

export function readFinishReason(value: unknown): FinishReason | undefined {
  return typeof value === 'string' && FINISH_REASONS.has(value as FinishReason) ? (value as FinishReason) : undefined;
}

export function readUsage(value: unknown): TokenUsage | undefined {
  if (!isRecord(value)) return undefined;
  const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = value;
  if (typeof p !== 'number' || typeof c !== 'number') return undefined;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: typeof t === 'number' ? t : p + c };
}

/** A non-streaming `chat.completion`; a string says what is wrong with it. */
export function readOpenAICompletion(body: unknown): OpenAICompletionRead | string {
  if (!isRecord(body)) return 'the response is not a JSON object';
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0) return 'the response has no `choices`';
  const choice: unknown = choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) return 'the first choice has no `message`';
  const message = choice.message;
  if (message.content != null && typeof message.content !== 'string') return '`message.content` is not a string';
  const toolCalls: ToolCall[] = [];
  if (message.tool_calls != null) {
    if (!Array.isArray(message.tool_calls)) return '`message.tool_calls` is not an array';
    for (const call of message.tool_calls) {
      const read = readToolCall(call);
      if (typeof read === 'string') return read;
      toolCalls.push(read);
    }
  }
  let functionCall: ToolCall['function'] | undefined;
  if (message.function_call != null) {
    const fc = message.function_call;
    if (!isRecord(fc) || typeof fc.name !== 'string') return '`message.function_call` has no function name';
    functionCall = { name: fc.name, arguments: typeof fc.arguments === 'string' ? fc.arguments : JSON.stringify(fc.arguments ?? {}) };
  }
  const finishReason = readFinishReason(choice.finish_reason) ?? (toolCalls.length > 0 ? 'tool_calls' : undefined);
  if (!finishReason) return `unknown \`finish_reason\` \`${String(choice.finish_reason)}\``;
  const out: OpenAICompletionRead = { text: (message.content as string | null) ?? '', toolCalls, finishReason };
  if (functionCall) out.functionCall = functionCall;
  if (typeof body.id === 'string') out.id = body.id;
  if (typeof body.model === 'string') out.model = body.model;
  if (typeof message.refusal === 'string' && message.refusal !== '') out.refusal = message.refusal;
  const usage = readUsage(body.usage);
  if (usage) out.usage = usage;
  return out;
}

function readToolCall(call: unknown): ToolCall | string {
  if (!isRecord(call) || !isRecord(call.function)) return 'a tool call has no `function`';
  const { name, arguments: args } = call.function;
  if (typeof name !== 'string') return 'a tool call has no function name';
  return {
    id: typeof call.id === 'string' ? call.id : '',
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  };
}

/** What one `chat.completion.chunk` contributes. */
export interface OpenAIChunkRead {
  id?: string;
  model?: string;
  content?: string;
  refusal?: string;
  toolCallDeltas: { index: number; id?: string; name?: string; arguments?: string }[];
  /** A piece of a legacy `function_call`. */
  functionCallDelta?: { name?: string; arguments?: string };
  finishReason?: FinishReason;
  usage?: TokenUsage;
}

export function readOpenAIChunk(chunk: unknown): OpenAIChunkRead | string {
  if (!isRecord(chunk)) return 'a stream chunk is not a JSON object';
  const out: OpenAIChunkRead = { toolCallDeltas: [] };
  if (typeof chunk.id === 'string') out.id = chunk.id;
  if (typeof chunk.model === 'string') out.model = chunk.model;
  const usage = readUsage(chunk.usage);
  if (usage) out.usage = usage;
  const choices = chunk.choices;
  if (choices == null) return out;
  if (!Array.isArray(choices)) return 'a stream chunk has `choices` that is not an array';
  const choice: unknown = choices[0];
  if (choice === undefined) return out;
  if (!isRecord(choice)) return 'a stream chunk has a malformed choice';
  if (choice.finish_reason != null) {
    const reason = readFinishReason(choice.finish_reason);
    if (!reason) return `unknown \`finish_reason\` \`${String(choice.finish_reason)}\``;
    out.finishReason = reason;
  }
  const delta = choice.delta;
  if (delta == null) return out;
  if (!isRecord(delta)) return 'a stream chunk has a malformed `delta`';
  if (delta.content != null) {
    if (typeof delta.content !== 'string') return '`delta.content` is not a string';
    out.content = delta.content;
  }
  if (typeof delta.refusal === 'string') out.refusal = delta.refusal;
  if (isRecord(delta.function_call)) {
    const { name, arguments: args } = delta.function_call;
    out.functionCallDelta = { ...(typeof name === 'string' ? { name } : {}), ...(typeof args === 'string' ? { arguments: args } : {}) };
  }
  if (Array.isArray(delta.tool_calls)) {
    for (const d of delta.tool_calls) {
      if (!isRecord(d) || typeof d.index !== 'number') return 'a tool call delta has no `index`';
      const fn = isRecord(d.function) ? d.function : {};
      out.toolCallDeltas.push({
        index: d.index,
        ...(typeof d.id === 'string' ? { id: d.id } : {}),
        ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
        ...(typeof fn.arguments === 'string' ? { arguments: fn.arguments } : {}),
      });
    }
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A completion body as the provider returns it (`model` when the server names none); `bad_response` when it is not one. */
export function providerCompletion(provider: string, model: string, body: unknown): ProviderCompletion {
  const read = readOpenAICompletion(body);
  if (typeof read === 'string') throw new ProviderError(provider, 'bad_response', `${provider} sent an invalid completion: ${read}`);
  const out: ProviderCompletion = { model: read.model ?? model, text: read.text, toolCalls: read.toolCalls, finishReason: read.finishReason };
  if (read.id != null) out.id = read.id;
  if (read.refusal != null) out.refusal = read.refusal;
  if (read.functionCall) out.functionCall = read.functionCall;
  if (read.usage) out.usage = read.usage;
  return out;
}
