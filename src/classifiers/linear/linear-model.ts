import type { Category } from '../../taxonomy/categories.js';
import type { FeatureSettings } from './feature-settings.js';
import type { PlattCalibration } from './platt-calibration.js';

export const LINEAR_MODEL_FORMAT = 'saferoute-linear/1';

/** Number of codes per head: each weight is stored as one byte indexing its head's codebook. */
export const CODEBOOK_SIZE = 256;

/** One logistic-regression head: logit = bias + Σ value·weight, then Platt calibration. */
export interface LinearHead {
  category: Category;
  bias: number;
  calibration: PlattCalibration;
  /** Suggested decision threshold on the calibrated score (policies set their own). */
  threshold: number;
}

/**
 * A loaded model. Weights stay quantised in memory (one byte per bucket and head, decoded
 * through a 256-entry codebook per head) so the table is 4× smaller and cache-friendlier
 * than float32.
 */
export interface LinearModel {
  readonly format: typeof LINEAR_MODEL_FORMAT;
  /** Short content hash of features, heads and weights; changes whenever any of them does. */
  readonly version: string;
  readonly features: Readonly<FeatureSettings>;
  readonly heads: readonly Readonly<LinearHead>[];
  /** heads × 256 float32, head-major. Code 0 always decodes to exactly 0. */
  readonly codebooks: Float32Array;
  /** buckets × heads codes, bucket-major, so one bucket's weights for every head are adjacent. */
  readonly codes: Uint8Array;
  /** The manifest's training record and cross-validated metrics, as stored. */
  readonly training?: unknown;
  readonly metrics?: unknown;
}
