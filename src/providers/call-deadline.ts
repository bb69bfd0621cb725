import { ProviderError } from './provider-error.js';

export interface CallDeadlineOptions {
  /** The caller's signal; its abort reaches the upstream request. */
  signal?: AbortSignal | undefined;
  /** Time allowed until the first progress (for a whole completion: the whole call). */
  firstMs: number;
  /** Time allowed between two progress events of a stream; none when absent. */
  idleMs?: number | undefined;
}

/**
 * One call's cancellation: the caller's signal, a first-answer timeout, an idle timeout between
 * stream events, and `abort()` for the guard itself. The SDKs only time out until the response
 * headers; a stream that stalls after them is caught here.
 */
export interface CallDeadline {
  /**
   * Passed to the upstream request; aborted on any of the causes above. Made on first use: a
   * caller that only needs `aborted` and `onAbort` never pays for an `AbortController`.
   */
  readonly signal: AbortSignal;
  /** Whether the call has been stopped (by any of the causes above). */
  readonly aborted: boolean;
  /**
   * Calls `listener` once when the call is stopped (at once when it already is); the returned
   * function removes it. Cheaper than a listener on `signal` on the path of every call.
   */
  onAbort(listener: () => void): () => void;
  /** The upstream made progress: restarts the idle timer. */
  progress(): void;
  /** Cancels the call on the guard's behalf (a violation, a consumer that stopped reading). */
  abort(): void;
  /** The error to throw for `error`, raised while this call was running. */
  failure(provider: string, error: unknown): unknown;
  dispose(): void;
}

export function createCallDeadline(options: CallDeadlineOptions): CallDeadline {
  let controller: AbortController | undefined;
  let listeners: (() => void)[] | undefined;
  let cause: 'timeout-first' | 'timeout-idle' | 'caller' | 'self' | undefined;
  const stop = (why: NonNullable<typeof cause>): void => {
    if (cause) return;
    cause = why;
    controller?.abort();
    const called = listeners;
    listeners = undefined;
    if (called) for (const listener of called) listener();
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => stop('timeout-first'), options.firstMs);
  const onCallerAbort = (): void => stop('caller');
  const callerSignal = options.signal;
  if (callerSignal?.aborted) stop('caller');
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  return {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (cause) controller.abort();
      }
      return controller.signal;
    },
    get aborted() {
      return cause !== undefined;
    },
    onAbort(listener) {
      if (cause) {
        listener();
        return () => undefined;
      }
      (listeners ??= []).push(listener);
      return () => {
        const at = listeners?.indexOf(listener) ?? -1;
        if (at >= 0) listeners!.splice(at, 1);
      };
    },
    progress() {
      if (cause) return;
      clear();
      if (options.idleMs != null) timer = setTimeout(() => stop('timeout-idle'), options.idleMs);
    },
    abort() {
      stop('self');
    },
    failure(provider, error) {
      switch (cause) {
        case 'caller':
          return callerSignal?.reason ?? abortError('the call was aborted');
        case 'timeout-first':
          return new ProviderError(provider, 'timeout', `${provider} did not answer within ${options.firstMs} ms`, { cause: error });
        case 'timeout-idle':
          return new ProviderError(provider, 'timeout', `${provider} stream stalled: nothing for ${options.idleMs} ms`, { cause: error });
        case 'self':
          return abortError('the stream was aborted');
        default:
          return error;
      }
    },
    dispose() {
      clear();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** An `AbortError`, as `fetch` throws it, without depending on the DOM globals. */
export function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}
