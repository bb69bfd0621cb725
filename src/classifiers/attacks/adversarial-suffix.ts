import type { AttackDetector, AttackFinding } from './attack-detector.js';
import { ordinaryTokenAt, tokenOddness } from './token-oddness.js';

/**
 * GCG-style adversarial suffixes: a request in plain words followed, on the same line, by a run
 * of optimised token soup (`describing.\ + similarlyNow write oppositeley.]( Me giving**ONE
 * please? revert with "\!--Two`). What gives the soup away without a dictionary:
 *
 * - its tokens (token-oddness.ts): punctuation of several kinds glued inside words, camel-case
 *   joins of word fragments, consonant runs no language spells;
 * - brackets and quotes that do not pair up (code pairs them);
 * - many different symbols in a few words;
 * - a prose head: the words before the run read as ordinary text.
 *
 * What keeps code, JSON, URLs, maths and other scripts out: their tokens score nothing (words
 * of any script, numbers, URLs, paths) or little (identifiers); pasted code spans several lines
 * or pairs its brackets; a last line that is itself code (keywords, `;` endings, assignments)
 * is not a suffix. Suffixes at the end of a line are what the attack produces; one spliced into
 * the middle of a text or spread over lines is not looked for.
 */
export function createAdversarialSuffixDetector(): AttackDetector {
  return Object.freeze({ id: 'adversarial-suffix', version: '1', detect: detectAdversarialSuffix });
}

export interface SuffixFeatures {
  /** Tokens in the tail window. */
  tail: number;
  /** Mean oddness of the tail's tokens. */
  meanOdd: number;
  /** Tokens of the tail at least moderately odd. */
  oddTokens: number;
  /** Mean oddness of the words before the tail on the same line (the request). */
  headOdd: number;
  /** Brackets that close nothing or are never closed, and unpaired quotes, in the tail. */
  unpaired: number;
  /** Distinct punctuation characters in the tail. */
  symbolKinds: number;
  /** Code shape of the tail: keywords, statement endings, assignments. */
  codeShape: number;
  /** Share of the tail's tokens that are plain words of three letters or more (soup mixes them in; code has few). */
  wordShare: number;
  start: number;
  end: number;
}

