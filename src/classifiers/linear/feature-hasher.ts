import type { FeatureSettings } from './feature-settings.js';
import { LinearModelError } from './linear-model-error.js';

/**
 * Turns text into a sparse, L2-normalised vector of hashed word and character n-grams.
 *
 * Shared by training and inference so both see exactly the same features. The hot loop hashes
 * over char codes of a reused buffer (FNV-1a, finished with murmur3's fmix32 so the bucket and
 * sign bits are well mixed) and never builds substrings; all arrays are allocated once.
 */
export interface FeatureHasher {
  readonly settings: Readonly<FeatureSettings>;
  readonly buckets: number;
  /**
   * Fills the first n entries of `indices` (distinct buckets, in first-seen order) and `values`
   * (their signed, L2-normalised weights) and returns n. Both arrays are overwritten by the
   * next call: copy what you keep.
   */
  vectorize(text: string): number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /**
   * out[h] = x · w[·][h] for the text's vector x, without writing x out: the same numbers as
   * `vectorize` followed by a dot product per head, in one pass (this is inference's hot path).
   * Returns how many features the text produced (0: no word characters at all).
   */
  project(text: string, weights: QuantizedWeights, out: Float64Array): number;
}

/** Weights stored as one code per bucket and head, decoded through a 256-entry codebook per head. */
export interface QuantizedWeights {
  readonly heads: number;
  /** buckets × heads, bucket-major. */
  readonly codes: Uint8Array;
  /** heads × 256, head-major. */
  readonly codebooks: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const WORD_SEED = (FNV_OFFSET ^ 0x5bd1e995) | 0;
const SPACE = 32;
const CJK_SEED = (FNV_OFFSET ^ 0x27d4eb2f) | 0;
const CJK_PAIR_SEED = (FNV_OFFSET ^ 0x165667b1) | 0;
const NON_ASCII = /[^\x00-\x7f]/;
/** ln(1 + c) for the counts c below 4096, as float32 (the WebAssembly kernel reads the same table). */
export const LOG1P_TABLE: Float32Array = (() => {
  const t = new Float32Array(4096);
  for (let i = 0; i < t.length; i++) t[i] = Math.log1p(i);
  return t;
})();

/**
 * A bucket's value before normalisation: sign(c)·ln(1+|c|) (or sign(c) for binary TF) of its
 * signed count, computed without branching on the sign (a coin toss per bucket).
 */
function featureValue(c: number, binary: boolean): number {
  const sign = (c >> 31) | 1;
  const a = c * sign;
  return sign * (binary ? 1 : a < LOG1P_TABLE.length ? LOG1P_TABLE[a]! : Math.log1p(a));
}

/** murmur3's 32-bit finaliser: FNV's low bits alone are too weakly mixed to pick a bucket. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over UTF-16 code units, then fmix32. Exposed for tests of hash stability. */
export function hash32(text: string, seed: number = FNV_OFFSET): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/**
 * Letters, digits and anything outside the Latin-1/punctuation/symbol blocks count as word
 * characters; everything else separates words. Apostrophes are handled by the caller.
 */
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
  if (c < 0xc0) return false;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xfe10 && c <= 0xfe6f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  return c < 0xfff0;
}

/**
 * Han (CJK unified ideographs, extension A, compatibility), Hiragana, Katakana and Hangul
 * (syllables and jamo): scripts written without spaces between words. Checked after NFKC, so
 * half-width Katakana is already full width.
 */
export function isCjkChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x1100 && c <= 0x11ff) ||
    (c >= 0x3130 && c <= 0x318f) ||
    (c >= 0x31f0 && c <= 0x31ff)
  );
}

/** What `normaliseForHashing` saw besides the text it wrote. */
export interface NormaliseStats {
  /** How many Han/Kana/Hangul chars the normalised text holds (0 for ASCII text, unscanned). */
  cjkChars: number;
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x60;
}

class HashingVectorizer implements FeatureHasher {
  readonly settings: Readonly<FeatureSettings>;
  readonly buckets: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  private readonly mask: number;
  /** Signed count per bucket; all zero between calls (each call zeroes what it touched). */
  private readonly counts: Int32Array;
  /** Every emitted bucket of the current text, in order, repeats included. */
  private touched: Int32Array;
  private buf: Uint16Array = new Uint16Array(4096);
  private readonly stats: NormaliseStats = { cjkChars: 0 };
  private readonly reserve = (need: number): Uint16Array => this.reserveBuffer(need);

