import { textOfBytes, looksLikeText } from './decoded-text.js';
import { mayHaveEncodedSpans } from './encoding-precheck.js';
import { hasMorseShape } from './morse-shape.js';

/** How a span of the text was written. */
export type EncodingKind = 'base64' | 'hex' | 'binary' | 'decimal' | 'morse' | 'percent' | 'html-entities' | 'escapes' | 'unicode-tags' | 'bidi-reversed' | 'spaced-letters';

/** A span of the text written in an encoding, and what it reads as. */
export interface EncodedSpan {
  kind: EncodingKind;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  decoded: string;
}

/** Base64's alphabets (standard and URL-safe): which UTF-16 code units are in them. */
const IN_BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') IN_BASE64[c.charCodeAt(0)] = 1;
/** Runs of the alphabet at least this long may be base64 (or contiguous hex, or binary digits). */
const MIN_RUN = 16;

/** Hex bytes with one separator used throughout, or each written 0x48. */
const SPACED_HEX = /\b[0-9A-Fa-f]{2}([ :,-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){6,}\b|(?:\b0x[0-9A-Fa-f]{2}(?:,?\s?|\b)){6,}/g;
/** Bytes as decimal numbers (ASCII codes), at least eight of them. */
const DECIMAL = /\b(?:\d{1,3}[ ,]\s?){7,}\d{1,3}\b/g;
/** Morse code: at least six letters of dots and dashes, words parted by ` / ` or several spaces. */
const MORSE = /(?:^|(?<=\s))[.-]{1,6}(?:(?: +| *\/ *)[.-]{1,6}){5,}(?=\s|$)/g;
const MIN_MORSE_MARKS = 16;
const MORSE_LETTERS: Readonly<Record<string, string>> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j',
  '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't',
  '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z', '-----': '0', '.----': '1', '..---': '2',
  '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9', '.-.-.-': '.',
  '--..--': ',', '..--..': '?', '-.-.--': '!', '.----.': "'", '-....-': '-',
};
/** Bytes as eight binary digits with spaces between, at least four of them. */
const SPACED_BINARY = /\b[01]{8}(?:\s[01]{8}){3,}\b/g;
const PERCENT = /(?:%[0-9A-Fa-f]{2})+/g;
const ENTITY = /&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});|&(?:amp|lt|gt|quot|apos|nbsp);/g;
const ESCAPES = /(?:\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]{1,6}\}|\\x[0-9A-Fa-f]{2}|\\[0-7]{3})+/g;
/** Unicode tag characters U+E0020–U+E007E: invisible, each standing for one ASCII character. */
const TAGS = /(?:\uDB40[\uDC20-\uDC7E])+/g;
/** Right-to-left override: what follows is shown reversed, up to a pop or the end of the line. */
const RLO = /\u202E([^\u202C\n]*)\u202C?/g;
/** A word spelled out letter by letter, one space between the letters: "s e x u a l". */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])[A-Za-z](?: [A-Za-z]){2,}(?![\p{L}\p{N}])/gu;
const MIN_SPACED_LETTERS = 3;

/** What one pass over the text found worth a closer look. */
export interface Candidates {
  /** Runs of the base64 alphabet (MIME-wrapped lines joined), `[start, end)`. */
  runs: [number, number][];
  /** `%`, `&` and backslashes followed by what may be an escape. */
  smallEscapes: number;
  tags: boolean;
  rlo: boolean;
  /** Short runs (a hex pair, `0x48`, a decimal byte, eight binary digits) between single separators. */
  spacedBytes: boolean;
  /** Enough dots and dashes for Morse code. */
  morse: boolean;
  /** Three or more single letters in a row, one space apart. */
  spacedLetters: boolean;
}

