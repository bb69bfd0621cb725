import { createSeededRandom, shuffleInPlace } from '../../src/util/seeded-random.js';
import type { SparseMatrix } from './sparse-matrix.js';

export interface TrainerOptions {
  heads: number;
  buckets: number;
  epochs: number;
  /** Adagrad base learning rate. */
  learningRate: number;
  /**
   * L2 strength per head, applied to the coordinates a row touches (the usual lazy form for
   * sparse SGD). Heads with few positives need more of it.
   */
  l2: ArrayLike<number>;
  seed: number;
  onEpoch?: (epoch: number) => void;
}

export interface TrainedWeights {
  /** buckets × heads, bucket-major (the layout inference reads). */
  weights: Float32Array;
  biases: Float64Array;
}

/**
 * Multi-head logistic regression by Adagrad SGD. Each head only sees the rows that carry its
 * label (`labels[r*H+h]` = -1 means unknown) with per-row, per-head sample weights. All heads
 * share one pass over each row, which is what makes 9 heads cost little more than one.
 */
export function trainLogistic(
  x: SparseMatrix,
  labels: Int8Array,
  sampleWeights: Float32Array,
  rows: Int32Array,
  opts: TrainerOptions,
): TrainedWeights {
  const H = opts.heads;
  const weights = new Float32Array(opts.buckets * H);
  const g2 = new Float32Array(opts.buckets * H);
  const biases = new Float64Array(H);
  const biasG2 = new Float64Array(H);
  const random = createSeededRandom(opts.seed);
  const order = Int32Array.from(rows);
  const active = new Int32Array(H);
  const grad = new Float64Array(H);
  const z = new Float64Array(H);
  const eta = opts.learningRate;
  const l2 = Float64Array.from({ length: H }, (_, h) => opts.l2[h]!);
  const activeL2 = new Float64Array(H);
  const eps = 1e-8;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let oi = 0; oi < order.length; oi++) {
      const r = order[oi]!;
      let na = 0;
      for (let h = 0; h < H; h++) {
        if (labels[r * H + h]! >= 0 && sampleWeights[r * H + h]! > 0) {
          activeL2[na] = l2[h]!;
          active[na++] = h;
        }
      }
      if (na === 0) continue;
      const start = x.rowPtr[r]!;
      const end = x.rowPtr[r + 1]!;
      for (let a = 0; a < na; a++) z[a] = biases[active[a]!]!;
      for (let k = start; k < end; k++) {
        const base = x.idx[k]! * H;
        const v = x.val[k]!;
        for (let a = 0; a < na; a++) z[a]! += v * weights[base + active[a]!]!;
      }
      for (let a = 0; a < na; a++) {
        const h = active[a]!;
        const zz = z[a]!;
        const p = zz >= 0 ? 1 / (1 + Math.exp(-zz)) : Math.exp(zz) / (1 + Math.exp(zz));
        const g = sampleWeights[r * H + h]! * (p - labels[r * H + h]!);
        grad[a] = g;
        biasG2[h]! += g * g;
        biases[h]! -= (eta * g) / (Math.sqrt(biasG2[h]!) + eps);
      }
      for (let k = start; k < end; k++) {
        const base = x.idx[k]! * H;
        const v = x.val[k]!;
        for (let a = 0; a < na; a++) {
          const j = base + active[a]!;
          const w = weights[j]!;
          const gj = grad[a]! * v + activeL2[a]! * w;
          const acc = g2[j]! + gj * gj;
          g2[j] = acc;
          weights[j] = w - (eta * gj) / (Math.sqrt(acc) + eps);
        }
      }
    }
    opts.onEpoch?.(epoch + 1);
  }
  return { weights, biases };
}
