import { randomUUID } from 'node:crypto';
import type { Classifier } from '../classifiers/classifier.js';
import { OPENAI_MODERATION_CATEGORIES, OPENAI_MODERATION_TO_CANONICAL } from '../taxonomy/openai-moderation-mapping.js';
import type { Scores } from '../taxonomy/categories.js';
import { GatewayHttpError } from './gateway-error.js';

/** A category is flagged at this score, as OpenAI's endpoint flags at its own internal thresholds. */
export const MODERATION_FLAG_THRESHOLD = 0.5;

/** The inputs of an OpenAI moderation request: a string, strings, or `{ type: 'text', text }` parts. */
function readInputs(body: Record<string, unknown>): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.length <= 2048) {
    return input.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text' && typeof (item as { text?: unknown }).text === 'string') return (item as { text: string }).text;
      if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'image_url') {
        throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', `input[${i}]: images are not classified by saferoute's embedded classifiers; send text`, 'input');
      }
      throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', `input[${i}] must be a string or \`{ "type": "text", "text": … }\``, 'input');
    });
  }
  throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', '`input` must be a string or a non-empty array of at most 2048 strings or text parts', 'input');
}

/**
 * `POST /v1/moderations`, OpenAI-compatible (`omni-moderation` shaped): each input classified by the
 * tenant policy's input-stage classifiers (the embedded ones by default, offline), the highest
 * score per category kept, and saferoute's categories reported under OpenAI's names (the same
 * names; categories OpenAI has no name for are left out of `categories`, kept in `saferoute.scores`).
 */
export async function moderations(body: Record<string, unknown>, classifiers: readonly Classifier[], signal: AbortSignal): Promise<Record<string, unknown>> {
  const inputs = readInputs(body);
  const model = typeof body.model === 'string' ? body.model : 'omni-moderation-latest';
  const results = await Promise.all(
    inputs.map(async (text) => {
      const scores: Scores = {};
      const failed: string[] = [];
      for (const c of classifiers) {
        const outcome = await c.classify({ text, stage: 'input' }, { signal });
        if (outcome.status !== 'ok') {
          failed.push(`${c.id}:${outcome.error.code}`);
          continue;
        }
        for (const [k, v] of Object.entries(outcome.scores) as [keyof Scores, number | undefined][]) if (v != null && v > (scores[k] ?? -1)) scores[k] = v;
      }
      // Fail closed: a classifier that could not answer leaves nothing to call clean.
      if (failed.length > 0) throw new GatewayHttpError(503, 'server_error', 'classifier_failed', `classification failed (${failed.join(', ')}); try again`);
      const categories: Record<string, boolean> = {};
      const categoryScores: Record<string, number> = {};
      const applied: Record<string, string[]> = {};
      for (const name of OPENAI_MODERATION_CATEGORIES) {
        const score = scores[OPENAI_MODERATION_TO_CANONICAL[name]] ?? 0;
        categoryScores[name] = score;
        categories[name] = score >= MODERATION_FLAG_THRESHOLD;
        applied[name] = ['text'];
      }
      return { flagged: Object.values(categories).some(Boolean), categories, category_scores: categoryScores, category_applied_input_types: applied, saferoute: { scores } };
    }),
  );
  return { id: `modr-${randomUUID()}`, model, results };
}
