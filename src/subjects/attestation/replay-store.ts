import { LRUCache } from 'lru-cache';

/**
 * Remembers single-use attestations until they expire. `markUsed` must be atomic: of two
 * concurrent calls with one key, exactly one gets `true`. It throws when it cannot tell (store down,
 * memory full); the verifier then refuses the token.
 */
export interface ReplayStore {
  /**
   * `true` the first time a key is seen, `false` for a replay. The key is kept at least `retainMs`
   * (the token's remaining lifetime plus clock skew), measured on the store's own clock.
   */
  markUsed(key: string, retainMs: number): Promise<boolean>;
  close?(): Promise<void>;
}

export interface MemoryReplayStoreOptions {
  /** Most single-use tokens remembered at once (default 100,000). */
  max?: number;
  /** Monotonic milliseconds (default `performance.now`); for tests. */
  now?: () => number;
}

/**
 * In-process replay memory: each key is kept until its token expires. When full of unexpired keys
 * it refuses new ones rather than evicting one (eviction would let that token be replayed). One
 * process only; several gateway instances need the PostgreSQL store.
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const max = options.max ?? 100_000;
  const cache = new LRUCache<string, true>({ max, ttlAutopurge: false, ttlResolution: 0, ...(options.now != null ? { perf: { now: options.now } } : {}) });
  return {
    async markUsed(key, retainMs) {
      if (cache.has(key)) return false;
      if (cache.size >= max) {
        cache.purgeStale();
        if (cache.size >= max) throw new Error(`replay store is full (${max} unexpired single-use tokens)`);
      }
      cache.set(key, true, { ttl: Math.max(1, Math.ceil(retainMs)) });
      return true;
    },
  };
}