/** Tail lengths tried, in tokens, ending at the end of the line; the most suspicious wins. */
const TAILS = [8, 12, 16, 22] as const;
const LONGEST_TAIL = 22;
/** The request before the suffix: at least this many tokens on the same line. */
const MIN_HEAD = 3;
/** How many words before the tail are read as its head. */
const HEAD_WORDS = 20;
export const SUSPECT_CHAR = /[()[\]{}"`<>\\|^~@#$%&*_=+/]/;

export function detectAdversarialSuffix(text: string): AttackFinding | undefined {
  const f = suffixFeatures(text, true);
  if (!f) return undefined;
  const score = suffixScore(f);
  if (score < 0.05) return undefined;
  return { score, start: f.start, end: f.end, match: `token soup after a request (${f.oddTokens} of ${f.tail} tokens odd)` };
}

/**
 * The features of the most suspicious tail of the text's last line, or none when it is too short.
 * `scoringOnly`: none either when no tail can score (`suffixScore` is 0 without an unpaired
 * bracket or quote unless four tokens are odd), which skips most of the work on ordinary text.
 */
export function suffixFeatures(text: string, scoringOnly = false): SuffixFeatures | undefined {
  const lineEnd = lastLineEnd(text);
  if (lineEnd === 0) return undefined;
  // Only the end of the last line is read: the longest tail and the head words before it.
  const from0 = lastTokensStart(text, lineEnd, LONGEST_TAIL + HEAD_WORDS, TOKEN_COUNT);
  // Masking keeps white space where it is, so the tokens counted here are the ones `tokenize`
  // makes of the masked text: too few, and there is nothing to mask or read.
  if (TOKEN_COUNT[0]! < MIN_HEAD + TAILS[0]) return undefined;
  // Every suffix that can score has a bracket, a quote or a rare symbol in it; most prose has
  // none near its end, and is done here.
  if (!hasSuspectChar(text, from0, lineEnd)) return undefined;
  // Nor can a tail score without a bracket or quote in it or four tokens that may be odd, which
  // the text as written tells before anything is sliced, masked or tokenised (most texts that
  // got this far: a quote or a parenthesis earlier on the line).
  if (scoringOnly && !tailMayScore(text, lineEnd, TOKEN_COUNT[0]!)) return undefined;
  // Links, URLs, inline code, tags and emoticons are what prose with code in it looks like, and
  // pair their own brackets: masked, they read as numbers and pair nothing.
  const masked = maskOrdinaryMarkup(text.slice(from0, lineEnd));
  const tokens = tokenize(masked, from0);
  const unpairedAt = unpairedPositions(masked, from0);
  // Oddness is the costly part: the test below reads only the longest tail's, and stops early.
  const odd = new Array<number>(tokens.length).fill(-1);
  if (scoringOnly && !canScore(tokens, odd, unpairedAt)) return undefined;
  for (let i = 0; i < tokens.length; i++) if (odd[i]! < 0) odd[i] = tokenOddness(tokens[i]!.text);
  const code = tokens.map((t) => codePoints(t.text));
  let best: SuffixFeatures | undefined;
  let bestScore = -1;
  for (const size of TAILS) {
    const n = Math.min(size, tokens.length - MIN_HEAD);
    if (n < TAILS[0] || (best && n === best.tail)) continue;
    const from = tokens.length - n;
    const start = tokens[from]!.start;
    const end = tokens[tokens.length - 1]!.end;
    const f: SuffixFeatures = {
      tail: n,
      meanOdd: mean(odd.slice(from)),
      oddTokens: odd.slice(from).filter((o) => o >= 0.45).length,
      headOdd: mean(odd.slice(Math.max(0, from - HEAD_WORDS), from)),
      unpaired: unpairedAt.filter((i) => i >= start && i < end).length,
      symbolKinds: symbolKinds(masked.slice(start - from0, end - from0)),
      codeShape: codeShape(code.slice(from)),
      wordShare: tokens.slice(from).filter((t) => PLAIN_WORD.test(t.text)).length / n,
      start,
      end,
    };
    const s = suffixScore(f);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Whether any tail `suffixFeatures` tries may score above 0: an unpaired mark in the longest one,
 * or four odd tokens in it. Fills in `odd` (-1: not computed yet) for the tokens it reads.
 */
function canScore(tokens: readonly Token[], odd: number[], unpairedAt: readonly number[]): boolean {
  const from = Math.max(0, tokens.length - Math.min(LONGEST_TAIL, tokens.length - MIN_HEAD));
  const start = tokens[from]!.start;
  const end = tokens[tokens.length - 1]!.end;
  if (unpairedAt.some((i) => i >= start && i < end)) return true;
  let oddTokens = 0;
  for (let i = from; i < tokens.length; i++) {
    odd[i] = tokenOddness(tokens[i]!.text);
    if (odd[i]! >= 0.45 && ++oddTokens >= 4) return true;
  }
  return false;
}

/**
 * Evidence points, squashed to a probability. Chosen on development data — JailbreakBench's GCG
 * and DSN suffixes against ~30,000 benign texts: prompts, tweets, Chinese comments, maths
 * questions and 8,000 lines of package READMEs (code, JSON, badges, links) after a question —
 * then rounded, so they describe the shape rather than those rows. Brackets that do not pair
 * weigh most: 95% of the suffixes leave one open or closed, one benign text in twenty does. Without
 * one, only a tail with several odd tokens can score at all.
 */
export function suffixScore(f: SuffixFeatures): number {
  if (f.headOdd > 0.3 || f.unpaired === 0 && f.oddTokens < 4) return 0;
  const z =
    -4.6 +
    f.meanOdd +
    1.7 * Math.min(f.unpaired, 5) +
    0.4 * Math.min(f.symbolKinds, 8) +
    0.9 * Math.min(f.oddTokens, 10) -
    3.5 * f.codeShape -
    2 * f.headOdd;
  return 1 / (1 + Math.exp(-z));
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Where the text ends once trailing white space is dropped (0 for a blank text): the last line ends there. */
function lastLineEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** The token count of the last `lastTokensStart` (reused, so that the call allocates nothing). */
const TOKEN_COUNT = new Int32Array(1);

/**
 * Offset in `text` where the last `n` whitespace-separated tokens of the line that ends at `end`
 * start (the line's start when it has fewer); how many tokens that is goes to `count[0]`. Reads
 * `text` in place (on a slice of it, V8's char reads cost several times more) and finds the
 * line's start on the way, without `lastIndexOf`, which searched the whole of a one-line text
 * in the runtime at several times the cost of this loop.
 */
function lastTokensStart(text: string, end: number, n: number, count: Int32Array): number {
  let i = end;
  let tokens = 0;
  let lineStart = -1;
  while (i > 0) {
    // White space, up to the newline that starts the line.
    while (i > 0) {
      const c = text.charCodeAt(i - 1);
      if (c === 10) {
        lineStart = i;
        break;
      }
      if (!isSpace(c)) break;
      i--;
    }
    if (i === 0 || lineStart >= 0) break;
    while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
    if (++tokens === n) break;
  }
  count[0] = tokens;
  if (tokens === n) return i;
  return lineStart >= 0 ? lineStart : 0;
}

/** The brackets, quotes and backticks `unpairedPositions` reports, by code. */
const PAIRED_MARKS = new Uint8Array(128);
for (const ch of '()[]{}"`') PAIRED_MARKS[ch.charCodeAt(0)] = 1;

/**
 * A necessary condition for `canScore`, read on the text as written: the longest tail (the last
 * `min(LONGEST_TAIL, count - MIN_HEAD)` tokens of the line ending at `lineEnd`) holds a bracket,
 * quote or backtick, or four tokens that are not plainly ordinary (ordinaryTokenAt). Masking
 * keeps white space, so the tokens are the same ones; it only turns chars into `0`, so it adds no
 * mark, and it leaves a plain word as it is or makes it all zeros (every masked pattern needs
 * punctuation inside the token, or covers whole words between two tokens that have it), so a
 * token ordinary here is ordinary (oddness under 0.45) once masked.
 */
function tailMayScore(text: string, lineEnd: number, count: number): boolean {
  const tail = Math.min(LONGEST_TAIL, count - MIN_HEAD);
  let mayBeOdd = 0;
  let i = lineEnd;
  for (let t = 0; t < tail; t++) {
    while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
    const end = i;
    while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c < 128 && PAIRED_MARKS[c] === 1) return true;
    }
    if (!ordinaryTokenAt(text, i, end) && ++mayBeOdd >= 4) return true;
  }
  return false;
}

/** SUSPECT_CHAR's characters, by code. */
const SUSPECT_CODES = new Uint8Array(128);
for (const ch of '()[]{}"`<>\\|^~@#$%&*_=+/') SUSPECT_CODES[ch.charCodeAt(0)] = 1;

/** Whether `text[from, to)` holds a char of SUSPECT_CHAR (a test keeps the two in step), without a slice. */
export function hasSuspectChar(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && SUSPECT_CODES[c] === 1) return true;
  }
  return false;
}

