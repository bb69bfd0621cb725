import {
  K_APOSTROPHE,
  K_DIGIT,
  K_EXPAND,
  K_LATIN,
  K_LEET,
  K_NEWLINE,
  K_OTHER,
  K_REMOVED,
  K_SPACE,
  foldAstral,
  sameScriptBlock,
  getFoldTables,
  type FoldTables,
} from './char-fold.js';
import type { Automaton } from './aho-corasick.js';
import { WasmStream } from './wasm-stream.js';

/** The separator between words in the normalised stream. */
export const SPACE = 0x20;
/** Set on a stream char that came (at least partly) from a leetspeak `1`, which may stand for `l`. */
export const FLAG_ONE = 1;
/** Stands for a letter of another script above U+FFFF; never part of a term. */
export const OTHER_ASTRAL = 0xffff;

const MAX_RUN = 255;
const NON_ASCII = /[^\x00-\x7f]/;
/** The longest range the WebAssembly fast path takes: above the lexicon scanner's segments (~37k). */
const MAX_KERNEL_CHARS = 1 << 16;

/** What each leetspeak digit or symbol reads as; 0 when it is not leet. */
const LEET_LETTER = new Uint16Array(128);
for (const [from, to] of [
  ['0', 'o'],
  ['1', 'i'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['@', 'a'],
  ['$', 's'],
  ['!', 'i'],
  ['|', 'l'],
  ['*', '*'],
] as const) {
  LEET_LETTER[from.charCodeAt(0)] = to.charCodeAt(0);
}

/**
 * Letters after a number that make it a quantity or an ordinal (`5th`, `3yo`, `4k`), not
 * leetspeak; kept as base-27 numbers so the check allocates nothing.
 */
const NUMBER_SUFFIXES = new Set(
  'st nd rd th yo y yr yrs yro yrold yearold k m b kg g mg ml l km cm mm am pm x d h hr hrs min mins s ms ft lb lbs oz mph kph gb mb tb kb v w px pt day days wk wks mo mos year years ever'
    .split(' ')
    .map((w) => [...w].reduce((key, ch) => key * 27 + (ch.charCodeAt(0) - 0x60), 0)),
);

const CH_AT = 0x40;
const CH_BANG = 0x21;
const CH_PIPE = 0x7c;
const CH_STAR = 0x2a;
const CH_ONE = 0x31;
const CH_APOSTROPHE = 0x27;

function isLetterKind(k: number): boolean {
  return k === K_LATIN || k === K_OTHER;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

function isAsciiSeparator(kindT: Uint8Array, c: number): boolean {
  return c < 0x80 && kindT[c]! <= K_NEWLINE;
}

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Whether a single letter ending at `k` might be joined with what follows ("s e x"): only when
 * a short separator run (no newline) leads to another token that could be one letter. Anything
 * unclear says yes, which sends the letter down the general path.
 */
function mayJoinNext(kindT: Uint8Array, text: string, k: number, to: number): boolean {
  let q = k;
  let newlines = 0;
  while (q < to && q - k <= 3) {
    const c = text.charCodeAt(q);
    if (c >= 0x80) return true;
    const kind = kindT[c]!;
    if (kind > K_NEWLINE) break;
    if (kind === K_NEWLINE) newlines++;
    q++;
  }
  // A line break joins letters only when it is the whole separator ("s\ne\nx", one per line).
  if (newlines > 0 && (newlines > 1 || q - k > 1)) return false;
  if (q >= to) return false;
  if (q - k > 3) return false;
  const c1 = text.charCodeAt(q);
  const c2 = q + 1 < to ? text.charCodeAt(q + 1) : 0x20;
  return !(isAsciiWordChar(c1) && isAsciiWordChar(c2));
}

function isAsciiWordChar(c: number): boolean {
  return isAsciiLetter(c) || isAsciiDigit(c);
}

/**
 * Where the general path may stop: just before a word the fast path can take (two or more ASCII
 * letters between ASCII separators). Such a word ends any spelled-out run, so stopping there
 * changes nothing.
 */
function slowRegionEnd(kindT: Uint8Array, text: string, i: number, to: number): number {
  let p = i + 1;
  while (p < to) {
    if (isAsciiSeparator(kindT, text.charCodeAt(p - 1)) && isAsciiLetter(text.charCodeAt(p))) {
      let q = p + 1;
      while (q < to && isAsciiLetter(text.charCodeAt(q))) q++;
      if (q - p >= 2 && (q === to || isAsciiSeparator(kindT, text.charCodeAt(q)))) return p;
      p = q;
      continue;
    }
    p++;
  }
  return to;
}

/**
 * Turns text into the stream the matcher runs over: lower-case folded words separated by one
 * space, with a space at both ends, each run of a repeated character collapsed to one char with
 * its run length kept, and for each char the UTF-16 range of the original it came from.
 *
 * One instance keeps its buffers between calls (no allocation per character, little per call);
 * it is not re-entrant, which is fine because callers run it synchronously to completion.
 */
export class TextNormaliser {
  private readonly tables: FoldTables;

  // Units: one per visible original character (or per char of an expansion), separators merged.
  private uCode = new Uint16Array(0);
  private uAlt = new Uint16Array(0);
  private uKind = new Uint8Array(0);
  private uStart = new Int32Array(0);
  private uEnd = new Int32Array(0);
  private units = 0;

  /** Stream chars. */
  code = new Uint16Array(0);
  run = new Uint8Array(0);
  flag = new Uint8Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  /** Word index of each stream char; -1 for spaces. */
  word = new Int32Array(0);
  length = 0;
  /** Original range of each word. */
  wordStart = new Int32Array(0);
  wordEnd = new Int32Array(0);
  words = 0;

  /** Where the stream lives when the WebAssembly fast path runs (see wasm-stream.ts). */
  readonly wasm: WasmStream | undefined;
  /** Whether the current text went to `wasm` (see `normalise`). */
  private useWasm = false;
  private readonly counts = new Int32Array(2);

  /**
   * `generalOnly` turns off the fast path for plain ASCII words, `kernel: false` runs that fast
   * path in JavaScript rather than WebAssembly; the output is the same every way, which the tests
   * check by comparing them on random and real text. An `automaton` is copied into the
   * WebAssembly memory, for a walker over the stream there (`createKernelAutomatonWalker`), with
   * its walk's `wordEndOnly` filter (see AutomatonWalkerOptions).
   */
  constructor(private readonly options: { generalOnly?: boolean; kernel?: boolean; automaton?: Automaton; wordEndOnly?: Uint8Array } = {}) {
    this.tables = getFoldTables();
    this.wasm =
      options.generalOnly === true || options.kernel === false
        ? undefined
        : WasmStream.create(this.tables.kind, options.automaton, options.wordEndOnly);
  }

  /** Normalises `text[from, to)`; offsets stay relative to the whole of `text`. */
  normalise(text: string, from = 0, to = text.length): void {
    // WebAssembly memory is never given back: a range longer than the scanner's segments takes
    // the JavaScript path (its stream is then in JavaScript arrays, which walkers detect).
    const wasm = this.wasm && to - from <= MAX_KERNEL_CHARS ? this.wasm : undefined;
    this.useWasm = wasm !== undefined;
    // The kernel reads an all-ASCII text as bytes, which the encoder copies natively.
    const bytes = wasm ? wasm.loadText(text, from, to, from === 0 && to === text.length && !NON_ASCII.test(text)) : 0;
    this.length = 0;
    this.words = 0;
    this.ensureStream(2 * (to - from) + 8);
    this.pushSpace(from);
    const kindT = this.tables.kind;
    const fast = this.options.generalOnly !== true;
    let i = from;
    while (i < to) {
      // Fast path: a word of two or more ASCII letters between ASCII separators, which is most
      // of any text, goes straight to the stream. Everything else (digits, symbols, non-ASCII,
      // single letters that may be spelled-out words) takes the general path, region by region.
      if (wasm) {
        i = wasm.fastRun(i, to, from, bytes, this.length, this.words, this.counts);
        this.length = this.counts[0]!;
        this.words = this.counts[1]!;
        if (i >= to) break;
      } else {
        const c = text.charCodeAt(i);
        if (c < 0x80 && kindT[c]! <= K_NEWLINE) {
          i++;
          continue;
        }
        if (fast && (isAsciiLetter(c) || isAsciiDigit(c))) {
          const j = this.emitAscii(text, i, to);
          if (j > 0) {
            i = j;
            continue;
          }
        }
      }
      const r = fast ? slowRegionEnd(kindT, text, i, to) : to;
      this.ensureUnits(r - i + 8);
      this.readUnits(text, i, r);
      this.ensureStream(this.length + 2 * this.units + 8);
      this.writeTokens();
      i = r;
    }
    this.boundary();
  }

  /**
   * Emits the plain ASCII word or number starting at `i` and returns its end, or returns -1
   * (emitting nothing) when the general path is needed. A number is all ASCII digits (the
   * general path writes a number between separators as a word of its own, digit by digit, as
   * here). A plain word is all ASCII letters, with `'`
   * between two of them (contractions, which otherwise send their word down the general path); the
   * caller starts it on one, it ends at an ASCII separator, and, when it is a single letter, cannot start
   * a spelled-out run. classifiers/kernels/lexicon-kernel.ts does the same in WebAssembly.
   */
  private emitAscii(text: string, i: number, to: number): number {
    const code = this.code;
    const run = this.run;
    const flag = this.flag;
    const start = this.start;
    const end = this.end;
    const word = this.word;
    const kindT = this.tables.kind;
    const length0 = this.length;
    // Written optimistically after a boundary; on failure `length` is simply not advanced.
    let p = length0 - 1;
    if (code[p] !== SPACE) {
      p++;
      code[p] = SPACE;
      run[p] = 1;
      flag[p] = 0;
      start[p] = end[p - 1]!;
      end[p] = end[p - 1]!;
      word[p] = -1;
    }
    const w = this.words;
    // A word that starts with a digit is a number: digits only (letters or leetspeak in it are
    // the general path's). Digits have the 0x20 bit set, so `c` is the digit itself.
    const number = isAsciiDigit(text.charCodeAt(i));
    let prev = SPACE;
    let k = i;
    for (; k < to; k++) {
      const raw = text.charCodeAt(k);
      const c = raw | 0x20;
      if (number ? !isAsciiDigit(raw) : c < 0x61 || c > 0x7a) {
        if (raw < 0x80 && kindT[raw]! <= K_NEWLINE) break;
        // An apostrophe between two letters ("don't", "I'm") vanishes, as in emitToken: the
        // word goes on. Any other apostrophe is the general path's.
        if (!number && raw === CH_APOSTROPHE && k + 1 < to && isAsciiLetter(text.charCodeAt(k + 1))) continue;
        return -1;
      }
      if (c === prev) {
        const r = run[p]!;
        if (r < MAX_RUN) run[p] = r + 1;
        end[p] = k + 1;
        continue;
      }
      p++;
      code[p] = c;
      run[p] = 1;
      flag[p] = 0;
      start[p] = k;
      end[p] = k + 1;
      word[p] = w;
      prev = c;
    }
    if (k - i < 2 && mayJoinNext(kindT, text, k, to)) return -1;
    this.words = w + 1;
    this.wordStart[w] = i;
    this.wordEnd[w] = k;
    this.length = p + 1;
    return k;
  }

  private ensureUnits(n: number): void {
    if (this.uCode.length >= n) return;
    const size = Math.max(n, this.uCode.length * 2, 256);
    const grow = <T extends Uint16Array | Uint8Array | Int32Array>(a: T, make: (s: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.units));
      return b;
    };
    this.uCode = grow(this.uCode, (s) => new Uint16Array(s));
    this.uAlt = grow(this.uAlt, (s) => new Uint16Array(s));
    this.uKind = grow(this.uKind, (s) => new Uint8Array(s));
    this.uStart = grow(this.uStart, (s) => new Int32Array(s));
    this.uEnd = grow(this.uEnd, (s) => new Int32Array(s));
  }

  /** Grows the stream buffers to hold `n` chars, keeping what is already written. */
  private ensureStream(n: number): void {
    if (this.useWasm && this.wasm) {
      const a = this.wasm.reserve(n, this.length, this.words);
      this.code = a.code;
      this.run = a.run;
      this.flag = a.flag;
      this.start = a.start;
      this.end = a.end;
      this.word = a.word;
      this.wordStart = a.wordStart;
      this.wordEnd = a.wordEnd;
      return;
    }
    if (this.code.length < n) {
      const size = Math.max(n, this.code.length * 2, 256);
      const keep = this.length;
      const grow = <T extends Uint16Array | Uint8Array | Int32Array>(a: T, make: (s: number) => T): T => {
        const b = make(size);
        b.set(a.subarray(0, keep));
        return b;
      };
      this.code = grow(this.code, (s) => new Uint16Array(s));
      this.run = grow(this.run, (s) => new Uint8Array(s));
      this.flag = grow(this.flag, (s) => new Uint8Array(s));
      this.start = grow(this.start, (s) => new Int32Array(s));
      this.end = grow(this.end, (s) => new Int32Array(s));
      this.word = grow(this.word, (s) => new Int32Array(s));
    }
    if (this.wordStart.length < n) {
      const size = Math.max(n, this.wordStart.length * 2, 256);
      const keep = this.words;
      const ws = new Int32Array(size);
      const we = new Int32Array(size);
      ws.set(this.wordStart.subarray(0, keep));
      we.set(this.wordEnd.subarray(0, keep));
      this.wordStart = ws;
      this.wordEnd = we;
    }
  }

  private readUnits(text: string, from: number, to: number): void {
    const { kind: kindT, fold: foldT, alt: altT, scriptMark: markT } = this.tables;
    // The common case (one BMP char, one unit) is inlined over local references; anything
    // else goes through pushUnit, after which the locals are re-read (the arrays may grow).
    let kinds = this.uKind;
    let codes = this.uCode;
    let alts = this.uAlt;
    let starts = this.uStart;
    let ends = this.uEnd;
    let n = 0;
    let last = -1;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      let k: number;
      let a: number;
      if (c < 0x80) {
        k = kindT[c]!;
        a = c;
      } else if ((c >= 0xd800 && c <= 0xdfff) || kindT[c] === K_EXPAND) {
        this.units = n;
        if (c < 0xd800 || c > 0xdfff) {
          this.pushString(this.tables.expansions.get(c) ?? '', i, i + 1);
        } else {
          const next = i + 1 < to ? text.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            this.pushAstral(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000, i);
            i++;
          } else {
            // A lone surrogate is not text; treat it as a separator rather than fail.
            this.pushUnit(0, 0, 0, i, i + 1);
          }
        }
        n = this.units;
        last = n > 0 ? this.uKind[n - 1]! : -1;
        kinds = this.uKind;
        codes = this.uCode;
        alts = this.uAlt;
        starts = this.uStart;
        ends = this.uEnd;
        continue;
      } else {
        k = kindT[c]!;
        a = k <= K_NEWLINE ? c : altT[c]!;
        // A vowel sign or tone mark spells its word only after a letter of its own script; put
        // after anything else ("bo\u093emb") it vanishes like an accent.
        if (markT[c] === 1 && (n === 0 || kinds[n - 1]! <= K_NEWLINE || sameScriptBlock(codes[n - 1]!) !== sameScriptBlock(c))) k = K_REMOVED;
      }
      if (k <= K_NEWLINE) {
        if (last >= 0 && last <= K_NEWLINE) {
          // Separators merge into one cluster: its kind says whether it held whitespace or a newline.
          if (k > last) kinds[n - 1] = last = k;
          const count = codes[n - 1]!;
          if (count < 0xffff) codes[n - 1] = count + 1;
          ends[n - 1] = i + 1;
          continue;
        }
        codes[n] = 1;
      } else if (k === K_REMOVED) {
        if (last > K_NEWLINE) ends[n - 1] = i + 1;
        continue;
      } else {
        codes[n] = foldT[c]!;
      }
      kinds[n] = k;
      alts[n] = a;
      starts[n] = i;
      ends[n] = i + 1;
      last = k;
      n++;
    }
    this.units = n;
  }

  private pushAstral(cp: number, i: number): void {
    const s = foldAstral(cp);
    if (s === '\u200b') this.pushUnit(K_REMOVED, 0, 0, i, i + 2);
    else if (s === '') this.pushUnit(0, 0, 0, i, i + 2);
    else this.pushString(s, i, i + 2);
  }

  private pushString(s: string, start: number, end: number): void {
    const { kind: kindT, fold: foldT, alt: altT } = this.tables;
    this.ensureUnits(this.units + s.length + 8);
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === OTHER_ASTRAL) this.pushUnit(K_OTHER, OTHER_ASTRAL, 0, start, end);
      else {
        const k = kindT[c]!;
        // Expansions are already folded; a nested expansion cannot occur, guard anyway.
        this.pushUnit(k === K_EXPAND ? K_OTHER : k, foldT[c]!, altT[c]!, start, end);
      }
    }
  }

  /** `a` is the look-alike of a letter, or for a separator the char that opened its cluster. */
  private pushUnit(k: number, f: number, a: number, start: number, end: number): void {
    const n = this.units;
    const kinds = this.uKind;
    if (k <= K_NEWLINE) {
      // Separators merge into one cluster: its kind says whether it held whitespace or a newline.
      if (n > 0 && kinds[n - 1]! <= K_NEWLINE) {
        if (k > kinds[n - 1]!) kinds[n - 1] = k;
        const count = this.uCode[n - 1]!;
        if (count < 0xffff) this.uCode[n - 1] = count + 1;
        this.uEnd[n - 1] = end;
        return;
      }
      f = 1;
    } else if (k === K_REMOVED) {
      // Invisible characters vanish; a span over the word still covers them.
      if (n > 0 && kinds[n - 1]! > K_NEWLINE) this.uEnd[n - 1] = end;
      return;
    }
    if (n >= this.uCode.length) this.ensureUnits(n + 1);
    this.uKind[n] = k;
    this.uCode[n] = f;
    this.uAlt[n] = a;
    this.uStart[n] = start;
    this.uEnd[n] = end;
    this.units = n + 1;
  }

  /** Writes the tokens of the units read by `readUnits` to the stream. */
  private writeTokens(): void {
    const n = this.units;
    const kinds = this.uKind;
    this.separateEdgePunctuation();
    let i = 0;
    while (i < n) {
      const k = kinds[i]!;
      if (k <= K_NEWLINE) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && kinds[j]! > K_NEWLINE) j++;
      if (j === i + 1 && this.isJoinableLetter(i)) {
        const e = this.joinEnd(i);
        if (e > 0) {
          this.emitJoined(i, e);
          i = e;
          continue;
        }
      }
      this.emitToken(i, j);
      i = j;
    }
  }

  /**
   * `!`, `|`, `@` and `*` at either end of a token are punctuation ("k!", "@name"), never letters
   * there; marking them as separators first lets "f-u-c-k!" join like "f-u-c-k".
   */
  private separateEdgePunctuation(): void {
    const n = this.units;
    const kinds = this.uKind;
    let i = 0;
    while (i < n) {
      if (kinds[i]! <= K_NEWLINE) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && kinds[j]! > K_NEWLINE) j++;
      for (let k = i; k < j && this.isEdgePunctuation(k); k++) this.toSeparator(k);
      for (let k = j - 1; k >= i && this.isEdgePunctuation(k); k--) this.toSeparator(k);
      i = j;
    }
  }

  private isEdgePunctuation(k: number): boolean {
    if (this.uKind[k] !== K_LEET) return false;
    const c = this.uCode[k]!;
    return c === CH_BANG || c === CH_PIPE || c === CH_AT || c === CH_STAR;
  }

  private toSeparator(k: number): void {
    this.uAlt[k] = this.uCode[k]!;
    this.uCode[k] = 1;
    this.uKind[k] = 0;
  }

  private isJoinableLetter(i: number): boolean {
    const k = this.uKind[i]!;
    return k === K_LATIN || (k === K_OTHER && this.uAlt[i] !== 0);
  }

  /**
   * Spelled-out words ("s e x", "s.e.x", "f-u-c-k"): a run of single letters with short
   * separators between them. Three letters are needed when the separators are spaces, so that
   * "I a" or "a b" in ordinary prose stay apart; two suffice with punctuation ("s.x"). All
   * separators of one run look alike, so "s-e-x s-e-x" stays two words.
   * Returns the end of the run, or -1 when it should not be joined.
   */
  private joinEnd(i: number): number {
    const n = this.units;
    const kinds = this.uKind;
    let count = 1;
    let p = i + 1;
    let end = i + 1;
    let punctuationOnly = true;
    while (p + 1 < n) {
      const sk = kinds[p]!;
      // Up to three separator chars, or one line break alone (a letter per line).
      if (sk === K_NEWLINE ? this.uCode[p] !== 1 : this.uCode[p]! > 3) break;
      if (p !== i + 1 && (sk !== kinds[i + 1] || this.uCode[p] !== this.uCode[i + 1] || this.uAlt[p] !== this.uAlt[i + 1])) break;
      const q = p + 1;
      if (!this.isJoinableLetter(q)) break;
      if (q + 1 < n && kinds[q + 1]! > K_NEWLINE) break;
      if (sk === K_SPACE || sk === K_NEWLINE) punctuationOnly = false;
      count++;
      p = q + 1;
      end = q + 1;
    }
    return count >= 3 || (count === 2 && punctuationOnly) ? end : -1;
  }

  private emitJoined(i: number, e: number, step = 2): void {
    this.boundary();
    for (let k = i; k < e; k += step) {
      const code = this.uKind[k] === K_LATIN ? this.uCode[k]! : this.uAlt[k]!;
      this.emit(code, 0, this.uStart[k]!, this.uEnd[k]!);
    }
    this.boundary();
  }

  private emitToken(a: number, b: number): void {
    const kinds = this.uKind;
    this.boundary();
    let allLatin = true;
    let hasLatin = false;
    let hasPlainOther = false;
    for (let k = a; k < b; k++) {
      const kk = kinds[k]!;
      if (kk === K_LATIN) hasLatin = true;
      else {
        allLatin = false;
        if (kk === K_OTHER && this.uAlt[k] === 0) hasPlainOther = true;
      }
    }
    if (allLatin) {
      this.emitLatin(a, b);
      return;
    }
    const step = this.starSpelledStep(a, b);
    if (step > 0) {
      this.emitJoined(a, b, step);
      return;
    }
    // Look-alikes are read as Latin only in words that are not plainly written in their own
    // script: "ѕех" or "fuсk" are disguises, "секс" is Russian.
    const useAlt = hasLatin || !hasPlainOther;
    let script = 0;
    for (let k = a; k < b; ) {
      const kk = kinds[k]!;
      if (kk === K_LATIN || kk === K_OTHER) {
        let code = this.uCode[k]!;
        let s = kk === K_LATIN ? 1 : 2;
        if (s === 2 && useAlt && this.uAlt[k] !== 0) {
          code = this.uAlt[k]!;
          s = 1;
        }
        // A change of script is a word boundary ("kill你" holds the word "kill").
        if (script !== 0 && script !== s) this.boundary();
        script = s;
        this.emit(code, 0, this.uStart[k]!, this.uEnd[k]!);
        k++;
        continue;
      }
      if (kk === K_APOSTROPHE) {
        // Inside a word it disappears ("don't" → "dont"); elsewhere it separates.
        if (!(k > a && isLetterKind(kinds[k - 1]!) && k + 1 < b && isLetterKind(kinds[k + 1]!))) {
          this.boundary();
          script = 0;
        }
        k++;
        continue;
      }
      let r = k;
      while (r < b && (kinds[r] === K_DIGIT || kinds[r] === K_LEET)) r++;
      if (r === k) {
        // Cannot happen (every kind is handled above); skip defensively.
        k++;
        continue;
      }
      const left = k > a && isLetterKind(kinds[k - 1]!);
      const right = r < b && isLetterKind(kinds[r]!);
      if (this.readsAsLetters(a, k, r, left, right, b)) {
        if (script === 2) this.boundary();
        script = 1;
        for (let m = k; m < r; m++) {
          const ch = this.uCode[m]!;
          this.emit(LEET_LETTER[ch]!, ch === CH_ONE ? FLAG_ONE : 0, this.uStart[m]!, this.uEnd[m]!);
        }
      } else {
        // A number is a word of its own ("12yo" → "12 yo"); a stray symbol separates.
        this.boundary();
        script = 0;
        for (let m = k; m < r; m++) {
          if (kinds[m] === K_DIGIT) this.emit(this.uCode[m]!, 0, this.uStart[m]!, this.uEnd[m]!);
          else this.boundary();
        }
        this.boundary();
      }
      k = r;
    }
  }

  /** `emit` for a token of plain Latin letters (most words), inlined for speed. */
  private emitLatin(a: number, b: number): void {
    const codes = this.uCode;
    const starts = this.uStart;
    const ends = this.uEnd;
    const code = this.code;
    const run = this.run;
    const end = this.end;
    let p = this.length - 1;
    // A token always starts after a boundary, so the first char opens a word.
    const w = this.words++;
    this.wordStart[w] = starts[a]!;
    let prev = SPACE;
    for (let k = a; k < b; k++) {
      const c = codes[k]!;
      if (c === prev) {
        const r = run[p]!;
        if (r < MAX_RUN) run[p] = r + 1;
        end[p] = ends[k]!;
        continue;
      }
      p++;
      code[p] = c;
      run[p] = 1;
      this.flag[p] = 0;
      this.start[p] = starts[k]!;
      end[p] = ends[k]!;
      this.word[p] = w;
      prev = c;
    }
    this.wordEnd[w] = end[p]!;
    this.length = p + 1;
  }

  /**
   * Whether digits or symbols `[k, r)` inside a word are leetspeak. Only next to letters, and
   * never a real number: "k1ll", "sh1t", "a$$", "$hit" are read as letters; "2024", "10 kg",
   * "5th", "13yo", "hi!", and model numbers after one letter ("A55", "B12") are not.
   */
  private readsAsLetters(a: number, k: number, r: number, left: boolean, right: boolean, b: number): boolean {
    if (!left && !right) return false;
    for (let m = k; m < r; m++) if (LEET_LETTER[this.uCode[m]!] === 0) return false;
    if (left && right) return true;
    if (right) {
      if (r - k !== 1) return false;
      const ch = this.uCode[k]!;
      // "@name" is a mention and "!x" or "|x" punctuation, not a letter.
      if (ch === CH_AT || ch === CH_BANG || ch === CH_PIPE || ch === CH_STAR) return false;
      return !this.isNumberSuffix(r, b);
    }
    for (let m = k; m < r; m++) {
      const ch = this.uCode[m]!;
      if (ch === CH_AT || ch === CH_BANG || ch === CH_PIPE || ch === CH_STAR) return false;
      if (this.uKind[m] === K_DIGIT && k - a < 2) return false;
    }
    return true;
  }

  private isNumberSuffix(r: number, b: number): boolean {
    if (b - r > 7) return false;
    let key = 0;
    for (let m = r; m < b; m++) {
      if (this.uKind[m] !== K_LATIN) return false;
      key = key * 27 + (this.uCode[m]! - 0x60);
    }
    return NUMBER_SUFFIXES.has(key);
  }

  /**
   * "s*e*x", "s**e**x" (markdown bold between letters): three or more single letters parted by
   * the same number (one or two) of asterisks are spelled out, unlike the censored "f*ck".
   * Returns the distance from one letter to the next, or 0.
   */
  private starSpelledStep(a: number, b: number): number {
    let stars = 0;
    while (a + 1 + stars < b && this.isStar(a + 1 + stars)) stars++;
    if (stars < 1 || stars > 2) return 0;
    const step = stars + 1;
    if ((b - a - 1) % step !== 0 || (b - a - 1) / step + 1 < 3) return 0;
    for (let k = a; k < b; k++) {
      if ((k - a) % step === 0 ? !this.isJoinableLetter(k) : !this.isStar(k)) return 0;
    }
    return step;
  }

  private isStar(k: number): boolean {
    return this.uCode[k] === CH_STAR && this.uKind[k] === K_LEET;
  }

  private pushSpace(at: number): void {
    const p = this.length;
    this.code[p] = SPACE;
    this.run[p] = 1;
    this.flag[p] = 0;
    this.start[p] = at;
    this.end[p] = at;
    this.word[p] = -1;
    this.length = p + 1;
  }

  private boundary(): void {
    const p = this.length - 1;
    if (this.code[p] !== SPACE) this.pushSpace(this.end[p]!);
  }

  private emit(code: number, flag: number, start: number, end: number): void {
    const p = this.length - 1;
    const prev = this.code[p]!;
    if (prev === code) {
      // Same char again within a word: extend the run instead of adding a char.
      const r = this.run[p]!;
      if (r < MAX_RUN) this.run[p] = r + 1;
      this.end[p] = end;
      this.flag[p] = this.flag[p]! | flag;
      this.wordEnd[this.word[p]!] = end;
      return;
    }
    let w = this.words - 1;
    if (prev === SPACE) {
      w = this.words++;
      this.wordStart[w] = start;
    }
    const q = p + 1;
    this.code[q] = code;
    this.run[q] = 1;
    this.flag[q] = flag;
    this.start[q] = start;
    this.end[q] = end;
    this.word[q] = w;
    this.wordEnd[w] = end;
    this.length = q + 1;
  }
}

/** A normalised text, for inspection and tests; the matcher reads `TextNormaliser` directly. */
export interface NormalisedText {
  /** Folded words separated by single spaces; each run of a repeated character is one char. */
  text: string;
  /** Per char of `text`: how many times it occurred in a row in the original (capped at 255). */
  runs: number[];
  /** Per char of `text`: its UTF-16 range `[start, end)` in the original. */
  starts: number[];
  ends: number[];
}

let shared: TextNormaliser | undefined;

export function normaliseText(original: string): NormalisedText {
  // For inspection, on texts of any size: the JavaScript path, whose memory is given back.
  shared ??= new TextNormaliser({ kernel: false });
  const n = shared;
  n.normalise(original);
  // Drop the boundary spaces at both ends.
  const from = 1;
  const to = Math.max(from, n.length - 1);
  let text = '';
  const runs: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let p = from; p < to; p++) {
    text += String.fromCharCode(n.code[p]!);
    runs.push(n.run[p]!);
    starts.push(n.start[p]!);
    ends.push(n.end[p]!);
  }
  return { text, runs, starts, ends };
}
