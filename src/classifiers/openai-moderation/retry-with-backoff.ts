import { performance } from 'node:perf_hooks';
import { backoffDelayMs, type BackoffOptions } from './backoff-delay.js';

export interface RetryVerdict {
  retry: boolean;
  /** The wait the server asked for; it replaces the jittered backoff for that attempt. */
  retryAfterMs?: number | undefined;
}

export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** `performance.now()` time after which no wait or new attempt starts: bounds the total time. */
  deadline: number;
  signal: AbortSignal;
  shouldRetry(error: unknown): RetryVerdict;
  random?: () => number;
  /** Called before each wait; for logging and tests. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, retries are used up, the signal
 * aborts, or the next wait would end past the deadline. A wait that cannot fit before the deadline
 * is not started at all: failing now with the real cause (`rate_limited`) beats failing later
 * with `timeout`.
 */
export async function retryWithBackoff<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal.aborted || n >= options.maxRetries) throw error;
      const verdict = options.shouldRetry(error);
      if (!verdict.retry) throw error;
      const delayMs = verdict.retryAfterMs ?? backoffDelayMs(n, options, options.random);
      if (performance.now() + delayMs >= options.deadline) throw error;
      options.onRetry?.({ attempt: n + 1, delayMs, error });
      const slept = await sleep(delayMs, options.signal);
      if (!slept) throw error;
    }
  }
}

/** Resolves `true` after `ms`, or `false` as soon as the signal aborts. Never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
