import { z } from 'zod';
import { CATEGORIES } from '../../taxonomy/categories.js';
import { LINEAR_MODEL_FORMAT } from './linear-model.js';

/** The JSON manifest beside the weights file. Training and metrics are informational. */
export const linearManifestSchema = z.object({
  format: z.literal(LINEAR_MODEL_FORMAT),
  weights: z.object({
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    encoding: z.literal('uint8-codebook'),
    layout: z.string(),
  }),
  features: z.object({
    bucketBits: z.number().int().min(4).max(24),
    charNgramMin: z.number().int().min(0).max(16),
    charNgramMax: z.number().int().min(0).max(16),
    wordNgramMax: z.number().int().min(0).max(2),
    wordWeight: z.number().int().min(1).max(64),
    tf: z.enum(['log', 'binary']),
    cjkNgramMax: z.number().int().min(0).max(2).optional(),
    literalIdioms: z.number().int().min(0).max(1).optional(),
  }),
  heads: z
    .array(
      z.object({
        category: z.enum(CATEGORIES),
        bias: z.number(),
        calibration: z.object({ method: z.literal('platt'), a: z.number().positive(), b: z.number() }),
        threshold: z.number().min(0).max(1),
      }),
    )
    .min(1),
  training: z.unknown().optional(),
  metrics: z.unknown().optional(),
});

export type LinearManifest = z.infer<typeof linearManifestSchema>;

export const WEIGHTS_LAYOUT =
  'float32le codebooks [heads][256], then uint8 codes [buckets][heads]; code 0 decodes to 0';
