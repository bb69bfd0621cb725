import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierOutcome, Evidence } from '../classifier.js';
import { detectPii } from './detect-pii.js';

export interface PiiClassifierOptions {
  /** Matches below this confidence add nothing (neither score nor evidence). Default 0.3. */
  minConfidence?: number;
}

export const PII_CLASSIFIER_VERSION = 'pii-1';

/** The classifier plus its synchronous core, for callers that compose classifiers. */
export interface PiiClassifier extends Classifier {
  scan(text: string): { scores: Scores; evidence: Evidence[] };
}
const CATEGORIES: readonly Category[] = Object.freeze(['pii']);

/**
 * Scores `pii` as the highest confidence among the items found (1 for checksum- or
 * format-validated ones) and returns every item as evidence, typed by `match`
 * (`email`, `phone`, …) and never carrying the value itself.
 */
export function createPiiClassifier(options: PiiClassifierOptions = {}): PiiClassifier {
  const minConfidence = options.minConfidence ?? 0.3;
  const scan = (text: string): { scores: Scores; evidence: Evidence[] } => {
    let score = 0;
    const evidence: Evidence[] = [];
    for (const m of detectPii(text)) {
      if (m.confidence < minConfidence) continue;
      if (m.confidence > score) score = m.confidence;
      evidence.push({ category: 'pii', start: m.start, end: m.end, match: m.type, source: 'pii' });
    }
    return { scores: { pii: score }, evidence };
  };
  return Object.freeze({
    id: 'pii',
    version: PII_CLASSIFIER_VERSION,
    categories: CATEGORIES,
    scan,
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
        const { scores, evidence } = scan(input.text);
        return { status: 'ok', scores, evidence, latencyMs: performance.now() - started };
      } catch (cause) {
        return {
          status: 'failed',
          error: { code: 'internal_error', message: `pii detection failed: ${(cause as Error)?.message ?? String(cause)}` },
          latencyMs: performance.now() - started,
        };
      }
    },
  });
}
