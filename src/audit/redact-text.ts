import type { Evidence } from '../classifiers/classifier.js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phone, card and id numbers: six or more digits, possibly grouped by spaces, dots or dashes.
const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){5,}/g;

/**
 * The text for `audit.text: "redacted"`: every classifier evidence span is replaced by its
 * category, and e-mail addresses and long numbers are masked even when no classifier flagged them,
 * because the log must not become a store of personal data.
 */
export function redactText(text: string, evidence: readonly Evidence[]): string {
  const spans = evidence
    .filter((e) => e.start >= 0 && e.end > e.start && e.start < text.length)
    .map((e) => ({ start: e.start, end: Math.min(e.end, text.length), label: e.category }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const span of spans) {
    if (span.end <= pos) continue;
    const start = Math.max(span.start, pos);
    out += text.slice(pos, start) + `[${span.label}]`;
    pos = span.end;
  }
  out += text.slice(pos);
  return out.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[number]');
}
