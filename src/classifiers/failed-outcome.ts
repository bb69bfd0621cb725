import type { ClassifierErrorCode, ClassifierOutcome } from './classifier.js';

/** The `failed` outcome of a call that started at `started` (a `performance.now()` reading). */
export function failedOutcome(code: ClassifierErrorCode, message: string, started: number): ClassifierOutcome {
  return { status: 'failed', error: { code, message }, latencyMs: performance.now() - started };
}