function noCandidates(): Candidates {
  return { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
}

/**
 * One pass over the UTF-16 code units (no regular expression: a pattern like `[A-Za-z0-9]{16}`
 * backtracks at every letter of ordinary text, measured at 13 µs per kilobyte here). The pass
 * only notes where each run of the base64 alphabet starts; what a run is made of (a digit, a
 * capital after a small letter, only hex digits…) is read once it ends, and only for the lengths
 * that can matter (16 or more; 2, 3, 4 or 8), so the common char — a letter inside a short word —
 * costs one table read.
 */
export function scanEncodingCandidates(text: string): Candidates | undefined {
  // Most texts have nothing the scan finds, which a branch-free pass tells at a third of its cost.
  return mayHaveEncodedSpans(text) ? readEncodingCandidates(text) : undefined;
}

/** The scan itself, whatever the pre-check says (exported for the pre-check's tests). */
export function readEncodingCandidates(text: string): Candidates | undefined {
  let found: Candidates | undefined;
  let smallEscapes = 0;
  let runStart = -1;
  let shortRuns = 0;
  let dotsAndDashes = 0;
  /** Single letters one space apart so far, and where the last of them ended. */
  let letterChain = 0;
  let chainEnd = -2;
  /** Where the last line of the last run found starts (MIME lines are whole 4-character groups). */
  let lastLine = -1;
  const n = text.length;
  // Plain variables and one loop (no closure over them): this runs on every text classified.
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    if (c < 128 && IN_BASE64[c] === 1) {
      if (runStart < 0) runStart = i;
      if (c === 0x2d) dotsAndDashes++;
      continue;
    }
    if (runStart >= 0) {
      const len = i - runStart;
      if (len === 1 && ((text.charCodeAt(runStart) | 0x20) - 0x61) >>> 0 < 26) {
        letterChain = runStart === chainEnd + 1 && text.charCodeAt(chainEnd) === 32 ? letterChain + 1 : 1;
        chainEnd = i;
        if (letterChain === MIN_SPACED_LETTERS) {
          found ??= noCandidates();
          found.spacedLetters = true;
        }
      }
      const last = found?.runs[found.runs.length - 1];
      // A MIME line break inside base64: the last run found ended one or two characters ago, on
      // whole 4-character groups; this line, however short, goes on with it.
      const gap = last ? runStart - last[1] : 0;
      if (last && (gap === 1 || (gap === 2 && text.charCodeAt(last[1]) === 13)) && text.charCodeAt(runStart - 1) === 10 && (last[1] - lastLine) % 4 === 0) {
        last[1] = i;
        lastLine = runStart;
        shortRuns = 0;
      } else if (len >= MIN_RUN && isMixedRun(text, runStart, i)) {
        found ??= noCandidates();
        found.runs.push([runStart, i]);
        lastLine = runStart;
        shortRuns = 0;
      } else if ((c === 32 || c === 58 || c === 44 || c === 10) && isShortByte(text, runStart, len)) {
        // `48 65 6c`, `0x48, 0x65`, `01001000 01100101`: counted while single separators join them.
        if (++shortRuns >= 4) {
          found ??= noCandidates();
          found.spacedBytes = true;
        }
      } else shortRuns = 0;
      runStart = -1;
    } else if (c !== 32 && c !== 44 && c !== 10 && c !== 58) shortRuns = 0;
    if (c === 0x2e) dotsAndDashes++;
    if (c === 0x25 || c === 0x26 || c === 0x5c) {
      // `%4`, `&#`, `&a`, `\u`, `\x`, `\1`: possibly an escape (the patterns below decide).
      const d = i + 1 < n ? text.charCodeAt(i + 1) | 0x20 : 0;
      if ((d >= 0x61 && d <= 0x7a) || (d >= 0x30 && d <= 0x39) || d === 0x23) smallEscapes++;
    } else if (c === 0xdb40 || c === 0x202e) {
      found ??= noCandidates();
      if (c === 0xdb40) found.tags = true;
      else found.rlo = true;
    }
  }
  if (dotsAndDashes >= MIN_MORSE_MARKS && hasMorseShape(text)) {
    found ??= noCandidates();
    found.morse = true;
  }
  // One escape is looked at too: alone it is decoded only inside a word (see `smallEscapes`).
  if (smallEscapes > 0) found ??= noCandidates();
  if (found) found.smallEscapes = smallEscapes;
  return found;
}

