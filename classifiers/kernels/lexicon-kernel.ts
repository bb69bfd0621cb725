// AssemblyScript source of the lexicon normaliser's WebAssembly fast path (`npm run
// build:kernels` compiles it into src/classifiers/lexicon/lexicon-kernel-wasm.ts; a test fails
// if that file is stale). It does what the loop of `TextNormaliser.normalise` does with plain
// ASCII words (src/classifiers/lexicon/normalise-text.ts: the separator skip and `emitAscii`,
// `mayJoinNext` included) and stops where the general path is needed; the JavaScript stays the
// reference, and a test compares both on every char of random and real text.

const SPACE: u16 = 0x20;
const APOSTROPHE: u32 = 0x27;
const MAX_RUN: u8 = 255;
/** Char kinds up to this one separate words (see char-fold.ts: K_SEP, K_SPACE, K_NEWLINE). */
const K_NEWLINE: u8 = 2;

/** Where the stream lives: one pointer per array, then the stream and word counts. */
const CODE: usize = 0;
const RUN: usize = 4;
const FLAG: usize = 8;
const START: usize = 12;
const END: usize = 16;
const WORD: usize = 20;
const WORD_START: usize = 24;
const WORD_END: usize = 28;
const LENGTH: usize = 32;
const WORDS: usize = 36;

// @ts-ignore: decorator
@inline
function isAsciiLetter(c: u32): bool {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

// @ts-ignore: decorator
@inline
function isAsciiDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

// @ts-ignore: decorator
@inline
function isAsciiWordChar(c: u32): bool {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39);
}

// @ts-ignore: decorator
@inline
function charAt<T>(text: usize, i: i32): u32 {
  return <u32>load<T>(text + (<usize>i) * sizeof<T>());
}

function mayJoinNext<T>(kind: usize, text: usize, k: i32, to: i32): bool {
  let q = k;
  let newlines: i32 = 0;
  while (q < to && q - k <= 3) {
    const c = charAt<T>(text, q);
    if (c >= 0x80) return true;
    const kd = load<u8>(kind + c);
    if (kd > K_NEWLINE) break;
    if (kd == K_NEWLINE) newlines++;
    q++;
  }
  // A line break joins letters only when it is the whole separator ("s\ne\nx", one per line).
  if (newlines > 0 && (newlines > 1 || q - k > 1)) return false;
  if (q >= to) return false;
  if (q - k > 3) return false;
  const c1 = charAt<T>(text, q);
  const c2: u32 = q + 1 < to ? charAt<T>(text, q + 1) : 0x20;
  return !(isAsciiWordChar(c1) && isAsciiWordChar(c2));
}

/** `emitAscii` for a word of letters (and inner apostrophes) or a number starting at `i`: its end, or -1 (nothing kept) for the general path. */
function emitAscii<T>(s: usize, kind: usize, text: usize, i: i32, to: i32): i32 {
  const code = load<usize>(s, CODE);
  const run = load<usize>(s, RUN);
  const flag = load<usize>(s, FLAG);
  const start = load<usize>(s, START);
  const end = load<usize>(s, END);
  const word = load<usize>(s, WORD);
  let p: i32 = load<i32>(s, LENGTH) - 1;
  if (load<u16>(code + (<usize>p << 1)) != SPACE) {
    const e = load<i32>(end + (<usize>p << 2));
    p++;
    store<u16>(code + (<usize>p << 1), SPACE);
    store<u8>(run + <usize>p, 1);
    store<u8>(flag + <usize>p, 0);
    store<i32>(start + (<usize>p << 2), e);
    store<i32>(end + (<usize>p << 2), e);
    store<i32>(word + (<usize>p << 2), -1);
  }
  const w = load<i32>(s, WORDS);
  // A word that starts with a digit is a number: digits only. Digits have the 0x20 bit set.
  const number = isAsciiDigit(charAt<T>(text, i));
  let prev: u32 = SPACE;
  let k = i;
  for (; k < to; k++) {
    const raw = charAt<T>(text, k);
    const c = raw | 0x20;
    if (number ? !isAsciiDigit(raw) : c < 0x61 || c > 0x7a) {
      if (raw < 0x80 && load<u8>(kind + raw) <= K_NEWLINE) break;
      // An apostrophe between two letters ("don't", "I'm") vanishes and the word goes on.
      if (!number && raw == APOSTROPHE && k + 1 < to && isAsciiLetter(charAt<T>(text, k + 1))) continue;
      return -1;
    }
    if (c == prev) {
      const r = load<u8>(run + <usize>p);
      if (r < MAX_RUN) store<u8>(run + <usize>p, r + 1);
      store<i32>(end + (<usize>p << 2), k + 1);
      continue;
    }
    p++;
    store<u16>(code + (<usize>p << 1), <u16>c);
    store<u8>(run + <usize>p, 1);
    store<u8>(flag + <usize>p, 0);
    store<i32>(start + (<usize>p << 2), k);
    store<i32>(end + (<usize>p << 2), k + 1);
    store<i32>(word + (<usize>p << 2), w);
    prev = c;
  }
  if (k - i < 2 && mayJoinNext<T>(kind, text, k, to)) return -1;
  store<i32>(s, w + 1, WORDS);
  store<i32>(load<usize>(s, WORD_START) + (<usize>w << 2), i);
  store<i32>(load<usize>(s, WORD_END) + (<usize>w << 2), k);
  store<i32>(s, p + 1, LENGTH);
  return k;
}