  constructor(settings: Readonly<FeatureSettings>) {
    validateSettings(settings);
    this.settings = Object.freeze({ ...settings });
    this.buckets = 1 << settings.bucketBits;
    this.mask = this.buckets - 1;
    this.indices = new Int32Array(this.buckets);
    this.values = new Float32Array(this.buckets);
    this.counts = new Int32Array(this.buckets);
    this.touched = new Int32Array(4096);
  }

  /**
   * Counts the text's features into `counts`; returns how many entries of `touched` are set.
   * Every caller must then visit those entries, skipping zero counts and zeroing the rest.
   */
  private count(text: string): number {
    const len = this.normalise(text);
    const orders = this.settings.charNgramMax > 0 ? this.settings.charNgramMax - this.settings.charNgramMin + 1 : 0;
    const cjkMax = this.stats.cjkChars > 0 ? (this.settings.cjkNgramMax ?? 0) : 0;
    const maxEmits = len * (orders + this.settings.wordNgramMax + cjkMax) + 2;
    if (this.touched.length < maxEmits) {
      let size = this.touched.length;
      while (size < maxEmits) size *= 2;
      this.touched = new Int32Array(size);
    }
    const buf = this.buf;
    const counts = this.counts;
    const touched = this.touched;
    const mask = this.mask;
    const minN = this.settings.charNgramMin;
    const maxN = this.settings.charNgramMax;
    const wordMax = this.settings.wordNgramMax;
    let n = 0;

    // Counting has no branches and no chain of dependent loads: every emitted bucket is
    // appended to `touched` (repeats included) and its count updated. The pass that reads them
    // takes the final count at a bucket's first visit and zeroes it, so later visits (and
    // buckets whose signed count cancelled to 0) contribute nothing.
    if (minN === 4 && maxN === 4) {
      // The shipped setting, with the hash of each 4-gram written out (no inner loops).
      for (let i = 0; i + 4 <= len; i++) {
        const h = Math.imul(Math.imul(Math.imul(Math.imul(FNV_OFFSET ^ buf[i]!, FNV_PRIME) ^ buf[i + 1]!, FNV_PRIME) ^ buf[i + 2]!, FNV_PRIME) ^ buf[i + 3]!, FNV_PRIME);
        const f = fmix32(h);
        const b = f & mask;
        counts[b]! += (f >> 31) | 1;
        touched[n++] = b;
      }
    } else if (maxN > 0) {
      for (let i = 0; i + minN <= len; i++) {
        let h = FNV_OFFSET;
        let j = i;
        for (const prefixEnd = i + minN - 1; j < prefixEnd; j++) h = Math.imul(h ^ buf[j]!, FNV_PRIME);
        for (const end = i + maxN < len ? i + maxN : len; j < end; j++) {
          h = Math.imul(h ^ buf[j]!, FNV_PRIME);
          const f = fmix32(h);
          const b = f & mask;
          counts[b]! += (f >> 31) | 1; // ±1 without a branch: the sign is a coin toss, mispredicted half the time
          touched[n++] = b;
        }
      }
    }

    if (wordMax > 0) {
      const ww = this.settings.wordWeight;
      let prev = 0;
      let havePrev = false;
      let h = WORD_SEED;
      let inWord = false;
      for (let i = 0; i <= len; i++) {
        const c = i < len ? buf[i]! : SPACE;
        if (c !== SPACE) {
          h = Math.imul(h ^ c, FNV_PRIME);
          inWord = true;
          continue;
        }
        if (!inWord) continue;
        let f = fmix32(h);
        let b = f & mask;
        counts[b]! += ((f >> 31) | 1) * ww;
        touched[n++] = b;
        if (wordMax > 1 && havePrev) {
          f = fmix32(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x7f4a7c15);
          b = f & mask;
          counts[b]! += ((f >> 31) | 1) * ww;
          touched[n++] = b;
        }
        prev = h;
        havePrev = true;
        h = WORD_SEED;
        inWord = false;
      }
    }

    if (cjkMax > 0) {
      // Each Han/Kana/Hangul char, and each pair of adjacent ones: the words of unspaced text.
      let prevCjk = -1;
      for (let i = 0; i < len; i++) {
        const c = buf[i]!;
        if (!isCjkChar(c)) {
          prevCjk = -1;
          continue;
        }
        let f = fmix32(Math.imul(CJK_SEED ^ c, FNV_PRIME));
        let b = f & mask;
        counts[b]! += (f >> 31) | 1;
        touched[n++] = b;
        if (cjkMax > 1 && prevCjk >= 0) {
          f = fmix32(Math.imul(Math.imul(CJK_PAIR_SEED ^ prevCjk, FNV_PRIME) ^ c, FNV_PRIME));
          b = f & mask;
          counts[b]! += (f >> 31) | 1;
          touched[n++] = b;
        }
        prevCjk = c;
      }
    }
    return n;
  }

