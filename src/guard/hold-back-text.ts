import type { Evidence } from '../classifiers/classifier.js';
import type { Decision } from '../decision/decision.js';
import type { Category } from '../taxonomy/categories.js';
import { ProviderError } from '../providers/provider-error.js';
import { withDecodedViews } from './decoded-views.js';
import { holdBackStart } from './hold-back-start.js';
import { planRedaction, redactSpans } from './redact-output.js';
import { releaseBoundary } from './release-boundary.js';

export type StreamingMode = 'hold-back' | 'progressive';

/** A stream as the hold-back reads it: text deltas, then one `done` (carrying whatever else the answer holds). */
export type TextStreamEvent<Done extends { type: 'done' } = { type: 'done' }> = { type: 'delta'; text: string } | Done;

export interface HoldBackOptions<Done extends { type: 'done' } = { type: 'done' }> {
  mode: StreamingMode;
  /** The last this-many characters checked stay unreleased until a later check covers more. */
  holdBackChars: number;
  /** A check runs at least every this-many new characters (and at each sentence end). */
  checkEveryChars: number;
  /**
   * Classifies `text` at the output stage. `text` is a window of the answer starting at offset
   * `start` (evidence offsets are relative to it), followed — when the window holds escapes — by
   * its decoded views (see `withDecodedViews`); on the final check, the model's tool calls and
   * refusal as text (`toolCallText`) follow after a newline.
   */
  check(text: string, window: { start: number; end: number; final: boolean; preceding: string }): Promise<Decision>;
  /** Cancels the upstream request; called as soon as a check blocks. */
  abortUpstream(): void;
  /** Text of the tool calls, known once the upstream is done (checked with the final window). */
  toolCallText?(done: Done): string;
}

export interface HoldBackStats {
  checks: number;
  releasedChars: number;
}

/**
 * What the caller receives: released text, then one `end`. At `end` the caller records the
 * decision and only then emits `tail` (the last checked text) — nothing of a blocked answer
 * after the last passed check is ever in `text` or `tail`.
 */
export type HoldBackEvent<Done extends { type: 'done' } = { type: 'done' }> =
  | { type: 'text'; text: string }
  | {
      type: 'end';
      outcome: 'done' | 'blocked';
      decision: Decision;
      /** Text released with the end (empty when blocked). */
      tail: string;
      done?: Done;
      /** The whole answer received so far, as the upstream sent it (for the audit record). */
      text: string;
      /** Categories redacted from the released text. */
      redacted: Category[];
      /** Set when the guard blocked although the policy did not (a redaction it could not apply). */
      failClosed?: { reason: string; categories: Category[] };
      stats: HoldBackStats;
    };

