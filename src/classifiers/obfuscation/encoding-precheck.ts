import { hasMorseShape } from './morse-shape.js';

/**
 * Whether `scanEncodingCandidates` can find anything in a text, decided in one pass with no branch
 * that depends on the text: false means it finds nothing (86% of the OpenAI moderation texts), so
 * the decoding gate skips its scan (4.9 µs on a 600-char text; this pass costs about a third).
 * The scan branches at every word boundary on what the word was, and mispredicted branches are
 * most of its cost; a tighter version of that loop measured no faster.
 *
 * What the scan looks for, and what is read here instead (each a superset, so a text this
 * rules out has nothing the scan would find):
 * - a run of 16 or more chars of the base64 alphabet (the scan also wants it mixed): a counter;
 * - `%`, `&` or `\` before a letter, a digit or `#`;
 * - four byte-like runs in a row, each ended by a space, `:`, `,` or a newline (the scan wants
 *   2 or 4 hex digits, 3 decimal digits or 8 binary digits; here any 2, 3, 4 or 8 of hex digits
 *   and `x`);
 * - three single letters one space apart;
 * - 16 dots and dashes (then the scan's own Morse shape test);
 * - a Unicode tag character or a right-to-left override.
 * The byte-like runs, the letters and the escapes are followed by a small automaton built at
 * load from a step function that mirrors the scan's variables (`step` below), one table read
 * per char; the rest are sums.
 */
export function mayHaveEncodedSpans(text: string): boolean {
  // Built on the first call (a few milliseconds), not when the module is imported.
  precheck ??= build();
  return precheck(text);
}

// Char classes.
const BIN = 0; // 0 1
const DEC = 1; // 2–9
const HEX_LETTER = 2; // a–f A–F
const SMALL_X = 3; // x (of 0x48)
const LETTER = 4; // every other ASCII letter
const BASE64_MARK = 5; // + / _
const DASH = 6; // - (base64url, and Morse)
const SPACE = 7;
const OTHER_SEPARATOR = 8; // : , newline
const DOT = 9;
const ESCAPE = 10; // % & \
const HASH = 11; // # (of &#39;)
const LOW_CONTROL = 12; // U+0003, U+0010–U+0019: the scan reads the char after an escape as `code | 0x20`, which makes these `#` and digits
const OTHER = 13; // everything else, every code unit from 128 up included
const CLASSES = 14;

/** Class per code unit below 128; entry 128 stands for all the others. */
const CLASS_OF = new Uint8Array(129).fill(OTHER);
const set = (chars: string, k: number): void => {
  for (const ch of chars) CLASS_OF[ch.charCodeAt(0)] = k;
};
set('01', BIN);
set('23456789', DEC);
set('abcdefABCDEF', HEX_LETTER);
set('ghijklmnopqrstuvwyzGHIJKLMNOPQRSTUVWXYZ', LETTER);
set('x', SMALL_X);
set('+/_', BASE64_MARK);
set('-', DASH);
set(' ', SPACE);
set(':,\n', OTHER_SEPARATOR);
set('.', DOT);
set('%&\\', ESCAPE);
set('#', HASH);
for (let c = 0x10; c <= 0x19; c++) CLASS_OF[c] = LOW_CONTROL;
CLASS_OF[0x03] = LOW_CONTROL;

const IN_BASE64 = new Uint8Array(CLASSES);
for (const k of [BIN, DEC, HEX_LETTER, SMALL_X, LETTER, BASE64_MARK, DASH]) IN_BASE64[k] = 1;
/** Runs of the base64 alphabet this long may be base64 (the scan's MIN_RUN). */
const MIN_LONG_RUN = 16;
const IS_HEXLIKE = (k: number): boolean => k === BIN || k === DEC || k === HEX_LETTER || k === SMALL_X;
const IS_LETTER = (k: number): boolean => k === HEX_LETTER || k === SMALL_X || k === LETTER;
/** What the scan counts as an escape's next char: `code | 0x20` a letter or a digit, or `#`. */
const ESCAPES_BEFORE = (k: number): boolean => IS_HEXLIKE(k) || k === LETTER || k === HASH || k === LOW_CONTROL;