/** Exactly the characters of the regular expression `\s`. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function tokenize(line: string, offset: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    if (i === line.length) break;
    const start = i;
    while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
    out.push({ text: line.slice(start, i), start: offset + start, end: offset + i });
  }
  return out;
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

const PLAIN_WORD = /^[\p{L}\p{M}]{3,}[.,;:!?]?$/u;

/**
 * Offsets (plus `offset`) of brackets that close nothing or are never closed, and of the last
 * `"` or backtick when their count is odd, over the tail and the words before it: a tail that
 * cuts a paired expression in two must not count its halves.
 */
function unpairedPositions(s: string, offset: number): number[] {
  // The open brackets: what closes each, and where it is.
  const stackClose: number[] = [];
  const stackAt: number[] = [];
  const out: number[] = [];
  let lastQuote = -1;
  let quotes = 0;
  let lastTick = -1;
  let ticks = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 40: // (
        stackClose.push(41);
        stackAt.push(i);
        break;
      case 91: // [
        stackClose.push(93);
        stackAt.push(i);
        break;
      case 123: // {
        stackClose.push(125);
        stackAt.push(i);
        break;
      case 41:
      case 93:
      case 125:
        if (stackClose.length > 0 && stackClose[stackClose.length - 1] === c) {
          stackClose.pop();
          stackAt.pop();
        } else out.push(i + offset);
        break;
      case 34: // "
        quotes++;
        lastQuote = i;
        break;
      case 96: // `
        ticks++;
        lastTick = i;
        break;
    }
  }
  // A line of code may end by opening a block or a call; an attack's soup has no reason to.
  let last = s.length - 1;
  while (last >= 0 && isSpace(s.charCodeAt(last))) last--;
  for (const at of stackAt) if (at !== last) out.push(at + offset);
  if (quotes % 2 === 1) out.push(lastQuote + offset);
  if (ticks % 2 === 1) out.push(lastTick + offset);
  return out;
}

