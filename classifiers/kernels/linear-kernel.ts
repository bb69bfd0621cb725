// AssemblyScript source of the linear model's WebAssembly kernel (`npm run build:kernels`
// compiles it into src/classifiers/linear/linear-kernel-wasm.ts; a test fails if that file is
// stale). It does what `FeatureHasher.project` does in src/classifiers/linear/feature-hasher.ts
// for the shipped feature settings — char 4-grams and word 1–2-grams, log counts, L2 norm — and
// gives bit-identical results: the same hashes, the same f64 operations in the same order. The
// JavaScript version stays the reference (training uses it) and the fallback for other settings.
//
// The weights stay quantised (one byte per bucket and head, 144 KB, decoded through a 256-entry
// codebook per head). A dense f32 table let the head sums run in SIMD lanes and was faster on
// its own, but at 768 KB it pushed the lexicon's automaton out of the CPU's L2 cache: the
// embedded classifier (lexicon + this) measured 1.5–2 µs per text slower with it.

const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const WORD_SEED: u32 = FNV_OFFSET ^ 0x5bd1e995;
const SPACE: u32 = 32;
const LOG_TABLE_SIZE: i32 = 4096;
/** The kernel's head count: the shipped model's nine. */
const HEADS: usize = 9;
/** Bytes per head's codebook: 256 f32. */
const BOOK_BYTES: usize = 1024;

@inline
function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

@inline
function bump(counts: usize, touched: usize, n: i32, f: u32, mask: u32, weight: i32): void {
  const b = f & mask;
  const at = counts + (<usize>b << 2);
  store<i32>(at, load<i32>(at) + ((<i32>f >> 31) | 1) * weight);
  store<u32>(touched + (<usize>n << 2), b);
}

/**
 * Projects the normalised text `text[0, len)` (u16 chars, a space at both ends) onto the
 * weights: writes Σ value·weight per head, divided by the vector's L2 norm, as 9 f64 at `out`.
 *
 * `counts`: one i32 per bucket, all zero on entry and again on return. `touched`: room for
 * 3·len + 2 u32. `codes`: 9 bytes per bucket (one per head); `books`: 9 × 256 f32, head-major.
 * `logTable`: 4096 f32, ln(1 + i).
 * `companionCodes` (one byte per bucket) and `companionBook` (256 f32), when not 0: a one-head
 * model with the same feature settings (the output-stage model), summed in the same pass as a
 * tenth f64 at `out` — the features are the same, so hashing them twice would be wasted.
 * Returns how many features the text produced, or -1 when some bucket's count outgrew the log
 * table (the caller then uses the general path; the counts are zero either way).
 */
export function project(
  text: usize,
  len: i32,
  counts: usize,
  touched: usize,
  codes: usize,
  books: usize,
  logTable: usize,
  mask: u32,
  wordMax: i32,
  wordWeight: i32,
  binary: i32,
  out: usize,
  companionCodes: usize,
  companionBook: usize,
): i32 {
  let n: i32 = 0;
  for (let i: i32 = 0; i + 4 <= len; i++) {
    const p = text + (<usize>i << 1);
    let h: u32 = (FNV_OFFSET ^ <u32>load<u16>(p)) * FNV_PRIME;
    h = (h ^ <u32>load<u16>(p, 2)) * FNV_PRIME;
    h = (h ^ <u32>load<u16>(p, 4)) * FNV_PRIME;
    h = (h ^ <u32>load<u16>(p, 6)) * FNV_PRIME;
    bump(counts, touched, n++, fmix32(h), mask, 1);
  }
  if (wordMax > 0) {
    let prev: u32 = 0;
    let havePrev = false;
    let h: u32 = WORD_SEED;
    let inWord = false;
    for (let i: i32 = 0; i <= len; i++) {
      const c: u32 = i < len ? <u32>load<u16>(text + (<usize>i << 1)) : SPACE;
      if (c != SPACE) {
        h = (h ^ c) * FNV_PRIME;
        inWord = true;
        continue;
      }
      if (!inWord) continue;
      bump(counts, touched, n++, fmix32(h), mask, wordWeight);
      if (wordMax > 1 && havePrev) bump(counts, touched, n++, fmix32((prev * 0x9e3779b1) ^ h ^ 0x7f4a7c15), mask, wordWeight);
      prev = h;
      havePrev = true;
      h = WORD_SEED;
      inWord = false;
    }
  }

  // Each bucket counts once, at its first visit, which takes its final count and zeroes it.
  let a0: f64 = 0;
  let a1: f64 = 0;
  let a2: f64 = 0;
  let a3: f64 = 0;
  let a4: f64 = 0;
  let a5: f64 = 0;
  let a6: f64 = 0;
  let a7: f64 = 0;
  let a8: f64 = 0;
  let companion: f64 = 0;
  let sumSq: f64 = 0;
  let overflow = false;
  for (let k: i32 = 0; k < n; k++) {
    const b = load<u32>(touched + (<usize>k << 2));
    const at = counts + (<usize>b << 2);
    const c = load<i32>(at);
    if (c == 0) continue;
    store<i32>(at, 0);
    const sign: i32 = (c >> 31) | 1;
    const a = c * sign;
    let v: f64;
    if (binary) v = <f64>sign;
    else if (a < LOG_TABLE_SIZE) v = <f64>sign * <f64>load<f32>(logTable + (<usize>a << 2));
    else {
      overflow = true;
      continue;
    }
    sumSq += v * v;
    const w = codes + <usize>b * HEADS;
    a0 += v * <f64>load<f32>(books + (<usize>load<u8>(w) << 2));
    a1 += v * <f64>load<f32>(books + BOOK_BYTES + (<usize>load<u8>(w, 1) << 2));
    a2 += v * <f64>load<f32>(books + 2 * BOOK_BYTES + (<usize>load<u8>(w, 2) << 2));
    a3 += v * <f64>load<f32>(books + 3 * BOOK_BYTES + (<usize>load<u8>(w, 3) << 2));
    a4 += v * <f64>load<f32>(books + 4 * BOOK_BYTES + (<usize>load<u8>(w, 4) << 2));
    a5 += v * <f64>load<f32>(books + 5 * BOOK_BYTES + (<usize>load<u8>(w, 5) << 2));
    a6 += v * <f64>load<f32>(books + 6 * BOOK_BYTES + (<usize>load<u8>(w, 6) << 2));
    a7 += v * <f64>load<f32>(books + 7 * BOOK_BYTES + (<usize>load<u8>(w, 7) << 2));
    a8 += v * <f64>load<f32>(books + 8 * BOOK_BYTES + (<usize>load<u8>(w, 8) << 2));
    if (companionCodes != 0) companion += v * <f64>load<f32>(companionBook + (<usize>load<u8>(companionCodes + <usize>b) << 2));
  }
  if (overflow) return -1;
  const inv: f64 = sumSq > 0 ? 1 / Math.sqrt(sumSq) : 0;
  store<f64>(out, a0 * inv);
  store<f64>(out, a1 * inv, 8);
  store<f64>(out, a2 * inv, 16);
  store<f64>(out, a3 * inv, 24);
  store<f64>(out, a4 * inv, 32);
  store<f64>(out, a5 * inv, 40);
  store<f64>(out, a6 * inv, 48);
  store<f64>(out, a7 * inv, 56);
  store<f64>(out, a8 * inv, 64);
  store<f64>(out, companion * inv, 72);
  return n;
}

