import { compileAsciiWordGroups } from './ascii-word-groups.js';

/**
 * Words that some patterns run on every text need (each match of the pattern holds one), found for
 * all of them in one pass over the text: a pattern whose group has no word in the text cannot
 * match, and is skipped. The pass costs about as much as one of the patterns (1.4 µs on a
 * 600-char text, however many words), so it pays once it stands in for two or more.
 *
 * Each group is written for one pattern (see its owner): `.` is any char, `^` a non-word char or
 * the text's start (a `\b` before a letter), `#` a digit; words are ASCII, lower case, and found in
 * any ASCII case (the patterns are `/i` without `u`). A test checks every group against its
 * pattern on generated and development texts; keep them in step when a pattern changes.
 */
const GROUPS = {
  /** decoded-variants.ts CIPHER_WORDS. */
  cipher: ['rot#', 'rot.#', 'revers', 'right.to.left', 'caesar', 'cipher', 'shift', 'decrypt', 'atbash', 'backward'],
  /** decoded-variants.ts JOIN_WORDS. */
  join: ['combin', 'concaten', 'join', 'together', 'merge', 'glue', 'append', '+'],
  /** indirect-injection.ts TASK_ON_CONTENT. */
  task: ['^translat', '^summari', '^proofread', '^paraphrase', '^rephrase', '^reword', '^rewrite', '^correct', '^edit', '^classify', '^analy', '^spell', '^grammar', '^fix the ', '^detect the language of', '^sentiment of', '^tl;dr', '^tldr'],
  /** indirect-injection.ts DIRECTED_WORDS. */
  directed: [
    '^ai', '^assistant', '^agent', '^admin', '^answer ', '^llm', '^model', '^chat', '^gpt', '^you are',
    '^your response', '^your reply', '^your answer', '^your output', '^your message', '^your summary', '^your completion',
    '^the user', '^ignore', '^instead', '^instruction', '^im_start', '^disregard', '^forget', '^override', '^system',
    '^new task', '^new directive', '^when you ', '^when summari', '^when processing', '^when answering', '^when analy', '^respond ', '^reply ',
  ],
} as const;

export type CueGroup = keyof typeof GROUPS;
const NAMES = Object.keys(GROUPS) as CueGroup[];
/** Each group's bit in what `cueWords` returns. */
export const CUE: Readonly<Record<CueGroup, number>> = Object.freeze(Object.fromEntries(NAMES.map((name, i) => [name, 1 << i])) as Record<CueGroup, number>);
/** The words of each group, for the tests. */
export const CUE_WORDS: Readonly<Record<CueGroup, readonly string[]>> = GROUPS;

const find = compileAsciiWordGroups(NAMES.map((name) => GROUPS[name]));
let lastText: string | undefined;
let lastCues = 0;

/**
 * The groups (bits of `CUE`) with a word in `text`. The last text's answer is kept: the decoding
 * gate and the attack detectors ask about the same text one after the other.
 */
export function cueWords(text: string): number {
  if (text !== lastText) {
    lastCues = find(text);
    lastText = text;
  }
  return lastCues;
}