/**
 * From `i`, skips separators and writes plain ASCII words to the stream described at `s`, until
 * `to` or the first char the general path must take; returns where it stopped. `text` holds the
 * chars of the whole text (u16 per char, or u8 when `bytes`), `kind` the char kind of each ASCII char.
 */
function fastRunT<T>(s: usize, kind: usize, text: usize, i: i32, to: i32): i32 {
  while (i < to) {
    const c = charAt<T>(text, i);
    if (c < 0x80 && load<u8>(kind + c) <= K_NEWLINE) {
      i++;
      continue;
    }
    if (!isAsciiLetter(c) && !isAsciiDigit(c)) return i;
    const j = emitAscii<T>(s, kind, text, i, to);
    if (j < 0) return i;
    i = j;
  }
  return to;
}

export function fastRun(s: usize, kind: usize, text: usize, i: i32, to: i32, bytes: i32): i32 {
  return bytes ? fastRunT<u8>(s, kind, text, i, to) : fastRunT<u16>(s, kind, text, i, to);
}

// ---- the automaton walk ---------------------------------------------------------------------
// The same as createAutomatonWalker in src/classifiers/lexicon/automaton-walker.ts, over the
// stream the fast path and the general path wrote, with the automaton's tables copied into this
// memory. The automaton is described by a block of i32 at `a`:
const A_CLASS_OF: usize = 0;
const A_DELTA: usize = 4;
const A_ALPHABET: usize = 8;
const A_DENSE: usize = 12;
/** States in [first output, output end) have output, and no others. */
const A_FIRST_OUTPUT: usize = 16;
const A_OUTPUT_END: usize = 20;
/**
 * The sparse states, one 8-byte record each (index state - dense), so that a step through one
 * reads one cache line rather than four arrays: a u32 whose low 24 bits are the failure state and
 * whose top byte says what follows — 0: no child, 255: several children, else the one child's
 * class + 1 — then a u32, the one child's state, or for several children where their entries
 * start (low 24 bits) and how many there are (top byte). A child entry is a u32: class in the top
 * byte, state in the low 24 bits.
 */
const A_SPARSE: usize = 24;
const A_CHILDREN: usize = 28;
/** 1 when the dense table holds u32 states (its rows lead to states numbered past 65,535), else u16. */
const A_WIDE: usize = 40;
/**
 * The word-end filter, or 0: one byte per output state (index state - first output), 1 when every
 * key that state completes must end a word. Such an output is not reported when the char after
 * it is no separator: the scanner would verify none of its keys.
 */
const A_WORD_END_ONLY: usize = 44;
/** A stream shorter than two key lengths plus this is walked in one piece. */
const MIN_HALF: i32 = 64;

// The walk reads the automaton's description once into locals and passes them down: read from
// memory inside the loop, they were reloaded at every char (the stores to `out` may alias them,
// so the engine cannot hoist the loads itself).

// @ts-ignore: decorator
@inline
function denseNext(delta: usize, alphabet: i32, wide: bool, st: i32, cls: i32): i32 {
  const at = <usize>(st * alphabet + cls);
  return wide ? <i32>load<u32>(delta + (at << 2)) : <i32>load<u16>(delta + (at << 1));
}

/** The deep states' path: their children, else their failure state, down to a dense state. */
function nextState(a: usize, delta: usize, alphabet: i32, wide: bool, dense: i32, state: i32, cls: i32): i32 {
  const sparse = load<usize>(a, A_SPARSE);
  const children = load<usize>(a, A_CHILDREN);
  const one: u32 = <u32>cls + 1;
  let s = state;
  while (s >= dense) {
    const r = sparse + (<usize>(s - dense) << 3);
    const head = load<u32>(r);
    const tag = head >>> 24;
    if (tag == one) return load<i32>(r, 4);
    if (tag == 255) {
      const list = load<u32>(r, 4);
      let x = children + (<usize>(list & 0xffffff) << 2);
      const end = x + (<usize>(list >>> 24) << 2);
      for (; x < end; x += 4) {
        const c = load<u32>(x);
        if (c >>> 24 == <u32>cls) return <i32>(c & 0xffffff);
      }
    }
    s = <i32>(head & 0xffffff);
  }
  return denseNext(delta, alphabet, wide, s, cls);
}

