import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import type { LinearModel } from './linear-model.js';
import { createLinearScorer } from './linear-scorer.js';
import { loadLinearModel } from './load-linear-model.js';

export interface LinearClassifierOptions {
  /** A loaded model; default: the model committed under classifiers/models/. */
  model?: LinearModel;
}

/** The classifier also exposes its model and a synchronous scorer for composition. */
export interface LinearClassifier extends Classifier {
  readonly model: LinearModel;
  /** Calibrated scores per head, synchronously; throws only on a programming error. */
  scoreSync(text: string): Scores;
}

/**
 * The hashed n-gram logistic model as a `Classifier` (id `linear`, version = model hash).
 * Loading the default model reads the weights file once, synchronously.
 */
export function createLinearClassifier(options: LinearClassifierOptions = {}): LinearClassifier {
  const model = options.model ?? loadLinearModel();
  const scorer = createLinearScorer(model);
  const categories: readonly Category[] = scorer.categories;

  const scoreSync = (text: string): Scores => {
    const p = scorer.probabilities(text);
    const scores: Scores = {};
    for (let h = 0; h < categories.length; h++) scores[categories[h]!] = p[h]!;
    return scores;
  };

  return {
    id: 'linear',
    version: model.version,
    categories,
    model,
    scoreSync,
    async classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const started = performance.now();
      if (opts?.signal?.aborted) {
        return { status: 'failed', error: { code: 'aborted', message: 'classification aborted' }, latencyMs: 0 };
      }
      if (typeof input?.text !== 'string') {
        return {
          status: 'failed',
          error: { code: 'input_invalid', message: 'input text must be a string' },
          latencyMs: performance.now() - started,
        };
      }
      try {
        const scores = scoreSync(input.text);
        return { status: 'ok', scores, latencyMs: performance.now() - started };
      } catch (cause) {
        return {
          status: 'failed',
          error: { code: 'internal_error', message: `linear model failed: ${(cause as Error)?.message ?? String(cause)}` },
          latencyMs: performance.now() - started,
        };
      }
    },
  };
}
