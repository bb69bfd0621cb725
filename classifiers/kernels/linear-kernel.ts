// AssemblyScript source of the linear model's WebAssembly kernel (`npm run build:kernels`
// compiles it into src/classifiers/linear/linear-kernel-wasm.ts; a test fails if that file is
// stale). It does what `FeatureHasher.project` does in src/classifiers/linear/feature-hasher.ts
// for the shipped feature settings — char 4-grams and word 1–2-grams, log counts, L2 norm — and
// gives bit-identical results: the same hashes, the same f64 operations in the same order (only
// the nine-or-fewer head sums run two lanes at a time). The JavaScript version stays the
// reference (training uses it) and the fallback for other settings.

const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const WORD_SEED: u32 = FNV_OFFSET ^ 0x5bd1e995;
const SPACE: u32 = 32;
const LOG_TABLE_SIZE: i32 = 4096;
/** Bytes per bucket in the weight table: 12 f32 lanes, heads beyond the model's are zero. */
const BUCKET_BYTES: usize = 48;

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
 * weights: writes Σ value·weight per head, divided by the vector's L2 norm, as 12 f64 at `out`.
 *
 * `counts`: one i32 per bucket, all zero on entry and again on return. `touched`: room for
 * 3·len + 2 u32. `weights`: 48 bytes (12 f32) per bucket. `logTable`: 4096 f32, ln(1 + i).
 * Returns how many features the text produced, or -1 when some bucket's count outgrew the log
 * table (the caller then uses the general path; the counts are zero either way).
 */
export function project(
  text: usize,
  len: i32,
  counts: usize,
  touched: usize,
  weights: usize,
  logTable: usize,
  mask: u32,
  wordMax: i32,
  wordWeight: i32,
  binary: i32,
  out: usize,
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
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let a4 = f64x2.splat(0);
  let a5 = f64x2.splat(0);
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
    const vv = f64x2.splat(v);
    const w = weights + <usize>b * BUCKET_BYTES;
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    const w2 = v128.load(w, 32);
    a0 = f64x2.add(a0, f64x2.mul(vv, f64x2.promote_low_f32x4(w0)));
    a1 = f64x2.add(a1, f64x2.mul(vv, f64x2.promote_low_f32x4(v128.shuffle<i32>(w0, w0, 2, 3, 0, 1))));
    a2 = f64x2.add(a2, f64x2.mul(vv, f64x2.promote_low_f32x4(w1)));
    a3 = f64x2.add(a3, f64x2.mul(vv, f64x2.promote_low_f32x4(v128.shuffle<i32>(w1, w1, 2, 3, 0, 1))));
    a4 = f64x2.add(a4, f64x2.mul(vv, f64x2.promote_low_f32x4(w2)));
    a5 = f64x2.add(a5, f64x2.mul(vv, f64x2.promote_low_f32x4(v128.shuffle<i32>(w2, w2, 2, 3, 0, 1))));
  }
  if (overflow) return -1;
  const s = f64x2.splat(sumSq > 0 ? 1 / Math.sqrt(sumSq) : 0);
  v128.store(out, f64x2.mul(a0, s));
  v128.store(out, f64x2.mul(a1, s), 16);
  v128.store(out, f64x2.mul(a2, s), 32);
  v128.store(out, f64x2.mul(a3, s), 48);
  v128.store(out, f64x2.mul(a4, s), 64);
  v128.store(out, f64x2.mul(a5, s), 80);
  return n;
}