// @ts-ignore: decorator
@inline
function step(a: usize, classOf: usize, delta: usize, alphabet: i32, wide: bool, code: usize, i: i32, st: i32, dense: i32): i32 {
  const cls = <i32>load<u16>(classOf + (<usize>load<u16>(code + (<usize>i << 1)) << 1));
  return st < dense ? denseNext(delta, alphabet, wide, st, cls) : nextState(a, delta, alphabet, wide, dense, st, cls);
}

// @ts-ignore: decorator
@inline
function isOutput(st: i32, first: i32, end: i32): bool {
  return st >= first && st < end;
}

/** Whether the output state `st` after stream char `i` is filtered out (see A_WORD_END_ONLY); `i + 1 < len` keeps the read in the stream. */
// @ts-ignore: decorator
@inline
function filtered(filter: usize, st: i32, first: i32, code: usize, i: i32, len: i32): bool {
  return filter != 0 && load<u8>(filter + <usize>(st - first)) != 0 && i + 1 < len && load<u16>(code + (<usize>(i + 1) << 1)) != SPACE;
}

/**
 * Walks `code[0, len)` and writes (state, position) for every char after which the automaton is
 * in an output state (not filtered out: see A_WORD_END_ONLY), in increasing position, to `out`
 * (room for 2·len pairs); returns how many.
 * Long streams are walked as two interleaved halves, the second starting `overlap` chars early.
 */
export function walk(a: usize, code: usize, len: i32, out: usize, overlap: i32, split: i32): i32 {
  const classOf = load<usize>(a, A_CLASS_OF);
  const delta = load<usize>(a, A_DELTA);
  const alphabet = load<i32>(a, A_ALPHABET);
  const wide = load<i32>(a, A_WIDE) != 0;
  const dense = load<i32>(a, A_DENSE);
  const firstOutput = load<i32>(a, A_FIRST_OUTPUT);
  const outputEnd = load<i32>(a, A_OUTPUT_END);
  const filter = load<usize>(a, A_WORD_END_ONLY);
  let n: i32 = 0;
  if (!split || len < 2 * overlap + MIN_HALF) {
    let st: i32 = 0;
    for (let i: i32 = 0; i < len; i++) {
      st = step(a, classOf, delta, alphabet, wide, code, i, st, dense);
      if (!isOutput(st, firstOutput, outputEnd) || filtered(filter, st, firstOutput, code, i, len)) continue;
      store<i32>(out + (<usize>n << 3), st);
      store<i32>(out + (<usize>n << 3), i, 4);
      n++;
    }
    return n;
  }
  const mid = (len + overlap) >> 1;
  const startB = mid - overlap;
  // The second half's outputs go to the upper half of `out` and are appended at the end.
  const pending = out + (<usize>len << 3);
  let m: i32 = 0;
  let stA: i32 = 0;
  let stB: i32 = 0;
  for (let k: i32 = 0; k < mid; k++) {
    stA = step(a, classOf, delta, alphabet, wide, code, k, stA, dense);
    stB = step(a, classOf, delta, alphabet, wide, code, startB + k, stB, dense);
    if (isOutput(stA, firstOutput, outputEnd) && !filtered(filter, stA, firstOutput, code, k, len)) {
      store<i32>(out + (<usize>n << 3), stA);
      store<i32>(out + (<usize>n << 3), k, 4);
      n++;
    }
    if (k >= overlap && isOutput(stB, firstOutput, outputEnd) && !filtered(filter, stB, firstOutput, code, startB + k, len)) {
      store<i32>(pending + (<usize>m << 3), stB);
      store<i32>(pending + (<usize>m << 3), startB + k, 4);
      m++;
    }
  }
  // When len + overlap is odd the second half has one char more than the first.
  for (let i = startB + mid; i < len; i++) {
    stB = step(a, classOf, delta, alphabet, wide, code, i, stB, dense);
    if (!isOutput(stB, firstOutput, outputEnd) || filtered(filter, stB, firstOutput, code, i, len)) continue;
    store<i32>(pending + (<usize>m << 3), stB);
    store<i32>(pending + (<usize>m << 3), i, 4);
    m++;
  }
  memory.copy(out + (<usize>n << 3), pending, <usize>m << 3);
  return n + m;
}
