import type { Decision } from '../decision/decision.js';
import { withWarning } from './fail-closed-decision.js';
import type { BlockedAnswer, StreamCheckEvent } from './guard-checks.js';
import { holdBackText, type TextStreamEvent } from './hold-back-text.js';
import type { BlockInfo } from './saferoute-info.js';

export interface StreamCheckOptions<Done extends { type: 'done' }> {
  output: { mode: 'hold-back' | 'progressive'; holdBackChars: number; checkEveryChars: number };
  /** Classifies and decides one window at the output stage; `preceding` is the answer before it. */
  check(text: string, preceding: string): Promise<Decision>;
  /** Records a decision durably and reports it; returns it, or an `audit_failed` block when it could not be recorded. */
  settle(decision: Decision, text: string): Promise<Decision>;
  /** The guard's own block for what the policy could not foresee (a redaction with no span). */
  failClosed(decision: Decision, reason: string): Decision;
  blockInfo(decision: Decision): BlockInfo;
  insteadOf(decision: Decision): BlockedAnswer;
  abortUpstream(): void;
  /** What the answer carries besides its text (tool calls, refusal), checked with the final window. */
  extraText(done: Done): string;
  onRelease?(chars: number): void;
  onBlock?(releasedChars: number): void;
}

/**
 * The stream checker every front door shares: the hold-back over text deltas, with each decision
 * that lets text out recorded before that text is yielded (hold-back mode), the final decision
 * recorded before the tail and the end, and every failure — a block, a redaction that cannot be
 * applied, an audit record that cannot be written — ending the stream with nothing more released.
 */
export async function* checkTextStream<Done extends { type: 'done' }>(source: AsyncIterable<TextStreamEvent<Done>>, o: StreamCheckOptions<Done>): AsyncGenerator<StreamCheckEvent<Done>> {
  const progressive = o.output.mode === 'progressive';
  const events = holdBackText(source, {
    mode: o.output.mode,
    holdBackChars: o.output.holdBackChars,
    checkEveryChars: o.output.checkEveryChars,
    // In hold-back mode every intermediate check that lets text out is recorded durably before
    // that text is released; the final check is recorded below, before the end.
    check: async (text, span) => {
      const decision = await o.check(text, span.preceding);
      if (progressive || span.final || decision.effective.outcome === 'block') return decision;
      return o.settle(decision, text);
    },
    abortUpstream: () => o.abortUpstream(),
    toolCallText: (done) => o.extraText(done),
  });
  for await (const event of events) {
    if (event.type === 'text') {
      o.onRelease?.(event.text.length);
      yield event;
      continue;
    }
    let decision = event.decision;
    let blocked = event.outcome === 'blocked';
    if (event.failClosed) {
      decision = o.failClosed(decision, event.failClosed.reason);
      blocked = true;
    }
    if (progressive) decision = withWarning(decision, 'progressive-streaming');
    decision = await o.settle(decision, event.text);
    // An answer whose decision could not be recorded is withheld (settle turned it into a block).
    if (decision.effective.outcome === 'block') blocked = true;
    if (blocked) {
      o.abortUpstream();
      o.onBlock?.(event.stats.releasedChars);
      yield { type: 'end', outcome: 'blocked', decision, blocked: o.blockInfo(decision), instead: o.insteadOf(decision), redacted: event.redacted, stats: event.stats };
      return;
    }
    if (event.tail !== '') o.onRelease?.(event.tail.length);
    yield { type: 'end', outcome: 'done', decision, tail: event.tail, done: event.done as Done, redacted: event.redacted, stats: event.stats };
    return;
  }
}
