import { classifySync } from '../classify-sync.js';
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
    classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      return classifySync('pii detection', input, opts?.signal, scan);
    },
  });
}
