/**
 * The closing instruction of a long prompt: the last paragraph, when a longer text comes before
 * it ("<pasted document>\n\n---\n\nGiven these instructions, explain how much … to add").
 *
 * Why: the embedded classifier scores a bag of n-grams, so a harmful instruction after a long
 * pasted document is diluted by the document's words — HarmBench's contextual behaviours were
 * blocked by the strict policy at 56% against 85% for its plain ones. Scored on its own, the
 * closing paragraph reads as the request it is; the embedded classifier raises `unsafe` to that
 * score at the input stage.
 *
 * Returns undefined when there is no such paragraph: a text under MIN_TEXT characters, one
 * without a blank line, a last paragraph longer than MAX_INSTRUCTION characters or than half
 * the text (then it is the text, not an instruction after it), or one under three words.
 */
export const MIN_TEXT = 240;
export const MAX_INSTRUCTION = 600;

export function closingInstruction(text: string): string | undefined {
  if (text.length < MIN_TEXT) return undefined;
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  // The last blank line (a newline, white space, a newline) before the end.
  let start = -1;
  for (let i = end - 1; i > 0 && end - i <= MAX_INSTRUCTION + 64; i--) {
    if (text.charCodeAt(i) !== 10) continue;
    let j = i - 1;
    while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j--;
    if (j >= 0 && text.charCodeAt(j) === 10) {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return undefined;
  let tail = text.slice(start, end);
  // A separator line of its own ("---", "===", "***") is not part of the instruction.
  tail = tail.replace(/^\s*([-=*_#~])\1{2,}\s*/, '').trim();
  if (tail.length === 0 || tail.length > MAX_INSTRUCTION || tail.length * 2 > end) return undefined;
  if (!hasThreeWords(tail)) return undefined;
  return tail;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * `s.split(/\s+/).length >= 3` for a trimmed, non-empty `s` (two runs of white space or more),
 * without building the array of every word of the paragraph: that split was half of this
 * function's time. `trim` and `\s` take the same characters.
 */
export function hasThreeWords(s: string): boolean {
  let runs = 0;
  let inRun = false;
  for (let i = 0; i < s.length; i++) {
    if (!isWhiteSpace(s.charCodeAt(i))) inRun = false;
    else if (!inRun) {
      inRun = true;
      if (++runs === 2) return true;
    }
  }
  return false;
}

/** Exactly the characters of the regular expression `\s` (and of `String.prototype.trim`). */
function isWhiteSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