// A sentence ends at . ! ? … (with closing quotes or brackets) before white space, at CJK full
// stops, and at a line break.
const SENTENCE_END = /[.!?…]["'”’)\]]*\s|[。！？\n]/;

/**
 * Streaming output moderation. In `hold-back` mode (the default) text is released only once a
 * check covering it has passed, and the last `holdBackChars` checked stay unreleased until the
 * next check sees them with what follows, so a violation that straddles a check boundary (up to
 * `holdBackChars` long) is caught before any of it is released. Each check looks at a window
 * from `holdBackChars` before the release point to the end of what arrived, so the work per
 * check is bounded and the whole stream is checked in linear time.
 *
 * In `progressive` mode text is released as it arrives and checked on the same schedule; a block
 * stops the stream but cannot recall what was already released (the stats say so).
 */
export async function* holdBackText<Done extends { type: 'done' }>(source: AsyncIterable<TextStreamEvent<Done>>, options: HoldBackOptions<Done>): AsyncGenerator<HoldBackEvent<Done>> {
  const H = options.holdBackChars;
  const every = options.checkEveryChars;
  const progressive = options.mode === 'progressive';
  let full = '';
  let released = 0;
  let checkedTo = 0;
  let checks = 0;
  let spans: Evidence[] = [];
  const redacted = new Set<Category>();
  let last: Decision | undefined;

  type CheckResult = { ok: true } | { ok: false; decision: Decision; failClosed?: { reason: string; categories: Category[] } };

  const runCheck = async (final: boolean, extra: string): Promise<CheckResult> => {
    const start = Math.max(0, (progressive ? checkedTo : released) - H);
    const end = full.length;
    const windowText = full.slice(start, end);
    // What the window means, not only how it is spelt: JSON-mode answers carry `\u0046`-style escapes.
    const view = withDecodedViews(windowText);
    // What came before the window was checked already; the classifiers still read it as context
    // (a child's age stated paragraphs before sexual content), without scoring it again.
    const decision = await options.check(extra !== '' ? `${view.text}\n${extra}` : view.text, { start, end, final, preceding: full.slice(0, start) });
    checks++;
    last = decision;
    if (decision.effective.outcome === 'block') return { ok: false, decision };
    const plan = planRedaction(decision, view);
    if (plan?.kind === 'unavailable') return { ok: false, decision, failClosed: { reason: 'redaction_unavailable', categories: plan.categories } };
    // In progressive mode the text is already out: there is nothing left to redact.
    if (plan?.kind === 'spans' && !progressive) {
      for (const e of plan.spans) {
        spans.push({ ...e, start: e.start + start, end: Math.min(e.end, windowText.length) + start });
        redacted.add(e.category);
      }
    }
    checkedTo = end;
    return { ok: true };
  };

  /**
   * Text from `released` up to `limit`, moved back to a word boundary (so a block never leaves
   * half a word out) and so that it never cuts a span to redact or a surrogate pair.
   */
  const release = (limit: number): string => {
    let to = releaseBoundary(full, released, Math.max(released, limit));
    for (let moved = true; moved; ) {
      moved = false;
      for (const s of spans) {
        if (s.start < to && s.end > to && s.start >= released) {
          to = s.start;
          moved = true;
        }
      }
    }
    const code = full.charCodeAt(to - 1);
    if (to > released && to < full.length && code >= 0xd800 && code <= 0xdbff) to--;
    if (to <= released) return '';
    const text = redactSpans(full.slice(released, to), spans, released);
    released = to;
    spans = spans.filter((s) => s.end > released);
    return text;
  };

  const stats = (): HoldBackStats => ({ checks, releasedChars: released });
  const blocked = (r: Extract<CheckResult, { ok: false }>): HoldBackEvent<Done> => {
    options.abortUpstream();
    return {
      type: 'end',
      outcome: 'blocked',
      decision: r.decision,
      tail: '',
      text: full,
      redacted: [...redacted].sort(),
      ...(r.failClosed ? { failClosed: r.failClosed } : {}),
      stats: stats(),
    };
  };

  for await (const event of source) {
    if (event.type === 'delta') {
      if (event.text === '') continue;
      const scanFrom = Math.max(checkedTo, full.length - 1);
      full += event.text;
      if (progressive) {
        released = full.length;
        yield { type: 'text', text: event.text };
      }
      const fresh = full.length - checkedTo;
      // The first check comes as soon as anything could be released, so the time to the first
      // token is the time to fill the hold-back window, not that plus a check interval.
      const heldFrom = progressive ? full.length : holdBackStart(full, full.length, H);
      // (Only once a whole word is releasable: a check that could release nothing is wasted.)
      const firstRelease = !progressive && released === 0 && heldFrom > 0 && releaseBoundary(full, 0, heldFrom) > 0;
      // A sentence end is worth a check only when the check could release something.
      const releasable = progressive || heldFrom > released;
      if (fresh >= every || firstRelease || (releasable && SENTENCE_END.test(full.slice(scanFrom)))) {
        const r = await runCheck(false, '');
        if (!r.ok) {
          yield blocked(r);
          return;
        }
        if (!progressive) {
          const text = release(holdBackStart(full, checkedTo, H));
          if (text !== '') yield { type: 'text', text };
        }
      }
      continue;
    }
    // The upstream is done: one last check covers the unchecked rest and the tool calls.
    const extra = options.toolCallText?.(event) ?? '';
    if (checkedTo < full.length || extra !== '' || last === undefined) {
      const r = await runCheck(true, extra);
      if (!r.ok) {
        yield blocked(r);
        return;
      }
    }
    const tail = progressive ? '' : release(full.length);
    yield { type: 'end', outcome: 'done', decision: last as Decision, tail, text: full, done: event, redacted: [...redacted].sort(), stats: stats() };
    return;
  }
  throw new ProviderError('stream', 'truncated', 'the upstream stream ended without finishing');
}
