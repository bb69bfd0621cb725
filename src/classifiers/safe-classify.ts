import { performance } from 'node:perf_hooks';
import type { Classifier, ClassifierInput, ClassifierOutcome } from './classifier.js';

/** Calls a classifier; one that breaks its contract and throws is treated as failed, never as clean. */
export async function safeClassify(c: Classifier, input: ClassifierInput, signal: AbortSignal | undefined): Promise<ClassifierOutcome> {
  const started = performance.now();
  try {
    return await c.classify(input, signal ? { signal } : undefined);
  } catch (error) {
    return {
      status: 'failed',
      error: { code: 'classifier_threw', message: error instanceof Error ? error.message : String(error) },
      latencyMs: performance.now() - started,
    };
  }
}
