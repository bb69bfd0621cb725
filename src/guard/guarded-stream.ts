import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Decision } from '../decision/decision.js';
import type { ProviderStream, ProviderStreamEvent } from '../providers/chat-provider.js';
import { failClosedDecision, withWarning } from './fail-closed-decision.js';
import { holdBackText, type StreamingMode } from './hold-back-text.js';
import { buildChunk, buildUsageChunk, toolCallDeltas, type GuardedChunk } from './openai-shapes.js';
import { publicDecision, type BlockInfo, type SaferouteInfo } from './saferoute-info.js';

/** A guarded stream of OpenAI chunks; the last chunk carries `saferoute`. */
export interface GuardedStream extends AsyncIterable<GuardedChunk> {
  /** Filled in as the stream runs: the input decision at once, the output decision at the end. */
  readonly saferoute: SaferouteInfo;
  /** Stops the stream and cancels the upstream request; the iteration then ends quietly. */
  abort(): void;
}

export interface GuardedStreamParams {
  upstream: ProviderStream;
  info: SaferouteInfo;
  mode: StreamingMode;
  holdBackChars: number;
  checkEveryChars: number;
  check(text: string): Promise<Decision>;
  /** Records a decision durably; `false` when it could not be written (the stream then blocks). */
  record(decision: Decision, text: string): Promise<boolean>;
  /** What the final chunk of a blocked stream carries instead of the answer. */
  blockDelta(decision: Decision): ChatCompletionChunk.Choice.Delta;
  blockInfo(decision: Decision): BlockInfo;
  auditFailedDecision(decision: Decision): Decision;
  toolCallText(done: Extract<ProviderStreamEvent, { type: 'done' }>): string;
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
}

/**
 * Turns a provider stream into OpenAI chunks through the hold-back check: text chunks as checks
 * pass, then either the answer's end (the last text, tool calls, `finish_reason`, `saferoute`) or,
 * on a violation, one final chunk with the refusal and `finish_reason: "content_filter"`. Every
 * check that releases text is recorded durably before that text goes out (hold-back mode).
 */
export function createGuardedStream(p: GuardedStreamParams): GuardedStream {
  let selfAborted = false;
  let first = true;
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finishReason?: ChatCompletionChunk.Choice['finish_reason'], saferoute?: SaferouteInfo): GuardedChunk => {
    const d = first ? { role: 'assistant' as const, ...delta } : delta;
    first = false;
    return buildChunk({ id: p.id, model: p.model, created: p.created, delta: d, finishReason: finishReason ?? null, ...(saferoute ? { saferoute } : {}) });
  };

  async function* run(): AsyncGenerator<GuardedChunk> {
    let ended = false;
    try {
      const events = holdBackText(p.upstream, {
        mode: p.mode,
        holdBackChars: p.holdBackChars,
        checkEveryChars: p.checkEveryChars,
        // In hold-back mode every intermediate check that lets text out is recorded durably
        // before that text is released; the final check is recorded below, before the end.
        check: async (text, span) => {
          const decision = await p.check(text);
          if (p.mode === 'progressive' || span.final || decision.effective.outcome === 'block') return decision;
          return (await p.record(decision, text)) ? decision : p.auditFailedDecision(decision);
        },
        abortUpstream: () => p.upstream.abort(),
        toolCallText: p.toolCallText,
      });
      for await (const event of events) {
        if (event.type === 'text') {
          yield chunk({ content: event.text });
          continue;
        }
        ended = true;
        let decision = event.decision;
        let blocked = event.outcome === 'blocked';
        if (event.failClosed) {
          decision = failClosedDecision(decision, event.failClosed.reason, p.blockInfo(decision).message);
          blocked = true;
        }
        if (p.mode === 'progressive') decision = withWarning(decision, 'progressive-streaming');
        if (!(await p.record(decision, event.text))) {
          decision = p.auditFailedDecision(decision);
          blocked = true;
        }
        const info = p.info;
        info.outputDecisionId = decision.decisionId;
        info.decisions.output = publicDecision(decision);
        info.warnings = [...new Set([...info.warnings, ...decision.warnings])].sort();
        if (event.redacted.length > 0) info.redacted = event.redacted;
        info.streaming = {
          mode: p.mode,
          holdBackChars: p.holdBackChars,
          checkEveryChars: p.checkEveryChars,
          checks: event.stats.checks,
          releasedChars: event.stats.releasedChars,
          releasedBeforeCheck: p.mode === 'progressive',
        };
        if (blocked) {
          p.upstream.abort();
          info.blocked = p.blockInfo(decision);
          yield chunk(p.blockDelta(decision), 'content_filter', info);
          return;
        }
        const done = event.done as Extract<ProviderStreamEvent, { type: 'done' }>;
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