/** The scan's variables that the automaton follows, bounded. */
interface ScanState {
  /** Length of the current base64 run (0: none); at 16 the text is accepted (a long run). */
  runLen: number;
  /** The run so far is hex digits and `x` only. */
  hexLike: boolean;
  /** The run's first char is a letter. */
  letterFirst: boolean;
  /** The letter chain this run continues if it is a single letter (0: none). */
  chainBefore: number;
  /** Byte-like runs in a row so far (the scan's `shortRuns`, up to 3). */
  shortRuns: number;
  /** The last char ended a single-letter run and was a space: the chain so far, else 0. */
  pendingChain: number;
  /** The last char was `%`, `&` or `\`. */
  afterEscape: boolean;
  accepted: boolean;
}

/** One char of class `k`: the scan's logic for runs, byte-like runs, letter chains and escapes. */
function step(s: ScanState, k: number): ScanState {
  if (s.accepted) return s;
  const t = { ...s };
  if (s.afterEscape && ESCAPES_BEFORE(k)) return { ...t, accepted: true };
  t.afterEscape = k === ESCAPE;
  if (IN_BASE64[k] === 1) {
    if (s.runLen === 0) {
      t.runLen = 1;
      t.hexLike = IS_HEXLIKE(k);
      t.letterFirst = IS_LETTER(k);
      t.chainBefore = s.pendingChain;
    } else {
      t.runLen = s.runLen + 1;
      if (t.runLen >= MIN_LONG_RUN) return { ...t, accepted: true };
      t.hexLike = s.hexLike && IS_HEXLIKE(k);
    }
    t.pendingChain = 0;
    return t;
  }
  const separator = k === SPACE || k === OTHER_SEPARATOR;
  t.pendingChain = 0;
  if (s.runLen > 0) {
    if (s.runLen === 1 && s.letterFirst) {
      const chain = s.chainBefore + 1;
      if (chain >= 3) return { ...t, accepted: true };
      if (k === SPACE) t.pendingChain = chain;
    }
    if (separator && s.hexLike && (s.runLen === 2 || s.runLen === 3 || s.runLen === 4 || s.runLen === 8)) {
      if (s.shortRuns + 1 >= 4) return { ...t, accepted: true };
      t.shortRuns = s.shortRuns + 1;
    } else t.shortRuns = 0;
    t.runLen = 0;
    t.hexLike = false;
    t.letterFirst = false;
    t.chainBefore = 0;
  } else if (!separator) t.shortRuns = 0;
  return t;
}

/** The automaton: every state reachable from the start, each row CLASSES wide, holding row offsets. */
function build(): (text: string) => boolean {
  const initial: ScanState = { runLen: 0, hexLike: false, letterFirst: false, chainBefore: 0, shortRuns: 0, pendingChain: 0, afterEscape: false, accepted: false };
  const ids = new Map<string, number>();
  const states: ScanState[] = [];
  const intern = (s: ScanState): number => {
    const key = s.accepted ? 'accepted' : JSON.stringify(s);
    let id = ids.get(key);
    if (id === undefined) {
      id = states.length;
      ids.set(key, id);
      states.push(s);
    }
    return id;
  };
  intern(initial);
  const next: number[] = [];
  for (let s = 0; s < states.length; s++) for (let k = 0; k < CLASSES; k++) next[s * CLASSES + k] = intern(step(states[s]!, k));
  if (states.length * CLASSES > 0xffff) throw new RangeError('encoding pre-check automaton too large');
  const table = Uint16Array.from(next, (s) => s * CLASSES);
  const accept = intern({ ...initial, accepted: true }) * CLASSES;
  const classOf = CLASS_OF;
  return (text) => {
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      state = table[state + classOf[c < 128 ? c : 128]!]!;
    }
    // The scan reads one char past the end (code 0, in no alphabet): a letter run ends there.
    state = table[state + OTHER]!;
    // The scan's Morse test also wants 16 dots and dashes; its shape test alone costs less than counting them.
    return state === accept || hasMorseShape(text) || text.includes('\uDB40') || text.includes('\u202E');
  };
}

let precheck: ((text: string) => boolean) | undefined;
