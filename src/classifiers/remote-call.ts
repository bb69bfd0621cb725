import { performance } from 'node:perf_hooks';
import type { ClassifierErrorCode, ClassifierOutcome } from './classifier.js';
import { failedOutcome } from './failed-outcome.js';

/**
 * One call of a remote classifier (OpenAI moderation, Llama Guard): its clock, its deadline and
 * the caller's cancellation, and the `failed` outcomes they lead to. Every exit turns into an
 * outcome, never an exception, so the policy's fail-closed rule applies.
 */
export interface RemoteCall {
  /** Passed to the upstream request: aborted at the deadline or when the caller aborts. */
  readonly signal: AbortSignal;
  failed(code: string, message: string): ClassifierOutcome;
  /** Milliseconds since the call started. */
  elapsed(): number;
  /** Whether `signal` was aborted (by the deadline or the caller). */
  stopped(): boolean;
  /** The outcome of a stopped call: `timeout` if the deadline ran out, else `aborted`. */
  stoppedOutcome(): ClassifierOutcome;
  /** Clears the timer and the listener on the caller's signal; call it in a `finally`. */
  dispose(): void;
}

export function startRemoteCall(service: string, timeoutMs: number, callerSignal?: AbortSignal): RemoteCall {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const elapsed = (): number => performance.now() - started;
  const failed = (code: ClassifierErrorCode, message: string): ClassifierOutcome => failedOutcome(code, message, started);
  return {
    signal: controller.signal,
    failed,
    elapsed,
    stopped: () => controller.signal.aborted,
    stoppedOutcome: () =>
      timedOut && !callerSignal?.aborted
        ? failed('timeout', `${service} did not answer within ${timeoutMs} ms`)
        : failed('aborted', 'the call was aborted'),
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
