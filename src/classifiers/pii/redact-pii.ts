import type { Evidence } from '../classifier.js';
import { isPiiType, PII_PLACEHOLDERS } from './pii-match.js';

export interface RedactPiiOptions {
  /** A fixed placeholder, or one chosen per span; default `[EMAIL]`, `[PHONE]`, … by type. */
  replacement?: string | ((evidence: Evidence) => string);
}

const GENERIC_PLACEHOLDER = '[REDACTED]';

function defaultPlaceholder(e: Evidence): string {
  return isPiiType(e.match) ? PII_PLACEHOLDERS[e.match] : GENERIC_PLACEHOLDER;
}

/**
 * Replaces the evidence spans in `text`. Overlapping or touching spans are merged into one
 * replacement (the placeholder of the span that starts first) so no fragment of a value
 * survives between two placeholders. Spans outside the text are clipped.
 */
export function redactPii(text: string, evidence: readonly Evidence[], options: RedactPiiOptions = {}): string {
  const pick =
    typeof options.replacement === 'string'
      ? () => options.replacement as string
      : (options.replacement ?? defaultPlaceholder);
  const spans = evidence
    .map((e) => ({ e, start: Math.max(0, Math.min(text.length, e.start)), end: Math.max(0, Math.min(text.length, e.end)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let end = first.end;
    let j = i + 1;
    while (j < spans.length && spans[j]!.start <= end) {
      end = Math.max(end, spans[j]!.end);
      j++;
    }
    out += text.slice(cursor, first.start) + pick(first.e);
    cursor = end;
    i = j;
  }
  return out + text.slice(cursor);
}
