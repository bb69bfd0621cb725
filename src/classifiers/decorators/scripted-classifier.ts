import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';

export interface ScriptedClassifierOptions {
  id?: string;
  version?: string;
  categories: readonly Category[];
  /** Scores for a text; default reads `[[id:category=score,…]]` markers addressed to this classifier. */
  score?: (input: ClassifierInput) => Scores | ClassifierOutcome;
  /** Artificial latency, honouring the abort signal. */
  delayMs?: number;
}

export interface ScriptedClassifier extends Classifier {
  /** Every input it was asked about, in order. */
  readonly calls: ClassifierInput[];
}

/**
 * An in-process classifier for decorator and eval tests: scores come from markers in the text
 * (`[[cheap:sexual=0.5]]` scores `sexual` 0.5 for the classifier with id `cheap`), every other
 * declared category scores 0. A `score` function can return a full outcome to script failures.
 */
export function createScriptedClassifier(options: ScriptedClassifierOptions): ScriptedClassifier {
  const id = options.id ?? 'scripted';
  const calls: ClassifierInput[] = [];
  const markerScores = (input: ClassifierInput): Scores => {
    const scores: Scores = Object.fromEntries(options.categories.map((c) => [c, 0]));
    for (const m of input.text.matchAll(/\[\[([a-z0-9_-]+):([^\]]*)\]\]/g)) {
      if (m[1] !== id) continue;
      for (const pair of (m[2] as string).split(',')) {
        const [name, value] = pair.split('=').map((s) => s.trim());
        if (name && value != null && (options.categories as readonly string[]).includes(name)) scores[name as Category] = Number(value);
      }
    }
    return scores;
  };
  return {
    id,
    version: options.version ?? '1',
    categories: options.categories,
    calls,
    async classify(input, callOptions) {
      const started = performance.now();
      calls.push(input);
      const signal = callOptions?.signal;
      const aborted = (): ClassifierOutcome => ({
        status: 'failed',
        error: { code: 'aborted', message: 'aborted' },
        latencyMs: performance.now() - started,
      });
      if (signal?.aborted) return aborted();
      if (options.delayMs) {
        const completed = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), options.delayMs);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(false);
          }, { once: true });
        });
        if (!completed) return aborted();
      }
      const result = (options.score ?? markerScores)(input);
      if ('status' in result && typeof result.status === 'string') return result as ClassifierOutcome;
      return { status: 'ok', scores: result as Scores, latencyMs: performance.now() - started };
    },
  };
}
