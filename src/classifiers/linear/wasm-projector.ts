import { LOG1P_TABLE, normaliseForHashing, type FeatureHasher, type NormaliseStats, type QuantizedWeights } from './feature-hasher.js';
import { LINEAR_KERNEL_WASM } from './linear-kernel-wasm.js';
import { ensureWasmMemory, instantiateWasmKernel, type WasmMemory } from '../../util/wasm-kernel.js';
import type { LinearModel } from './linear-model.js';

/** `FeatureHasher.project` with the model's weights bound: out[h] = x · w[·][h]. */
export interface Projector {
  /** Writes one sum per head into `out` and returns how many features the text produced. */
  project(text: string, out: Float64Array): number;
}

/** The kernel is written for the shipped model's nine heads and at most 2^20 buckets (9 MB). */
const KERNEL_HEADS = 9;
const MAX_KERNEL_BUCKET_BITS = 20;
/**
 * Texts longer than this, before or after NFKC (which can expand a char up to 18-fold), take the
 * JavaScript path rather than growing the kernel's memory further: it is never given back.
 */
const MAX_KERNEL_CHARS = 1 << 20;

interface KernelExports {
  memory: WasmMemory;
  project(
    text: number,
    len: number,
    counts: number,
    touched: number,
    codes: number,
    books: number,
    logTable: number,
    mask: number,
    wordMax: number,
    wordWeight: number,
    binary: number,
    out: number,
  ): number;
}

/** Whether the kernel computes these settings (the shipped ones: char 4-grams, word 1–2-grams). */
export function kernelSupports(model: LinearModel): boolean {
  const f = model.features;
  return (
    f.charNgramMin === 4 &&
    f.charNgramMax === 4 &&
    f.bucketBits <= MAX_KERNEL_BUCKET_BITS &&
    model.heads.length === KERNEL_HEADS
  );
}

/**
 * The projection in WebAssembly: the same numbers as `hasher.project` bit for bit (a test
 * checks it on thousands of texts), in about 60% of the time on the shipped model. Returns
 * undefined when the kernel cannot run here or does not cover the model's settings; the caller
 * then keeps `hasher.project`, which also takes the texts the kernel hands back: longer than
 * `maxChars` (default 2^20) before or after NFKC, or with counts past its log table.
 */
export function createWasmProjector(
  model: LinearModel,
  hasher: FeatureHasher,
  options: { maxChars?: number } = {},
): Projector | undefined {
  if (!kernelSupports(model)) return undefined;
  const kernel = instantiateWasmKernel<KernelExports>(LINEAR_KERNEL_WASM);
  if (!kernel) return undefined;
  try {
    return instantiate(kernel, model, hasher, options.maxChars ?? MAX_KERNEL_CHARS);
  } catch {
    // Growing the memory failed (an embedder's limits): JavaScript serves.
    return undefined;
  }
}

function instantiate(kernel: KernelExports, model: LinearModel, hasher: FeatureHasher, maxChars: number): Projector {
  const heads = model.heads.length;
  const buckets = 1 << model.features.bucketBits;
  const weights: QuantizedWeights = { heads, codes: model.codes, codebooks: model.codebooks };
  const mask = buckets - 1;
  const { wordNgramMax, wordWeight } = model.features;
  const binary = model.features.tf === 'binary' ? 1 : 0;

  // Fixed regions, then the text and its emitted buckets, which grow with the longest text seen.
  const OUT = 0;
  const LOG = 128;
  const BOOKS = LOG + LOG1P_TABLE.length * 4;
  const COUNTS = BOOKS + model.codebooks.length * 4;
  const CODES = COUNTS + buckets * 4;
  const TEXT = (CODES + model.codes.length + 15) & ~15;
  let capacity = 0;
  let touchedAt = 0;
  let textView = new Uint16Array(0);
  let outView = new Float64Array(0);
  /** Set when a text's normalised form would outgrow the kernel; it then goes to JavaScript. */
  let handBack = false;
  /**
   * The kernel has no Han/Kana/Hangul features: texts holding such chars go to JavaScript when
   * the model uses them (ASCII texts are never scanned for them).
   */
  const cjkFeatures = (model.features.cjkNgramMax ?? 0) > 0;
  const stats: NormaliseStats = { cjkChars: 0 };

  /** Room for `chars` normalised chars; growing the memory detaches the old views. */
  const grow = (chars: number): Uint16Array => {
    let next = Math.max(capacity, 4096);
    while (next < chars) next *= 2;
    const textBytes = (next * 2 + 15) & ~15;
    const end = TEXT + textBytes + (3 * next + 2) * 4;
    ensureWasmMemory(kernel.memory, end);
    capacity = next;
    touchedAt = TEXT + textBytes;
    textView = new Uint16Array(kernel.memory.buffer, TEXT, next);
    outView = new Float64Array(kernel.memory.buffer, OUT, KERNEL_HEADS);
    return textView;
  };
  const reserve = (chars: number): Uint16Array => {
    if (chars <= capacity) return textView;
    if (chars > maxChars + 2) {
      handBack = true;
      return new Uint16Array(chars);
    }
    try {
      return grow(chars);
    } catch {
      handBack = true;
      return new Uint16Array(chars);
    }
  };
  grow(4096);
  const f32 = new Float32Array(kernel.memory.buffer);
  f32.set(LOG1P_TABLE, LOG / 4);
  f32.set(model.codebooks, BOOKS / 4);
  new Uint8Array(kernel.memory.buffer).set(model.codes, CODES);

  return {
    project(text: string, out: Float64Array): number {
      if (text.length > maxChars) return hasher.project(text, weights, out);
      handBack = false;
      const len = normaliseForHashing(text, reserve, stats);
      const n = handBack || (cjkFeatures && stats.cjkChars > 0) ? -1 : kernel.project(TEXT, len, COUNTS, touchedAt, CODES, BOOKS, LOG, mask, wordNgramMax, wordWeight, binary, OUT);
      if (n < 0) return hasher.project(text, weights, out);
      for (let h = 0; h < heads; h++) out[h] = outView[h]!;
      return n;
    },
  };
}
