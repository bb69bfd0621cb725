import type { Category } from '../../taxonomy/categories.js';
import { createFeatureHasher, type FeatureHasher, type QuantizedWeights } from './feature-hasher.js';
import type { LinearModel } from './linear-model.js';
import { featureTextReader } from './literal-idioms.js';
import { applyPlatt } from './platt-calibration.js';
import { createWasmProjector, type Projector } from './wasm-projector.js';

/**
 * Synchronous scoring with buffers allocated once per scorer. Not re-entrant: results are views
 * overwritten by the next call, which is fine on Node's single thread as long as callers copy.
 */
export interface LinearScorer {
  readonly model: LinearModel;
  /** Head categories, in the order of the arrays below. */
  readonly categories: readonly Category[];
  /** Raw logits (bias included) per head. */
  logits(text: string): Float64Array;
  /**
   * Calibrated probabilities per head; all 0 for a text without a single word character (empty,
   * whitespace, punctuation): it carries no evidence, and the bias alone would score the
   * training mix's prior rather than the text.
   */
  probabilities(text: string): Float64Array;
}

export interface LinearScorerOptions {
  /**
   * `auto` (default): the WebAssembly kernel where it runs and covers the model's feature
   * settings, else JavaScript; `js`: always the JavaScript reference (same numbers, slower).
   */
  kernel?: 'auto' | 'js';
}

export function createLinearScorer(model: LinearModel, options: LinearScorerOptions = {}): LinearScorer {
  const hasher: FeatureHasher = createFeatureHasher(model.features);
  const heads = model.heads.length;
  const weights: QuantizedWeights = { heads, codes: model.codes, codebooks: model.codebooks };
  const projector: Projector = (options.kernel !== 'js' ? createWasmProjector(model, hasher) : undefined) ?? {
    project: (text, out) => hasher.project(text, weights, out),
  };
  const biases = Float64Array.from(model.heads, (h) => h.bias);
  const calibrations = model.heads.map((h) => h.calibration);
  const acc = new Float64Array(heads);
  const probs = new Float64Array(heads);

  const read = featureTextReader(model.features);
  let features = 0;
  const logits = (text: string): Float64Array => {
    features = projector.project(read(text), acc);
    for (let h = 0; h < heads; h++) acc[h]! += biases[h]!;
    return acc;
  };

  return {
    model,
    categories: Object.freeze(model.heads.map((h) => h.category)),
    logits,
    probabilities(text: string): Float64Array {
      const z = logits(text);
      if (features === 0) return probs.fill(0);
      for (let h = 0; h < heads; h++) probs[h] = applyPlatt(calibrations[h]!, z[h]!);
      return probs;
    },
  };
}
