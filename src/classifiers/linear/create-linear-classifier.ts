import { classifySync } from '../classify-sync.js';
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
  /**
   * The same scores as an array in the order of `model.heads`, without building an object: a
   * view that the next call overwrites (for composing classifiers in one synchronous step).
   */
  probabilitiesSync(text: string): Float64Array;
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
    probabilitiesSync: (text: string) => scorer.probabilities(text),
    classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      return classifySync('linear model', input, opts?.signal, (text) => ({ scores: scoreSync(text) }));
    },
  };
}
