import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ProviderStream, ProviderStreamEvent } from '../providers/chat-provider.js';
import type { GuardCore } from './guard-core.js';
import type { InputCheck } from './guard-checks.js';
import { buildChunk, buildUsageChunk, toolCallDeltas, type GuardedChunk } from './openai-shapes.js';
import { publicDecision, type SaferouteInfo } from './saferoute-info.js';

/** A guarded stream of OpenAI chunks; the last chunk carries `saferoute`. */
export interface GuardedStream extends AsyncIterable<GuardedChunk> {
  /** Filled in as the stream runs: the input decision at once, the output decision at the end. */
  readonly saferoute: SaferouteInfo;
  /** Stops the stream and cancels the upstream request; the iteration then ends quietly. */
  abort(): void;
}

export interface GuardedStreamParams {
  upstream: ProviderStream;
  core: GuardCore;
  input: InputCheck;
  servedTarget: string;
  info: SaferouteInfo;
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
  /** Told how the upstream call ended (for provider metrics). */
  onFinished?(outcome: 'ok' | 'error' | 'aborted'): void;
}

type ProviderDone = Extract<ProviderStreamEvent, { type: 'done' }>;

/**
 * The core's stream checker in OpenAI chunks: text chunks as checks pass, then either the answer's
 * end (the last text, tool calls, `finish_reason`, `saferoute`) or, on a violation, one final chunk
 * with the refusal and `finish_reason: "content_filter"`.
 */
export function createGuardedStream(p: GuardedStreamParams): GuardedStream {
  let selfAborted = false;
  let first = true;
  const output = p.core.output;
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finishReason?: ChatCompletionChunk.Choice['finish_reason'], saferoute?: SaferouteInfo): GuardedChunk => {
    const d = first ? { role: 'assistant' as const, ...delta } : delta;
    first = false;
    return buildChunk({ id: p.id, model: p.model, created: p.created, delta: d, finishReason: finishReason ?? null, ...(saferoute ? { saferoute } : {}) });
  };

  async function* run(): AsyncGenerator<GuardedChunk> {
    let ended = false;
    try {
      const events = p.core.checkStream<ProviderDone>(p.upstream, p.input, { servedTarget: p.servedTarget, abortUpstream: () => p.upstream.abort() });
      for await (const event of events) {
        if (event.type === 'text') {
          yield chunk({ content: event.text });
          continue;
        }
        ended = true;
        const { decision } = event;
        const info = p.info;
        info.outputDecisionId = decision.decisionId;
        info.decisions.output = publicDecision(decision);
        info.warnings = [...new Set([...info.warnings, ...decision.warnings])].sort();
        if (event.redacted.length > 0) info.redacted = event.redacted;
        info.streaming = {
          mode: output.mode,
          holdBackChars: output.holdBackChars,
          checkEveryChars: output.checkEveryChars,
          checks: event.stats.checks,
          releasedChars: event.stats.releasedChars,
          releasedBeforeCheck: output.mode === 'progressive',
        };
        if (event.outcome === 'blocked') {
          p.onFinished?.('ok');
          info.blocked = event.blocked;
          yield chunk(event.instead, 'content_filter', info);
          return;
        }
        p.onFinished?.('ok');
        const done = event.done;
        if (done.model) info.model = done.model;
        if (event.tail !== '') yield chunk({ content: event.tail });
        if (done.toolCalls.length > 0) yield chunk({ tool_calls: toolCallDeltas(done.toolCalls) });
        if (done.functionCall) yield chunk({ function_call: done.functionCall });
        if (done.refusal) yield chunk({ refusal: done.refusal });
        yield chunk({}, done.finishReason, info);
        if (p.includeUsage && done.usage) yield buildUsageChunk({ id: p.id, model: p.model, created: p.created, usage: done.usage });
        return;
      }
    } catch (error) {
      if (!ended) p.onFinished?.(selfAborted ? 'aborted' : 'error');
      if (selfAborted) return;
      throw error;
    } finally {
      if (!ended) p.upstream.abort();
    }
  }

  const iterator = run();
  return {
    saferoute: p.info,
    [Symbol.asyncIterator]: () => iterator,
    abort() {
      selfAborted = true;
      p.upstream.abort();
    },
  };
}

/** A stream blocked before any model was called: one chunk with the refusal. */
export function blockedStream(p: { info: SaferouteInfo; delta: ChatCompletionChunk.Choice.Delta; id: string; model: string; created: number }): GuardedStream {
  async function* run(): AsyncGenerator<GuardedChunk> {
    yield buildChunk({ id: p.id, model: p.model, created: p.created, delta: { role: 'assistant', ...p.delta }, finishReason: 'content_filter', saferoute: p.info });
  }
  const iterator = run();
  return { saferoute: p.info, [Symbol.asyncIterator]: () => iterator, abort: () => undefined };
}
