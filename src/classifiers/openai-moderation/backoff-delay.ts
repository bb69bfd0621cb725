export interface BackoffOptions {
  /** Upper bound of the first wait. */
  baseDelayMs: number;
  /** No single wait is longer than this, whatever the attempt number. */
  maxDelayMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(max, base·2^attempt)). Spreading
 * the waits over the whole interval keeps many clients that failed together from retrying
 * together (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
