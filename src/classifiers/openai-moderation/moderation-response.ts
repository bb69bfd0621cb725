import { z } from 'zod';
import type { Category, Scores } from '../../taxonomy/categories.js';
import {
  OPENAI_MODERATION_CATEGORIES,
  OPENAI_MODERATION_TO_CANONICAL,
} from '../../taxonomy/openai-moderation-mapping.js';

/**
 * The part of `POST /v1/moderations`' answer we rely on, validated at the boundary. Fields we do
 * not use (`categories`, `category_applied_input_types`) may be absent or change without breaking
 * us; `category_scores` may not.
 */
const ModerationResponseSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  results: z.array(
    z.looseObject({
      flagged: z.boolean().optional(),
      category_scores: z.record(z.string(), z.unknown()),
    }),
  ),
});

export type ModerationResult = { ok: true; scores: Scores } | { ok: false; message: string };

/** Canonical categories this adapter can score: the mapped ones plus the aggregate `unsafe`. */
export const OPENAI_MODERATION_CANONICAL_CATEGORIES: readonly Category[] = [
  ...new Set<Category>([...OPENAI_MODERATION_CATEGORIES.map((c) => OPENAI_MODERATION_TO_CANONICAL[c]), 'unsafe']),
];

/**
 * Splits a moderation response into one result per input, in input order. A response whose
 * shape or length is wrong fails as a whole (`error`): mapping results back by index
 * is only safe when there is exactly one per input.
 */
export function parseModerationResponse(body: unknown, expected: number): { results: ModerationResult[] } | { error: string } {
  const parsed = ModerationResponseSchema.safeParse(body);
  if (!parsed.success) {
    return { error: `unexpected moderation response shape: ${parsed.error.issues[0]?.message ?? 'invalid'} at \`${(parsed.error.issues[0]?.path ?? []).join('.')}\`` };
  }
  if (parsed.data.results.length !== expected) {
    return { error: `moderation response has ${parsed.data.results.length} results for ${expected} inputs` };
  }
  return { results: parsed.data.results.map((r) => toScores(r.category_scores)) };
}

/**
 * Maps vendor scores to canonical ones through the taxonomy table (max when several feed one
 * category). Unknown vendor categories are ignored; a known one with a non-numeric or
 * out-of-range score makes the result fail rather than be guessed. `unsafe` is the highest
 * mapped score: OpenAI's own `flagged` is a boolean over per-category thresholds we do not know.
 */
function toScores(raw: Record<string, unknown>): ModerationResult {
  const scores: Scores = {};
  let unsafe: number | undefined;
  for (const vendor of OPENAI_MODERATION_CATEGORIES) {
    const value = raw[vendor];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < -1e-6 || value > 1 + 1e-6) {
      return { ok: false, message: `score of \`${vendor}\` is not a number in [0, 1]: \`${String(value)}\`` };
    }
    const score = Math.min(1, Math.max(0, value));
    const category = OPENAI_MODERATION_TO_CANONICAL[vendor];
    const previous = scores[category];
    scores[category] = previous != null ? Math.max(previous, score) : score;
    unsafe = unsafe != null ? Math.max(unsafe, score) : score;
  }
  if (unsafe == null) return { ok: false, message: 'moderation result holds no known category score' };
  scores.unsafe = unsafe;
  return { ok: true, scores };
}