/**
 * A run of the base64 alphabet `text[from, to)` that holds a digit, `+`, `/`, `_`, `-`, or a
 * capital after a small letter: not just a long word.
 */
function isMixedRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41 || c === 0x5f) return true;
    if (i > from && c <= 0x5a && text.charCodeAt(i - 1) >= 0x61) return true;
  }
  return false;
}

/**
 * A short run that may be one byte of a spaced list: two or four hex digits (or `0x` and two),
 * three decimal digits, eight binary digits. Most runs are short words, and fail at their first
 * letter.
 */
function isShortByte(text: string, from: number, len: number): boolean {
  const to = from + len;
  if (len === 3) {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    return true;
  }
  if (len === 8) {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x30 && c !== 0x31) return false;
    }
    return true;
  }
  if (len !== 2 && len !== 4) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // Hex digits, and the `x` of a `0x` prefix.
    if (!((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) || (c === 0x78 && i === from + 1 && text.charCodeAt(from) === 0x30))) return false;
  }
  return true;
}

/**
 * Percent-encoding, entities and escapes turn up alone in ordinary text (a URL's `%20`, an
 * apostrophe as `&#39;`): all of them are decoded when a text holds at least this many, since then
 * they are how it was written; fewer only where they hide a letter inside a word (`&#112;ipe`).
 */
const MIN_SMALL_ESCAPES = 3;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]+$/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The spans of `text` written in an encoding a person or a model reads through but a classifier
 * does not: base64, hex and binary bytes (kept only when they decode to text), percent-encoding,
 * HTML entities, `\u`/`\x` escapes, invisible Unicode tag characters, and text reversed by a
 * right-to-left override. Sorted by start; they do not overlap. Pure; linear in the text.
 */
export function findEncodedSpans(text: string): EncodedSpan[] {
  const found = scanEncodingCandidates(text);
  if (!found) return [];
  const spans: EncodedSpan[] = [];
  const add = (span: EncodedSpan): void => {
    spans.push(span);
  };
  if (found.tags) {
    for (const m of text.matchAll(TAGS)) {
      let decoded = '';
      for (let i = 1; i < m[0].length; i += 2) decoded += String.fromCharCode(m[0].charCodeAt(i) - 0xdc00);
      add({ kind: 'unicode-tags', start: m.index, end: m.index + m[0].length, decoded });
    }
  }
  if (found.rlo) {
    for (const m of text.matchAll(RLO)) {
      const shown = m[1] ?? '';
      if (shown.trim() !== '') add({ kind: 'bidi-reversed', start: m.index, end: m.index + m[0].length, decoded: [...shown].reverse().join('') });
    }
  }
  for (const [start, end] of found.runs) {
    const span = runSpan(text.slice(start, end), start);
    if (!span) continue;
    // Base64's padding is not in the run (`=` is no letter of it), but it is part of what was encoded.
    if (span.kind === 'base64') for (let pad = 0; pad < 2 && text.charCodeAt(span.end) === 0x3d; pad++) span.end++;
    add(span);
  }
  if (found.spacedBytes) {
    for (const m of text.matchAll(SPACED_HEX)) bytesSpan('hex', m[0], m.index, Buffer.from(m[0].replace(/0x|[^0-9A-Fa-f]/g, ''), 'hex'), add);
    for (const m of text.matchAll(SPACED_BINARY)) bytesSpan('binary', m[0], m.index, bitsToBytes(m[0].replace(/\s/g, '')), add);
    for (const m of text.matchAll(DECIMAL)) {
      const codes = m[0].split(/[ ,]\s?/).map(Number);
      // ASCII codes of printable characters (and line breaks); anything else is just numbers.
      if (codes.every((c) => (c >= 32 && c <= 126) || c === 9 || c === 10 || c === 13)) bytesSpan('decimal', m[0], m.index, Uint8Array.from(codes), add);
    }
  }
  if (found.morse) {
    for (const m of text.matchAll(MORSE)) {
      const decoded = decodeMorse(m[0]);
      if (decoded !== undefined && looksLikeText(decoded)) add({ kind: 'morse', start: m.index, end: m.index + m[0].length, decoded });
    }
  }
  if (found.spacedLetters) {
    for (const m of text.matchAll(SPACED_LETTERS)) add({ kind: 'spaced-letters', start: m.index, end: m.index + m[0].length, decoded: spelledOut(m[0]) });
  }
  if (found.smallEscapes > 0) {
    smallEscapes(text, PERCENT, 'percent', decodePercent, add);
    smallEscapes(text, ENTITY, 'html-entities', decodeEntity, add);
    smallEscapes(text, ESCAPES, 'escapes', decodeEscapes, add);
  }
  // Kinds rarely overlap (their alphabets differ); where they do, the span that starts first wins.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: EncodedSpan[] = [];
  for (const span of spans) if (kept.length === 0 || span.start >= kept[kept.length - 1]!.end) kept.push(span);
  return kept;
}