// ---- normalising the text for hashing -------------------------------------------------------
// What `normaliseForHashing` in src/classifiers/linear/feature-hasher.ts writes, from the text
// (or, for non-ASCII text, its NFKC lower case) copied into this memory by the caller: the
// JavaScript loop over the text's chars was a third of the model's time.

/** Per ASCII char, at `table`: 1 when a word char, 2 when a separator (an apostrophe is neither); at `table + 128`, what is written (u16 each, 256 bytes). */
const TABLE_OUT: usize = 128;

/**
 * `normaliseAscii`: the ASCII text `src[0, len)` (one byte per char) as the hasher sees it, at
 * `dst` (u16 per char): lower case, apostrophes dropped, every run of other non-word chars one
 * space, a space at both ends. Returns its length, or 0 when it has no word char.
 */
export function normaliseAscii(src: usize, len: i32, dst: usize, table: usize): i32 {
  let n: i32 = 0;
  store<u16>(dst, SPACE);
  n = 1;
  let lastSpace: i32 = 1;
  for (let i: i32 = 0; i < len; i++) {
    const c = <usize>load<u8>(src + <usize>i);
    const kind = <i32>load<u8>(table + c);
    const word = kind & 1;
    const sep = kind >> 1;
    store<u16>(dst + (<usize>n << 1), load<u16>(table + TABLE_OUT + (c << 1)));
    n += word | (sep & (lastSpace ^ 1));
    lastSpace = (lastSpace & (1 - word - sep)) | sep;
  }
  if (lastSpace == 0) {
    store<u16>(dst + (<usize>n << 1), SPACE);
    n++;
  }
  return n == 1 ? 0 : n;
}

// @ts-ignore: decorator
@inline
function isWordChar(c: u32): bool {
  if (c < 0xc0) return false;
  if (c == 0xd7 || c == 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xfe10 && c <= 0xfe6f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  return c < 0xfff0;
}

// @ts-ignore: decorator
@inline
function isCjkChar(c: u32): bool {
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

/**
 * The same for text already in NFKC and lower case, `src[0, len)` as u16: word chars (ASCII
 * letters and digits, and the non-ASCII ones `isWordChar` takes) are kept, apostrophes (`'`,
 * U+2019, `` ` ``) dropped, other runs one space. Writes the count of Han/Kana/Hangul chars as an
 * i32 at `cjkOut`; returns the length, or 0 when there is no word char.
 */
export function normaliseWide(src: usize, len: i32, dst: usize, table: usize, cjkOut: usize): i32 {
  let n: i32 = 0;
  let cjk: i32 = 0;
  store<u16>(dst, SPACE);
  n = 1;
  let lastSpace = true;
  for (let i: i32 = 0; i < len; i++) {
    const c = <u32>load<u16>(src + (<usize>i << 1));
    if (c < 0x80 ? (load<u8>(table + <usize>c) & 1) != 0 : isWordChar(c)) {
      store<u16>(dst + (<usize>n << 1), <u16>c);
      n++;
      if (c >= 0x1100 && isCjkChar(c)) cjk++;
      lastSpace = false;
    } else if (c == 0x27 || c == 0x2019 || c == 0x60) {
      continue;
    } else if (!lastSpace) {
      store<u16>(dst + (<usize>n << 1), SPACE);
      n++;
      lastSpace = true;
    }
  }
  if (!lastSpace) {
    store<u16>(dst + (<usize>n << 1), SPACE);
    n++;
  }
  store<i32>(cjkOut, cjk);
  return n == 1 ? 0 : n;
}
