import { performance } from 'node:perf_hooks';
import type { ClassifierInput, ClassifierErrorCode, ClassifierOutcome, Evidence } from './classifier.js';
import { failedOutcome } from './failed-outcome.js';
import type { Scores } from '../taxonomy/categories.js';

/**
 * The `Classifier.classify` contract around a synchronous scorer (lexicon, linear, pii): an
 * aborted signal, a non-string text or a scorer that throws become `{ status: 'failed' }`,
 * never an exception, so the policy's fail-closed rule applies.
 */
export function classifySync(
  what: string,
  input: ClassifierInput,
  signal: AbortSignal | undefined,
  score: (text: string) => { scores: Scores; evidence?: Evidence[] },
): Promise<ClassifierOutcome> {
  const started = performance.now();
  const failed = (code: ClassifierErrorCode, message: string): Promise<ClassifierOutcome> => Promise.resolve(failedOutcome(code, message, started));
  if (signal?.aborted) return failed('aborted', 'classification aborted');
  if (typeof input?.text !== 'string') return failed('input_invalid', 'input text must be a string');
  try {
    const { scores, evidence } = score(input.text);
    return Promise.resolve({ status: 'ok', scores, ...(evidence ? { evidence } : {}), latencyMs: performance.now() - started });
  } catch (cause) {
    return failed('internal_error', `${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
