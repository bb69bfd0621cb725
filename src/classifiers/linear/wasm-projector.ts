import { LOG1P_TABLE, hashingCharTable, type FeatureHasher, type QuantizedWeights } from './feature-hasher.js';
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
  normaliseAscii(src: number, len: number, dst: number, table: number): number;
  normaliseWide(src: number, len: number, dst: number, table: number, cjkOut: number): number;
}

/** Any char outside ASCII: such a text is normalised through NFKC and lower case first. */
const NON_ASCII = /[^\x00-\x7f]/;

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
    (a.cjkNgramMax ?? 0) === (b.cjkNgramMax ?? 0) &&
    (a.literalIdioms ?? 0) === (b.literalIdioms ?? 0)
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

  // Fixed regions, then the normalised text and its emitted buckets, which grow with the longest
  // text seen, then the text as given to the kernel to normalise (bytes, or u16 when not ASCII).
  const OUT = 0;
  const CJK = 96;
  const LOG = 128;
  const BOOKS = LOG + LOG1P_TABLE.length * 4;
  const COMPANION_BOOK = BOOKS + model.codebooks.length * 4;
  const CHARS = COMPANION_BOOK + (companion ? companion.codebooks.length * 4 : 0);
  const COUNTS = CHARS + 384;
  const CODES = COUNTS + buckets * 4;
  const COMPANION_CODES = CODES + model.codes.length;
  const TEXT = (COMPANION_CODES + (companion ? companion.codes.length : 0) + 15) & ~15;
  let capacity = 0;
  let touchedAt = 0;
  let sourceAt = 0;
  let sourceBytes = new Uint8Array(0);
  let sourceBuffer = Buffer.alloc(0);
  let outView = new Float64Array(0);
  let cjkView = new Int32Array(0);
  /**
   * The kernel has no Han/Kana/Hangul features: texts holding such chars go to JavaScript when
   * the model uses them (ASCII texts are never scanned for them).
   */
  const cjkFeatures = (model.features.cjkNgramMax ?? 0) > 0;
  const encoder = new TextEncoder();

  /** Room for `chars` normalised chars (and the text they come from); growing the memory detaches the old views. */
  const grow = (chars: number): void => {
    let next = Math.max(capacity, 4096);
    while (next < chars) next *= 2;
    const textBytes = (next * 2 + 15) & ~15;
    const source = (TEXT + textBytes + (3 * next + 2) * 4 + 15) & ~15;
    const end = source + next * 2;
    ensureWasmMemory(kernel.memory, end);
    capacity = next;
    touchedAt = TEXT + textBytes;
    sourceAt = source;
    sourceBytes = new Uint8Array(kernel.memory.buffer, source, next * 2);
    sourceBuffer = Buffer.from(kernel.memory.buffer, source, next * 2);
    outView = new Float64Array(kernel.memory.buffer, OUT, KERNEL_HEADS + 1);
    cjkView = new Int32Array(kernel.memory.buffer, CJK, 1);
  };
  /** Whether the kernel has room for `chars` normalised chars; when not, the text goes to JavaScript. */
  const reserve = (chars: number): boolean => {
    if (chars <= capacity) return true;
    if (chars > maxChars + 2) return false;
    try {
      grow(chars);
      return true;
    } catch {
      return false;
    }
  };
  grow(4096);
  const f32 = new Float32Array(kernel.memory.buffer);
  f32.set(LOG1P_TABLE, LOG / 4);
  f32.set(model.codebooks, BOOKS / 4);
  new Uint8Array(kernel.memory.buffer).set(model.codes, CODES);
  new Uint8Array(kernel.memory.buffer).set(hashingCharTable(), CHARS);
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
      // The text is normalised as `normaliseForHashing` does, by the kernel: an ASCII text from
      // its bytes, any other from its NFKC lower case (both copied in natively).
      let len: number;
      if (!NON_ASCII.test(text)) {
        if (!reserve(text.length + 2)) return projectInJs(text, out);
        encoder.encodeInto(text, sourceBytes);
        len = kernel.normaliseAscii(sourceAt, text.length, TEXT, CHARS);
      } else {
        const t = text.normalize('NFKC').toLowerCase();
        if (!reserve(t.length + 2)) return projectInJs(text, out);
        sourceBuffer.write(t, 0, 'utf16le');
        len = kernel.normaliseWide(sourceAt, t.length, TEXT, CHARS, CJK);
        if (cjkFeatures && cjkView[0]! > 0) return projectInJs(text, out);
      }
      const n = kernel.project(TEXT, len, COUNTS, touchedAt, CODES, BOOKS, LOG, mask, wordNgramMax, wordWeight, binary, OUT, companion ? COMPANION_CODES : 0, companion ? COMPANION_BOOK : 0);
      if (n < 0) return projectInJs(text, out);
      for (let h = 0; h < heads; h++) out[h] = outView[h]!;
      if (companion) out[heads] = outView[heads]!;
      return n;
    },
  };
}
