import { createHash } from 'node:crypto';
import { canonicalJson } from '../../util/canonical-json.js';
import { linearManifestSchema } from './linear-manifest.js';
import { CODEBOOK_SIZE, LINEAR_MODEL_FORMAT, type LinearModel } from './linear-model.js';
import { LinearModelError } from './linear-model-error.js';

/**
 * Builds a model from its manifest (parsed JSON) and weights file bytes, checking that they
 * belong together: the weights' SHA-256 and size must match the manifest.
 */
export function decodeLinearModel(manifestJson: unknown, weights: Uint8Array): LinearModel {
  const parsed = linearManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new LinearModelError(`invalid linear model manifest at \`${where}\`: ${issue?.message ?? 'unknown'}`, {
      cause: parsed.error,
    });
  }
  const m = parsed.data;
  const heads = m.heads.length;
  const buckets = 2 ** m.features.bucketBits;
  const codebookBytes = heads * CODEBOOK_SIZE * 4;
  const expected = codebookBytes + buckets * heads;
  if (weights.byteLength !== expected || m.weights.bytes !== expected) {
    throw new LinearModelError(
      `linear model weights have ${weights.byteLength} bytes, expected ${expected} (manifest says ${m.weights.bytes})`,
    );
  }
  const sha = createHash('sha256').update(weights).digest('hex');
  if (sha !== m.weights.sha256) {
    throw new LinearModelError(`linear model weights do not match the manifest (sha256 \`${sha}\`)`);
  }
  const seen = new Set<string>();
  for (const h of m.heads) {
    if (seen.has(h.category)) throw new LinearModelError(`linear model has two heads for \`${h.category}\``);
    seen.add(h.category);
  }
  // Copy so the arrays are aligned and independent of the caller's buffer.
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const codebooks = new Float32Array(heads * CODEBOOK_SIZE);
  for (let i = 0; i < codebooks.length; i++) codebooks[i] = view.getFloat32(i * 4, true);
  for (let h = 0; h < heads; h++) {
    if (codebooks[h * CODEBOOK_SIZE] !== 0) throw new LinearModelError('linear model codebook code 0 must decode to 0');
  }
  for (const v of codebooks) {
    if (!Number.isFinite(v)) throw new LinearModelError('linear model codebook holds a non-finite weight');
  }
  const codes = weights.slice(codebookBytes);
  const { cjkNgramMax, literalIdioms, ...features } = m.features;
  const heads_ = m.heads.map((h) => Object.freeze({ ...h, calibration: Object.freeze({ ...h.calibration }) }));
  const version = createHash('sha256')
    .update(canonicalJson({ format: m.format, features: m.features, heads: m.heads }))
    .update(sha)
    .digest('hex')
    .slice(0, 16);
  return Object.freeze({
    format: LINEAR_MODEL_FORMAT,
    version,
    features: Object.freeze({ ...features, ...(cjkNgramMax !== undefined ? { cjkNgramMax } : {}), ...(literalIdioms !== undefined ? { literalIdioms } : {}) }),
    heads: Object.freeze(heads_),
    codebooks,
    codes,
    ...(m.training !== undefined ? { training: m.training } : {}),
    ...(m.metrics !== undefined ? { metrics: m.metrics } : {}),
  });
}