/**
 * The word a letter-spaced run spells. A leading "a" or "I" of four or more letters is most likely
 * the article or the pronoun before the spelled word ("a s e x u a l story" asks for "a sexual
 * story"), so it is kept apart; the lexicon reads the run joined whole as well ("a n a l").
 */
function spelledOut(run: string): string {
  const letters = run.replace(/ /g, '');
  const first = letters.charCodeAt(0);
  return letters.length >= MIN_SPACED_LETTERS + 1 && (first === 0x61 || first === 0x41 || first === 0x49) ? `${letters[0]} ${letters.slice(1)}` : letters;
}

function bytesSpan(kind: EncodingKind, written: string, at: number, bytes: Uint8Array, add: (span: EncodedSpan) => void): void {
  const decoded = textOfBytes(bytes);
  if (decoded !== undefined && looksLikeText(decoded)) add({ kind, start: at, end: at + written.length, decoded });
}

/** Morse letters parted by one space, words by `/` or several spaces; undefined if a letter is unknown. */
function decodeMorse(written: string): string | undefined {
  let out = '';
  for (const word of written.trim().split(/ *\/ *| {2,}/)) {
    if (out !== '') out += ' ';
    for (const letter of word.split(' ')) {
      const l = MORSE_LETTERS[letter];
      if (l === undefined) return undefined;
      out += l;
    }
  }
  return out;
}

function bitsToBytes(bits: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytes;
}

/** A run of the base64 alphabet as binary digits, hex or base64, whichever decodes to text. */
function runSpan(run: string, at: number): EncodedSpan | undefined {
  const compact = run.replace(/\r?\n/g, '');
  let span: EncodedSpan | undefined;
  const keep = (s: EncodedSpan): void => {
    span = s;
  };
  if (/^[01]+$/.test(compact) && compact.length % 8 === 0) bytesSpan('binary', run, at, bitsToBytes(compact), keep);
  else if (/^(?:0x)?[0-9A-Fa-f]+$/.test(compact) && compact.length % 2 === 0) bytesSpan('hex', run, at, Buffer.from(compact.replace(/^0x/, ''), 'hex'), keep);
  else if (/^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2})+$/.test(compact)) bytesSpan('hex', run, at, Buffer.from(compact.replace(/-/g, ''), 'hex'), keep);
  return span ?? base64Span(run, at);
}

/**
 * A base64 run as text. A long word or identifier is in the alphabet too, so a run needs a digit,
 * `+`, `/` or a capital after a small letter, and must decode to text. A run cut from a longer
 * one (a streamed answer's window) may start anywhere in a 4-character group: each start is tried.
 */
function base64Span(run: string, at: number): EncodedSpan | undefined {
  const body = run.replace(/=+$/, '');
  if (!/[0-9+/_-]|[a-z][A-Z]/.test(body)) return undefined;
  const joined = body.replace(/\r?\n/g, '');
  const urlSafe = /[_-]/.test(joined);
  for (let skip = 0; skip < 4; skip++) {
    const part = joined.slice(skip);
    if (part.length % 4 === 1 || part.length < 16) continue;
    const decoded = textOfBytes(Buffer.from(part, urlSafe ? 'base64url' : 'base64'));
    if (decoded !== undefined && looksLikeText(decoded)) {
      // The offset of the first character decoded, in the run as written (newlines included).
      let start = at;
      for (let seen = 0; seen < skip; start++) if (run[start - at] !== '\n' && run[start - at] !== '\r') seen++;
      return { kind: 'base64', start, end: at + run.length, decoded };
    }
  }
  return undefined;
}

