import { performance } from 'node:perf_hooks';
import { SaferouteError } from '../../errors.js';
import type { Classifier, ClassifierInput, ClassifierErrorCode, ClassifierOutcome } from '../classifier.js';
import { failedOutcome } from '../failed-outcome.js';

/**
 * Bounds a classifier's time: past `ms` the call resolves `failed` with code `timeout` and the
 * inner call's signal is aborted so it can stop working. A caller's abort resolves `aborted`
 * at once. A classifier that throws, against its contract, resolves `classifier_threw`. Keeps
 * the inner id, version and categories.
 */
export function withTimeout(classifier: Classifier, ms: number): Classifier {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new SaferouteError('config_invalid', `timeout of \`${classifier.id}\` must be a positive number of milliseconds, got \`${ms}\``);
  }
  return {
    id: classifier.id,
    version: classifier.version,
    categories: classifier.categories,
    classify(input: ClassifierInput, options?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const started = performance.now();
      const failed = (code: ClassifierErrorCode, message: string): ClassifierOutcome => failedOutcome(code, message, started);
      const signal = options?.signal;
      if (signal?.aborted) return Promise.resolve(failed('aborted', 'the call was aborted before it started'));

      const controller = new AbortController();
      return new Promise<ClassifierOutcome>((resolve) => {
        let settled = false;
        const settle = (outcome: ClassifierOutcome, abortInner: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onCallerAbort);
          if (abortInner) controller.abort();
          resolve(outcome);
        };
        const onCallerAbort = (): void => settle(failed('aborted', 'the call was aborted'), true);
        const timer = setTimeout(
          () => settle(failed('timeout', `\`${classifier.id}\` did not answer within ${ms} ms`), true),
          ms,
        );
        signal?.addEventListener('abort', onCallerAbort, { once: true });
        let inner: Promise<ClassifierOutcome>;
        try {
          inner = Promise.resolve(classifier.classify(input, { signal: controller.signal }));
        } catch (error) {
          inner = Promise.reject(error);
        }
        inner.then(
          (outcome) => settle(outcome, false),
          (error: unknown) => settle(failed('classifier_threw', error instanceof Error ? error.message : String(error)), false),
        );
      });
    },
  };
}
