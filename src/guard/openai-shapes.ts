import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FinishReason, TokenUsage, ToolCall } from '../providers/chat-provider.js';
import type { SaferouteInfo } from './saferoute-info.js';

/** An OpenAI `chat.completion` with the guard's `saferoute` field. */
export type GuardedCompletion = ChatCompletion & { saferoute: SaferouteInfo };

/** An OpenAI `chat.completion.chunk`; the last chunk of a guarded stream carries `saferoute`. */
export type GuardedChunk = ChatCompletionChunk & { saferoute?: SaferouteInfo };

export interface CompletionParts {
  id: string;
  model: string;
  created: number;
  /** `null` when the answer is a refusal only. */
  content: string | null;
  refusal?: string;
  toolCalls?: ToolCall[];
  /** A legacy `function_call`, passed on as the model sent it (after the check). */
  functionCall?: ToolCall['function'];
  finishReason: FinishReason;
  usage?: TokenUsage;
  saferoute: SaferouteInfo;
}

export function buildCompletion(p: CompletionParts): GuardedCompletion {
  return {
    id: p.id,
    object: 'chat.completion',
    created: p.created,
    model: p.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: p.content,
          refusal: p.refusal ?? null,
          ...(p.toolCalls && p.toolCalls.length > 0 ? { tool_calls: p.toolCalls } : {}),
          ...(p.functionCall ? { function_call: p.functionCall } : {}),
        },
        finish_reason: p.finishReason,
        logprobs: null,
      },
    ],
    ...(p.usage ? { usage: p.usage } : {}),
    saferoute: p.saferoute,
  };
}

export interface ChunkParts {
  id: string;
  model: string;
  created: number;
  delta: ChatCompletionChunk.Choice.Delta;
  finishReason?: FinishReason | null;
  saferoute?: SaferouteInfo;
}

export function buildChunk(p: ChunkParts): GuardedChunk {
  return {
    id: p.id,
    object: 'chat.completion.chunk',
    created: p.created,
    model: p.model,
    choices: [{ index: 0, delta: p.delta, finish_reason: p.finishReason ?? null, logprobs: null }],
    ...(p.saferoute ? { saferoute: p.saferoute } : {}),
  };
}

/** The chunk OpenAI sends last with `stream_options.include_usage`: no choices, the usage. */
export function buildUsageChunk(p: { id: string; model: string; created: number; usage: TokenUsage }): GuardedChunk {
  return { id: p.id, object: 'chat.completion.chunk', created: p.created, model: p.model, choices: [], usage: p.usage };
}

/** Tool calls in a stream: one delta carrying all of them, indexed as OpenAI indexes them. */
export function toolCallDeltas(calls: readonly ToolCall[]): NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']> {
  return calls.map((c, index) => ({ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }));
}
