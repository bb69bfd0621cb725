import { createHash } from 'node:crypto';
import type { FeatureSettings } from './feature-settings.js';
import { WEIGHTS_LAYOUT, type LinearManifest } from './linear-manifest.js';
import { CODEBOOK_SIZE, LINEAR_MODEL_FORMAT, type LinearHead } from './linear-model.js';
import { LinearModelError } from './linear-model-error.js';

export interface EncodeLinearModelInput {
  features: Readonly<FeatureSettings>;
  heads: readonly Readonly<LinearHead>[];
  /** heads × 256, head-major; code 0 must be 0. */
  codebooks: Float32Array;
  /** buckets × heads, bucket-major. */
  codes: Uint8Array;
  /** Name of the weights file the manifest points to. */
  weightsFile: string;
  training?: unknown;
  metrics?: unknown;
}

/** The inverse of `decodeLinearModel`: the manifest object and the weights file bytes. */
export function encodeLinearModel(input: EncodeLinearModelInput): { manifest: LinearManifest; weights: Uint8Array } {
  const heads = input.heads.length;
  const buckets = 2 ** input.features.bucketBits;
  if (input.codebooks.length !== heads * CODEBOOK_SIZE || input.codes.length !== buckets * heads) {
    throw new LinearModelError('codebooks or codes do not match the number of heads and buckets');
  }
  const codebookBytes = heads * CODEBOOK_SIZE * 4;
  const weights = new Uint8Array(codebookBytes + input.codes.length);
  const view = new DataView(weights.buffer);
  for (let i = 0; i < input.codebooks.length; i++) view.setFloat32(i * 4, input.codebooks[i]!, true);
  weights.set(input.codes, codebookBytes);
  const manifest: LinearManifest = {
    format: LINEAR_MODEL_FORMAT,
    weights: {
      file: input.weightsFile,
      sha256: createHash('sha256').update(weights).digest('hex'),
      bytes: weights.byteLength,
      encoding: 'uint8-codebook',
      layout: WEIGHTS_LAYOUT,
    },
    features: { ...input.features },
    heads: input.heads.map((h) => ({
      category: h.category,
      bias: h.bias,
      calibration: { method: 'platt', a: h.calibration.a, b: h.calibration.b },
      threshold: h.threshold,
    })),
    ...(input.training !== undefined ? { training: input.training } : {}),
    ...(input.metrics !== undefined ? { metrics: input.metrics } : {}),
  };
  return { manifest, weights };
}
