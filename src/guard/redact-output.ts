import type { Evidence } from '../classifiers/classifier.js';
import type { Decision } from '../decision/decision.js';
import { isPiiType, PII_PLACEHOLDERS, redactPii } from '../classifiers/pii/index.js';
import type { Category } from '../taxonomy/categories.js';
import type { DecodedViews } from './decoded-views.js';

export const GENERIC_PLACEHOLDER = '[REDACTED]';

/** `[EMAIL]`, `[PHONE]`, … for personal data; `[REDACTED]` for any other category. */
export function placeholderFor(e: Evidence): string {
  return e.category === 'pii' && isPiiType(e.match) ? PII_PLACEHOLDERS[e.match] : GENERIC_PLACEHOLDER;
}

/**
 * The evidence spans to redact for `categories`, or the categories that have none: a rule asked
 * for a redaction the classifiers gave no span for, so the text cannot be cleaned and the caller
 * must withhold it (fail closed).
 */
export function redactionSpans(
  evidence: readonly Evidence[],
  categories: readonly Category[],
  limit: number,
): { spans: Evidence[] } | { missing: Category[] } {
  const wanted = new Set(categories);
  const spans = evidence.filter((e) => wanted.has(e.category) && e.end > e.start && e.start < limit);
  const missing = categories.filter((c) => !spans.some((e) => e.category === c));
  return missing.length > 0 ? { missing } : { spans };
}

/** Replaces `spans` (offsets into `text` shifted by `-offset`) with their placeholders. */
export function redactSpans(text: string, spans: readonly Evidence[], offset = 0): string {
  if (spans.length === 0) return text;
  const shifted = offset === 0 ? spans : spans.map((e) => ({ ...e, start: e.start - offset, end: e.end - offset }));
  return redactPii(text, shifted, { replacement: placeholderFor });
}

/**
 * `redactionSpans` for an answer checked as `view` (the answer, its decoded views, then maybe its
 * tool calls): evidence found in a decoded view is moved onto the answer as written; evidence
 * that cannot be placed there — in the tool calls, across views — makes its category missing,
 * since the text that holds it cannot be cleaned.
 */
export function contentRedaction(
  evidence: readonly Evidence[],
  categories: readonly Category[],
  view: DecodedViews,
): { spans: Evidence[] } | { missing: Category[] } {
  const wanted = new Set(categories);
  const placed = view.onRaw(evidence);
  const outside = [...new Set(placed.filter((e) => wanted.has(e.category) && e.end > view.rawLength).map((e) => e.category))];
  if (outside.length > 0) return { missing: outside.sort() };
  return redactionSpans(placed, categories, view.rawLength);
}

/** What a checked answer needs before release: nothing, these spans replaced, or withholding. */
export type RedactionPlan =
  | { kind: 'spans'; spans: Evidence[]; categories: Category[] }
  /** The policy asked for a redaction the text cannot get (no span, or one outside the content): withhold it. */
  | { kind: 'unavailable'; categories: Category[] }
  | undefined;

/**
 * The one reading of a decision's `redact` for a checked answer, streamed or not: enforced
 * redactions of a decision that did not block, placed on the answer as written (`view`).
 */
export function planRedaction(decision: Decision, view: DecodedViews): RedactionPlan {
  if (decision.effective.outcome === 'block' || decision.mode !== 'enforce' || !decision.redact || decision.redact.length === 0) return undefined;
  const found = contentRedaction(decision.evidence, decision.redact, view);
  if ('missing' in found) return { kind: 'unavailable', categories: found.missing };
  return { kind: 'spans', spans: found.spans, categories: [...new Set(found.spans.map((e) => e.category))].sort() };
}
