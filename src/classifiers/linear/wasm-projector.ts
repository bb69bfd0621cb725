import { LOG1P_TABLE, normaliseForHashing, type FeatureHasher, type NormaliseStats, type QuantizedWeights } from './feature-hasher.js';
import { LINEAR_KERNEL_WASM } from './linear-kernel-wasm.js';
import { ensureWasmMemory, instantiateWasmKernel, type WasmMemory } from '../../util/wasm-kernel.js';
import type { FeatureSettings } from './feature-settings.js';
import type { LinearModel } from './linear-model.js';

/** `FeatureHasher.project` with the model's weights bound: out[h] = x · w[·][h]. */
export interface Projector {
  /**
   * Writes one sum per head into `out` (then the companion's, when there is one) and returns
   * how many features the text produced.
   */
  project(text: string, out: Float64Array): number;
}

export interface WasmProjectorOptions {
  maxChars?: number;
  /**
   * A one-head model with the same feature settings (the output-stage model), projected in the
   * same pass: its sum is written after the model's heads. The numbers are the ones its own
   * projection gives, bit for bit.
   */
  companion?: LinearModel;
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
    companionCodes: number,
    companionBook: number,
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

/** Whether the kernel can project `companion` alongside `model`: one head, the same features. */
export function kernelSupportsCompanion(model: LinearModel, companion: LinearModel): boolean {
  return companion.heads.length === 1 && sameFeatureSettings(model.features, companion.features);
}

function sameFeatureSettings(a: FeatureSettings, b: FeatureSettings): boolean {
  return (
    a.bucketBits === b.bucketBits &&
    a.charNgramMin === b.charNgramMin &&
    a.charNgramMax === b.charNgramMax &&
    a.wordNgramMax === b.wordNgramMax &&
    a.wordWeight === b.wordWeight &&
    a.tf === b.tf &&
    (a.cjkNgramMax ?? 0) === (b.cjkNgramMax ?? 0)
  );
}

/**
 * The projection in WebAssembly: the same numbers as `hasher.project` bit for bit (a test
 * checks it on thousands of texts), in about 60% of the time on the shipped model. Returns
 * undefined when the kernel cannot run here or does not cover the model's settings; the caller
 * then keeps `hasher.project`, which also takes the texts the kernel hands back: longer than
 * `maxChars` (default 2^20) before or after NFKC, or with counts past its log table.
 */
export function createWasmProjector(model: LinearModel, hasher: FeatureHasher, options: WasmProjectorOptions = {}): Projector | undefined {
  if (!kernelSupports(model)) return undefined;
  if (options.companion && !kernelSupportsCompanion(model, options.companion)) return undefined;
  const kernel = instantiateWasmKernel<KernelExports>(LINEAR_KERNEL_WASM);
  if (!kernel) return undefined;
  try {
    return instantiate(kernel, model, hasher, options.maxChars ?? MAX_KERNEL_CHARS, options.companion);
  } catch {
    // Growing the memory failed (an embedder's limits): JavaScript serves.
    return undefined;
  }
}

function instantiate(kernel: KernelExports, model: LinearModel, hasher: FeatureHasher, maxChars: number, companion?: LinearModel): Projector {
  const heads = model.heads.length;
  const buckets = 1 << model.features.bucketBits;
  const weights: QuantizedWeights = { heads, codes: model.codes, codebooks: model.codebooks };
  const companionWeights: QuantizedWeights | undefined = companion && { heads: 1, codes: companion.codes, codebooks: companion.codebooks };
  const companionOut = new Float64Array(1);
  const mask = buckets - 1;
  const { wordNgramMax, wordWeight } = model.features;
  const binary = model.features.tf === 'binary' ? 1 : 0;

  // Fixed regions, then the text and its emitted buckets, which grow with the longest text seen.
  const OUT = 0;
  const LOG = 128;
  const BOOKS = LOG + LOG1P_TABLE.length * 4;
  const COMPANION_BOOK = BOOKS + model.codebooks.length * 4;
  const COUNTS = COMPANION_BOOK + (companion ? companion.codebooks.length * 4 : 0);
  const CODES = COUNTS + buckets * 4;
  const COMPANION_CODES = CODES + model.codes.length;
  const TEXT = (COMPANION_CODES + (companion ? companion.codes.length : 0) + 15) & ~15;
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
    outView = new Float64Array(kernel.memory.buffer, OUT, KERNEL_HEADS + 1);
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
  if (companion) {
    f32.set(companion.codebooks, COMPANION_BOOK / 4);
    new Uint8Array(kernel.memory.buffer).set(companion.codes, COMPANION_CODES);
  }

  /** The JavaScript reference, for the texts the kernel hands back. */
  const projectInJs = (text: string, out: Float64Array): number => {
    const n = hasher.project(text, weights, out);
    if (companionWeights) {
      hasher.project(text, companionWeights, companionOut);
      out[heads] = companionOut[0]!;
    }
    return n;
  };

  return {
    project(text: string, out: Float64Array): number {
      if (text.length > maxChars) return projectInJs(text, out);
      handBack = false;
      const len = normaliseForHashing(text, reserve, stats);
      const n =
        handBack || (cjkFeatures && stats.cjkChars > 0)
          ? -1
          : kernel.project(TEXT, len, COUNTS, touchedAt, CODES, BOOKS, LOG, mask, wordNgramMax, wordWeight, binary, OUT, companion ? COMPANION_CODES : 0, companion ? COMPANION_BOOK : 0);
      if (n < 0) return projectInJs(text, out);
      for (let h = 0; h < heads; h++) out[h] = outView[h]!;
      if (companion) out[heads] = outView[heads]!;
      return n;
    },
  };
}
