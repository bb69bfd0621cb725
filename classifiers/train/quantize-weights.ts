import { CODEBOOK_SIZE } from '../../src/classifiers/linear/linear-model.js';

/**
 * Quantises each head's float weights to one byte: code 0 is exactly 0 (untouched buckets),
 * codes 1..255 are a 1-D k-means codebook over the head's non-zero weights, initialised at
 * quantiles and iterated a fixed number of times, so the result is deterministic.
 */
export function quantizeWeights(
  weights: Float32Array,
  heads: number,
  iterations = 25,
): { codebooks: Float32Array; codes: Uint8Array } {
  const buckets = weights.length / heads;
  const codebooks = new Float32Array(heads * CODEBOOK_SIZE);
  const codes = new Uint8Array(weights.length);
  const k = CODEBOOK_SIZE - 1;
  for (let h = 0; h < heads; h++) {
    const nonZero: number[] = [];
    for (let b = 0; b < buckets; b++) {
      const w = weights[b * heads + h]!;
      if (w !== 0) nonZero.push(w);
    }
    if (nonZero.length === 0) continue;
    const sorted = Float64Array.from(nonZero).sort();
    const n = sorted.length;
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + sorted[i]!;
    let centroids: Float64Array = new Float64Array(k);
    for (let c = 0; c < k; c++) centroids[c] = sorted[Math.min(n - 1, Math.floor(((c + 0.5) / k) * n))]!;
    for (let it = 0; it < iterations; it++) {
      centroids = dedupeSorted(centroids);
      const next = new Float64Array(centroids.length);
      let lo = 0;
      for (let c = 0; c < centroids.length; c++) {
        const upper = c + 1 < centroids.length ? (centroids[c]! + centroids[c + 1]!) / 2 : Infinity;
        let hi = lo;
        // Points in [lo, hi) are nearest to centroid c; the sorted order makes this a sweep.
        while (hi < n && sorted[hi]! < upper) hi++;
        next[c] = hi > lo ? (prefix[hi]! - prefix[lo]!) / (hi - lo) : centroids[c]!;
        lo = hi;
      }
      centroids = next;
    }
    centroids = dedupeSorted(centroids);
    const book = new Float64Array(centroids.length + 1);
    book.set(centroids);
    book[centroids.length] = 0;
    book.sort();
    // Codebook entry 0 must be 0: store the sorted centroids after it and map indices.
    const table = new Float32Array(CODEBOOK_SIZE);
    const codeOf = new Uint8Array(book.length);
    let next = 1;
    for (let i = 0; i < book.length; i++) {
      if (book[i] === 0) codeOf[i] = 0;
      else {
        table[next] = book[i]!;
        codeOf[i] = next++;
      }
    }
    codebooks.set(table, h * CODEBOOK_SIZE);
    for (let b = 0; b < buckets; b++) {
      const w = weights[b * heads + h]!;
      if (w === 0) continue;
      let lo = 0;
      let hi = book.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (book[mid]! <= w) lo = mid;
        else hi = mid;
      }
      const pick = Math.abs(w - book[lo]!) <= Math.abs(book[hi]! - w) ? lo : hi;
      codes[b * heads + h] = codeOf[pick]!;
    }
  }
  return { codebooks, codes };
}

function dedupeSorted(values: Float64Array): Float64Array {
  const out: number[] = [];
  for (const v of values) if (v !== 0 && (out.length === 0 || out[out.length - 1] !== v)) out.push(v);
  return Float64Array.from(out).sort();
}

export function dequantize(codebooks: Float32Array, codes: Uint8Array, heads: number): Float32Array {
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codebooks[(i % heads) * CODEBOOK_SIZE + codes[i]!]!;
  return out;
}
