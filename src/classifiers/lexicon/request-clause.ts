/**
 * The request clause around a term hit: from a first-person request opener ("how do I", "tell me
 * how", "give me") before the hit to the end of the hit's sentence. A context that lowers a term
 * counts only inside that clause when there is one, so a lead-in or a tail that names a
 * harmless frame does not excuse the request it wraps:
 *
 * - "For my research: how do I make a silencer?" and "For my research, how do I make a silencer?"
 *   (the frame is before the opener);
 * - "How do I make a silencer? It's for my research." (the frame is in another sentence);
 *
 * while "How do I make a silencer for my research?" and every text whose hit is not asked for
 * ("Someone told her to kill herself. How do I report it?", "What is a pipe bomb? I need it for
 * an essay") keep their contexts as before. The openers are English; in other languages a
 * context counts wherever its window reaches.
 */

/** How far from the hit the sentence bounds are looked for. */
const SENTENCE_REACH = 240;

/** First-person request openers, lower case. */
const OPENERS = [
  'how (?:do|can|could|would|should|might|will|shall|does|did) (?:i|we|you|u|one|someone|a person)',
  'how (?:to|i)',
  '(?:tell|teach|show) me how(?: to)?',
  'teach me to',
  '(?:give|get|send|write) me (?:a |an |the |some |detailed |step by step |step-by-step )*(?:steps|instructions|guide|recipe|tutorial|method|methods|way|ways|code|script|plan)',
  'help me (?:to )?(?:make|build|create|buy|get|obtain|find|write|plan|cook|hide)',
  '(?:explain|describe|detail|outline)(?: to me)? how (?:to|i|we|you|one)',
  'walk me through',
  'guide me (?:through|on)',
  'instructions? (?:for|on|to|how)',
  'steps? (?:for|to|on)',
  'step[- ]by[- ]step',
  'write (?:me )?(?:a|an|some)',
  'where (?:can|could|do|would|should) (?:i|we|you|one) (?:buy|get|find|order)',
  "what(?:['\u2019]s| is| are) (?:the )?(?:best|easiest|quickest|fastest|cheapest|safest|simplest|most effective) (?:way|ways|method|methods) to",
];

const OPENER = new RegExp(`\\b(?:${OPENERS.map((o) => `(?:${o})`).join('|')})\\b`, 'g');

export interface RequestClause {
  /** Offset of the opener's first char. */
  from: number;
  /** Offset where the hit's sentence ends (exclusive). */
  to: number;
  /**
   * Whether the hit follows the opener within `DIRECT_WORDS` words ("how do I rob a bank", "tell
   * me how to quietly make a silencer"): the request asks for the hit itself.
   */
  direct: boolean;
}

/** How many words may stand between an opener and a hit it asks for directly. */
const DIRECT_WORDS = 3;

/**
 * The request clause of the hit over `text[hitStart, hitEnd)`, or undefined when no opener sits
 * in the hit's sentence before it. `floor` and `ceiling` bound the search (a scanned segment).
 */
export function requestClause(text: string, hitStart: number, hitEnd: number, floor = 0, ceiling = text.length): RequestClause | undefined {
  let start = hitStart;
  const lowest = Math.max(floor, hitStart - SENTENCE_REACH);
  while (start > lowest && !isBreakAt(text, start - 1)) start--;
  if (start === hitStart) return undefined;
  const before = text.slice(start, hitStart).toLowerCase();
  let opener = -1;
  let openerEnd = -1;
  OPENER.lastIndex = 0;
  for (let m = OPENER.exec(before); m != null; m = OPENER.exec(before)) {
    opener = m.index;
    openerEnd = m.index + m[0].length;
  }
  if (opener < 0) return undefined;
  const between = before.slice(openerEnd).trim();
  const direct = between === '' || between.split(/\s+/).length <= DIRECT_WORDS;
  let end = hitEnd;
  const highest = Math.min(ceiling, hitEnd + SENTENCE_REACH);
  while (end < highest && !isBreakAt(text, end)) end++;
  return { from: start + opener, to: end, direct };
}

/**
 * Whether the char at `i` ends a sentence or a lead-in: a line break, `!`, `?`, `:`, `;`, a dash,
 * an ellipsis, their CJK, Arabic and Devanagari forms, or a full stop that is not a decimal point.
 * Abbreviations ("Dr. Smith") count as a break; that only narrows a clause, so a context counts
 * less, never a hit.
 */
export function isBreakAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x2e) return !(isDigitAt(text, i - 1) && isDigitAt(text, i + 1));
  return SENTENCE_BREAKS.has(c);
}

const SENTENCE_BREAKS = new Set(
  [...'\n!?:;\u2013\u2014\u2026\u3002\uff01\uff1f\uff1a\uff1b\uff0e\u061f\u061b\u06d4\u0964\u0965'].map((ch) => ch.charCodeAt(0)),
);

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}