function smallEscapes(
  text: string,
  pattern: RegExp,
  kind: EncodingKind,
  decode: (written: string) => string,
  add: (span: EncodedSpan) => void,
): void {
  const matches = [...text.matchAll(pattern)];
  let count = 0;
  for (const m of matches) count += kind === 'html-entities' ? 1 : countEscapes(m[0]);
  for (const m of matches) {
    const decoded = decode(m[0]);
    if (count >= MIN_SMALL_ESCAPES || hidesLettersInWord(text, m.index, m.index + m[0].length, decoded)) add({ kind, start: m.index, end: m.index + m[0].length, decoded });
  }
}

/**
 * An escape that stands for letters or digits written against a letter or digit (`p&#x69;pe`,
 * `\u0070ipe`, `b%6Fmb`), or a space between two words (`pipe%20bomb`): words spelled so that a
 * filter reads past them. An apostrophe as `&#39;` or a lone `%2F` decodes to no letter and is left
 * as written.
 */
function hidesLettersInWord(text: string, start: number, end: number, decoded: string): boolean {
  const before = start > 0 && WORD_CHAR.test(text[start - 1]!);
  const after = end < text.length && WORD_CHAR.test(text[end]!);
  if (LETTER_OR_DIGIT.test(decoded)) return before || after;
  // `pipe%20bomb`: a space between two words, so that the phrase is read as one word; not in a URL
  // or a query string, where `a%20b` is how a space is written.
  return before && after && /^\s+$/.test(decoded) && !IN_URL.test(tokenAround(text, start, end));
}

/** A token with a path or query in it: `https://x.example/a%20b`, `q=a%20b`. */
const IN_URL = /[/=?&]/;

/** The whitespace-delimited token around `[start, end)`, the escape itself left out. */
function tokenAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && !/\s/.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && !/\s/.test(text[to]!)) to++;
  return text.slice(from, start) + text.slice(end, to);
}

function countEscapes(run: string): number {
  let n = 0;
  for (let i = 0; i < run.length; i++) if (run[i] === '%' || run[i] === '\\') n++;
  return n;
}

function decodePercent(run: string): string {
  const bytes = Buffer.alloc(run.length / 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
  return bytes.toString('utf8');
}

function decodeEntity(entity: string): string {
  if (entity[1] !== '#') return NAMED[entity.slice(1, -1)] ?? entity;
  const hex = entity[2] === 'x' || entity[2] === 'X';
  const code = parseInt(entity.slice(hex ? 3 : 2, -1), hex ? 16 : 10);
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
}

/**
 * `\uXXXX` and `\u{…}` as UTF-16 code units and code points; `\xHH` and octal `\NNN` as bytes of
 * UTF-8 when any is above 0x7F (as Python and C write non-ASCII text), else as characters.
 */
function decodeEscapes(run: string): string {
  const parts = run.match(/\\u\{[0-9A-Fa-f]+\}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[0-7]{3}/g) ?? [];
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += bytes.some((b) => b > 0x7f) ? Buffer.from(bytes).toString('utf8') : String.fromCharCode(...bytes);
    bytes = [];
  };
  for (const p of parts) {
    if (p[1] === 'x') bytes.push(parseInt(p.slice(2), 16));
    else if (p[1] !== 'u') bytes.push(parseInt(p.slice(1), 8) & 0xff);
    else {
      flush();
      const code = parseInt(p[2] === '{' ? p.slice(3, -1) : p.slice(2), 16);
      out += code <= 0x10ffff ? (p[2] === '{' ? String.fromCodePoint(code) : String.fromCharCode(code)) : '\uFFFD';
    }
  }
  flush();
  return out;
}