  vectorize(text: string): number {
    const n = this.count(text);
    const touched = this.touched;
    const counts = this.counts;
    const indices = this.indices;
    const values = this.values;
    const binary = this.settings.tf === 'binary';
    let out = 0;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      const b = touched[k]!;
      const c = counts[b]!;
      if (c === 0) continue;
      counts[b] = 0;
      const v = featureValue(c, binary);
      indices[out] = b;
      values[out++] = v;
      sumSq += v * v;
    }
    if (sumSq > 0) {
      const inv = 1 / Math.sqrt(sumSq);
      for (let k = 0; k < out; k++) values[k] = values[k]! * inv;
    }
    return out;
  }

  project(text: string, weights: QuantizedWeights, out: Float64Array): number {
    const n = this.count(text);
    const touched = this.touched;
    const counts = this.counts;
    const heads = weights.heads;
    const codes = weights.codes;
    const books = weights.codebooks;
    const binary = this.settings.tf === 'binary';
    let sumSq = 0;
    if (heads === 9) {
      // The shipped model has nine heads. Accumulating in locals rather than in `out[h]` makes
      // this loop several times faster in V8; it runs once per distinct feature of every text.
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0;
      for (let k = 0; k < n; k++) {
        const b = touched[k]!;
        const c = counts[b]!;
        if (c === 0) continue;
        counts[b] = 0;
        const v = featureValue(c, binary);
        sumSq += v * v;
        const base = b * 9;
        a0 += v * books[codes[base]!]!;
        a1 += v * books[256 | codes[base + 1]!]!;
        a2 += v * books[512 | codes[base + 2]!]!;
        a3 += v * books[768 | codes[base + 3]!]!;
        a4 += v * books[1024 | codes[base + 4]!]!;
        a5 += v * books[1280 | codes[base + 5]!]!;
        a6 += v * books[1536 | codes[base + 6]!]!;
        a7 += v * books[1792 | codes[base + 7]!]!;
        a8 += v * books[2048 | codes[base + 8]!]!;
      }
      out[0] = a0;
      out[1] = a1;
      out[2] = a2;
      out[3] = a3;
      out[4] = a4;
      out[5] = a5;
      out[6] = a6;
      out[7] = a7;
      out[8] = a8;
    } else {
      out.fill(0, 0, heads);
      for (let k = 0; k < n; k++) {
        const b = touched[k]!;
        const c = counts[b]!;
        if (c === 0) continue;
        counts[b] = 0;
        const v = featureValue(c, binary);
        sumSq += v * v;
        const base = b * heads;
        for (let h = 0; h < heads; h++) out[h]! += v * books[(h << 8) | codes[base + h]!]!;
      }
    }
    const inv = sumSq > 0 ? 1 / Math.sqrt(sumSq) : 0;
    for (let h = 0; h < heads; h++) out[h] = out[h]! * inv;
    return n;
  }

  private normalise(text: string): number {
    return normaliseForHashing(text, this.reserve, this.stats);
  }

  private reserveBuffer(need: number): Uint16Array {
    if (this.buf.length < need) {
      let size = this.buf.length;
      while (size < need) size *= 2;
      this.buf = new Uint16Array(size);
    }
    return this.buf;
  }
}

