import { GatewayHttpError } from './gateway-error.js';

/**
 * Open streams: per API key (to refuse one key more than its share with 429) and in total (so a
 * shutdown can wait for them to finish).
 */
export interface StreamTracker {
  /** Counts a stream for `key`, or throws 429 when the key has `limit` open; call the result once when it ends. */
  open(key: string, limit: number): () => void;
  readonly count: number;
  /** Resolves when no stream is open (at once if none is). */
  idle(): Promise<void>;
}

export function createStreamTracker(): StreamTracker {
  const perKey = new Map<string, number>();
  let total = 0;
  let waiters: (() => void)[] = [];
  return {
    open(key, limit) {
      const n = perKey.get(key) ?? 0;
      if (n >= limit) {
        throw new GatewayHttpError(429, 'rate_limit_error', 'too_many_streams', `the API key \`${key}\` has ${n} streams open, the gateway's \`limits.maxConcurrentStreamsPerKey\`; wait for one to finish`, null, { 'retry-after': '1' });
      }
      perKey.set(key, n + 1);
      total++;
      let closed = false;
      return () => {
        if (closed) return;
        closed = true;
        const left = (perKey.get(key) ?? 1) - 1;
        if (left === 0) perKey.delete(key);
        else perKey.set(key, left);
        total--;
        if (total === 0) {
          const w = waiters;
          waiters = [];
          for (const f of w) f();
        }
      };
    },
    get count() {
      return total;
    },
    idle() {
      if (total === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
