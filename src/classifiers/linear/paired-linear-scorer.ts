import { createFeatureHasher } from './feature-hasher.js';
import type { LinearModel } from './linear-model.js';
import { featureTextReader } from './literal-idioms.js';
import { applyPlatt } from './platt-calibration.js';
import { createWasmProjector } from './wasm-projector.js';

/**
 * Scores one text with two linear models that read the same features — the input model and the
 * one-head output-stage model, both run on every answer at the output stage — from one pass
 * over the text: hashing the features is most of a model's cost, and the second pass found the
 * same ones. Not re-entrant, like `LinearScorer`.
 */
export interface PairedLinearScorer {
  /**
   * The first model's calibrated probabilities in the order of its heads, then the companion's
   * one; all 0 for a text without a word character, as `LinearScorer.probabilities` gives. A
   * view overwritten by the next call.
   */
  probabilities(text: string): Float64Array;
}

/**
 * The pair in one WebAssembly pass, with the numbers each model's own `LinearScorer` gives, bit
 * for bit; undefined when the kernel does not cover the pair (other settings, no WebAssembly),
 * and the caller then scores with each model's scorer.
 */
export function createPairedLinearScorer(model: LinearModel, companion: LinearModel): PairedLinearScorer | undefined {
  const projector = createWasmProjector(model, createFeatureHasher(model.features), { companion });
  if (!projector) return undefined;
  const heads = model.heads.length;
  const biases = Float64Array.from([...model.heads, ...companion.heads], (h) => h.bias);
  const calibrations = [...model.heads, ...companion.heads].map((h) => h.calibration);
  const read = featureTextReader(model.features);
  const sums = new Float64Array(heads + 1);
  const probs = new Float64Array(heads + 1);
  return {
    probabilities(text: string): Float64Array {
      const features = projector.project(read(text), sums);
      if (features === 0) return probs.fill(0);
      for (let h = 0; h <= heads; h++) probs[h] = applyPlatt(calibrations[h]!, sums[h]! + biases[h]!);
      return probs;
    },
  };
}