/** Per ASCII char: 1 if a word char, 1 if a separator (apostrophes are neither), and what is written. */
const ASCII_WORD = new Uint8Array(128);
const ASCII_SEPARATOR = new Uint8Array(128);
const ASCII_OUT = new Uint16Array(128);
for (let c = 0; c < 128; c++) {
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  ASCII_WORD[c] = isWordChar(lower) ? 1 : 0;
  ASCII_SEPARATOR[c] = !isWordChar(lower) && !isApostrophe(c) ? 1 : 0;
  ASCII_OUT[c] = ASCII_WORD[c] ? lower : SPACE;
}

/**
 * The ASCII part of `normaliseForHashing` as the linear kernel reads it: 128 bytes, per char 1
 * when a word char and 2 when a separator (an apostrophe is neither), then 128 u16 (little
 * endian), what is written for each.
 */
export function hashingCharTable(): Uint8Array {
  const table = new Uint8Array(384);
  for (let c = 0; c < 128; c++) {
    table[c] = ASCII_WORD[c]! | (ASCII_SEPARATOR[c]! << 1);
    table[128 + 2 * c] = ASCII_OUT[c]! & 0xff;
    table[129 + 2 * c] = ASCII_OUT[c]! >> 8;
  }
  return table;
}

/**
 * Writes the text as the hasher sees it into the buffer `reserve(need)` returns (at least
 * `need` chars) and returns its length: NFKC, lowercase, apostrophes dropped ("don't" = "dont"),
 * every run of non-word characters collapsed to one space, with a space at both ends so n-grams
 * see word boundaries. 0 when the text has no word character at all. `stats`, when given,
 * receives how many Han/Kana/Hangul chars were written.
 */
export function normaliseForHashing(text: string, reserve: (need: number) => Uint16Array, stats?: NormaliseStats): number {
  if (stats) stats.cjkChars = 0;
  if (!NON_ASCII.test(text)) return normaliseAscii(text, reserve(text.length + 2));
  const t = text.normalize('NFKC').toLowerCase();
  const buf = reserve(t.length + 2);
  let n = 0;
  let cjk = 0;
  buf[n++] = SPACE;
  let lastSpace = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x80 ? ASCII_WORD[c] === 1 : isWordChar(c)) {
      buf[n++] = c;
      if (c >= 0x1100 && isCjkChar(c)) cjk++;
      lastSpace = false;
    } else if (isApostrophe(c)) {
      continue;
    } else if (!lastSpace) {
      buf[n++] = SPACE;
      lastSpace = true;
    }
  }
  if (!lastSpace) buf[n++] = SPACE;
  if (stats) stats.cjkChars = cjk;
  return n === 1 ? 0 : n;
}

/**
 * The same for ASCII text, from tables and without branches on the text: branching on "is
 * this a letter" mispredicts at every word boundary, which cost more than the rest of the loop.
 */
function normaliseAscii(text: string, buf: Uint16Array): number {
  let n = 0;
  buf[n++] = SPACE;
  let lastSpace = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const word = ASCII_WORD[c]!;
    const sep = ASCII_SEPARATOR[c]!;
    buf[n] = ASCII_OUT[c]!;
    n += word | (sep & (lastSpace ^ 1));
    lastSpace = (lastSpace & (1 - word - sep)) | sep;
  }
  if (lastSpace === 0) buf[n++] = SPACE;
  return n === 1 ? 0 : n;
}

function validateSettings(s: Readonly<FeatureSettings>): void {
  const intIn = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  if (
    !intIn(s.bucketBits, 4, 24) ||
    !intIn(s.charNgramMin, 0, 16) ||
    !intIn(s.charNgramMax, 0, 16) ||
    (s.charNgramMax > 0 && (s.charNgramMin < 1 || s.charNgramMin > s.charNgramMax)) ||
    !intIn(s.wordNgramMax, 0, 2) ||
    !intIn(s.wordWeight, 1, 64) ||
    !intIn(s.cjkNgramMax ?? 0, 0, 2) ||
    !intIn(s.literalIdioms ?? 0, 0, 1) ||
    (s.tf !== 'log' && s.tf !== 'binary')
  ) {
    throw new LinearModelError(`invalid feature settings \`${JSON.stringify(s)}\``);
  }
}

export function createFeatureHasher(settings: Readonly<FeatureSettings>): FeatureHasher {
  return new HashingVectorizer(settings);
}