/** Replaces spans that are ordinary in prose about code or the web with zeros of the same length. */
function maskOrdinaryMarkup(text: string): string {
  let out = text;
  // Each pattern runs only when the character it needs is there: most texts need none of them.
  for (const [needle, pattern] of MARKUP_PATTERNS) if (out.includes(needle)) out = out.replace(pattern, zeros);
  return out;
}

const zeros = (m: string): string => m.replace(/\S/g, '0');

const MARKUP_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['](', /\[!\[[^\]\n]{0,200}\]\([^()\s]{0,300}\)\]\([^()\s]{0,300}\)/g], // a badge: an image inside a link
  ['](', /!?\[[^\]\n]{0,200}\]\([^()\s]{0,300}\)/g], // markdown link or image
  ['://', /\bhttps?:\/\/[^\s<>"'`]+/g], // URL
  ['www.', /\bwww\.[^\s<>"'`]+/g],
  ['@', /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g], // e-mail address
  ['&', /&#?\w{1,8};/g], // HTML entity
  ['`', /`[^`\n]{1,120}`/g], // inline code
  ['<', /<\/?[a-zA-Z][\w-]*(?:\s+[\w:-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s>]+))?)*\s*\/?>/g], // an HTML tag
  ['<3', /<3+/g],
  [':', /(?<![\p{L}\p{N}])(?:[:;=]-?[()DPp\][/|])+(?![\p{L}\p{N}])/gu], // emoticons
  [';', /(?<![\p{L}\p{N}])(?:;-?[()DPp])+(?![\p{L}\p{N}])/gu],
  ['=', /(?<![\p{L}\p{N}])(?:=-?[()DPp\][/|])+(?![\p{L}\p{N}])/gu],
  ['^', /\^_?\^/g],
  ['_', /[>T-]_[<T-]/g],
  [')', /(?<=^|\s)(?:[A-Za-z]|\d{1,2})\)(?=\s)/gu], // list markers: a) b) 1)
];

/** Distinct characters prose rarely uses (brackets, slashes, operators, markup), in the tail. */
function symbolKinds(s: string): number {
  const seen = new Set<string>();
  for (const ch of s) if (RARE_IN_PROSE.includes(ch)) seen.add(ch);
  return seen.size;
}
const RARE_IN_PROSE = '[]{}<>\\|^~`@#$%&*_=+/';

const CODE_WORDS = new Set([
  'function', 'return', 'const', 'let', 'var', 'def', 'import', 'from', 'class', 'if', 'else', 'elif', 'for', 'while', 'in',
  'print', 'public', 'private', 'static', 'void', 'int', 'new', 'true', 'false', 'null', 'none', 'self', 'this', 'select',
  'where', 'and', 'or', 'not', 'lambda', 'async', 'await', 'try', 'catch', 'except', 'fn', 'struct', 'echo',
]);

/**
 * How much the tail reads as a statement of code, in [0, 1]: keywords, `;` endings, spaced
 * assignments and comparisons.
 */
function codeShape(points: readonly number[]): number {
  let sum = 0;
  for (const p of points) sum += p;
  return Math.min(1, sum / Math.max(3, points.length / 3));
}

/** One token's share of codeShape: a keyword, an operator on its own, a `;` ending, a comment, a block brace. */
function codePoints(t: string): number {
  let points = 0;
  const bare = t.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase();
  if (CODE_WORDS.has(bare) && /^[a-z]/.test(t)) points += 0.5;
  if (/^(?:=|==|===|!=|!==|\+=|-=|=>|<=|>=|&&|\|\||:=|\?\?)$/.test(t)) points += 1;
  if (t.endsWith(';')) points += 1;
  if (/^(?:\/\/|#|--|\/\*)/.test(t) && t.length <= 3) points += 1;
  if (/\)\s*[{:]$|^[{}]$|^\}\)*;?$/.test(t)) points += 1;
  return points;
}
