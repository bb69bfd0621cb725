/**
 * What happens when a request or an answer is blocked — one vocabulary for the policy, the guard
 * and every front door:
 * - `refuse`: a normal answer that carries the refusal (OpenAI `refusal`, `finish_reason:
 *   "content_filter"`), the policy's message as text;
 * - `replace`: the same, with the policy's replacement message as the answer's content;
 * - `throw`: the call rejects with `ContentBlockedError` (the decision attached).
 *
 * The policy's `output.onBlock` chooses between `refuse` and `replace` (what the user sees); a
 * caller's `onBlock` may ask for `throw` instead (how its code hears of it).
 */
export type OnBlock = 'refuse' | 'replace' | 'throw';

/** Spellings of earlier versions, still accepted: `return` (guard) and `refusal` (guardOpenAI) mean `refuse`. */
export type LegacyOnBlock = 'return' | 'refusal';

export function normaliseOnBlock(value: OnBlock | LegacyOnBlock | undefined, fallback: OnBlock): OnBlock {
  if (value == null) return fallback;
  if (value === 'return' || value === 'refusal') return 'refuse';
  return value;
}
