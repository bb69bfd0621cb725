import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import { cacheKey, exactCacheKey } from './cache-key.js';

export interface CacheOptions {
  /** Most keys kept (default 10 000): one per text, two for a text normalisation changes. */
  max?: number;
  /** Lifetime of an entry (default 10 minutes); 0 keeps entries until evicted by size. */
  ttlMs?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Keys held: one per text, two for a text that normalisation changes (exact and normalised). */
  size: number;
}

export interface CachedClassifier extends Classifier {
  stats(): CacheStats;
  clear(): void;
}

type OkOutcome = Extract<ClassifierOutcome, { status: 'ok' }>;

interface Entry {
  outcome: OkOutcome;
  /** The exact text and prompt the outcome was computed for (confirms exact hits, guards evidence). */
  text: string;
  prompt: string | undefined;
  hasEvidence: boolean;
}

/**
 * Caches `ok` outcomes of a classifier under `cacheKey`: SHA-256 of the normalised text (NFKC,
 * trimmed, whitespace collapsed, case kept) + classifier id + version + stage (+ prompt).
 *
 * - A repeated text is found first by `exactCacheKey` (one hash, no normalising, confirmed by
 *   comparing the text), which keeps a hit to a few microseconds; only then by the normalised
 *   key, whose hit is remembered under the exact key too.
 * - Failures are never cached: a timeout must not stick.
 * - Outcomes with evidence are served only for the identical text: normalisation would shift
 *   their offsets, and a redaction at wrong offsets would leak.
 * - Same id, version and categories as the wrapped classifier, so decisions and audit records
 *   name the real one.
 */
export function withCache(classifier: Classifier, options: CacheOptions = {}): CachedClassifier {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const cache = new LRUCache<string, Entry>({
    max: Math.max(1, options.max ?? 10_000),
    ...(ttlMs > 0 ? { ttl: ttlMs } : {}),
  });
  let hits = 0;
  let misses = 0;
  const { id, version } = classifier;

  return {
    id,
    version,
    categories: classifier.categories,
    async classify(input: ClassifierInput, callOptions?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const started = performance.now();
      if (callOptions?.signal?.aborted) {
        return { status: 'failed', error: { code: 'aborted', message: 'the call was aborted before it started' }, latencyMs: 0 };
      }
      // Windows of a streamed answer with what preceded them almost never repeat: not worth a key.
      if (typeof input?.text !== 'string' || input.context?.preceding != null) return passThrough(classifier, input, callOptions, started);
      const prompt = input.context?.prompt;

      const exact = exactCacheKey(id, version, input);
      const direct = cache.get(exact);
      if (direct && direct.text === input.text && direct.prompt === prompt) {
        hits += 1;
        return served(direct, started);
      }
      const normalised = cacheKey(id, version, input);
      const equivalent = normalised === exact ? direct : cache.get(normalised);
      if (equivalent && (!equivalent.hasEvidence || (equivalent.text === input.text && equivalent.prompt === prompt))) {
        hits += 1;
        if (normalised !== exact) cache.set(exact, { ...equivalent, text: input.text, prompt });
        return served(equivalent, started);
      }

      misses += 1;
      const outcome = await passThrough(classifier, input, callOptions, started);
      if (outcome.status === 'ok') {
        const frozen = freezeOutcome(outcome);
        const entry: Entry = { outcome: frozen, text: input.text, prompt, hasEvidence: (frozen.evidence?.length ?? 0) > 0 };
        cache.set(normalised, entry);
        if (normalised !== exact) cache.set(exact, entry);
      }
      return outcome;
    },
    stats: () => ({ hits, misses, size: cache.size }),
    clear: () => {
      cache.clear();
      hits = 0;
      misses = 0;
    },
  };
}

/** A fresh scores object per hit: callers merge into and adjust scores; arrays stay shared, frozen. */
function served(entry: Entry, started: number): ClassifierOutcome {
  return { ...entry.outcome, scores: { ...entry.outcome.scores }, latencyMs: performance.now() - started };
}

async function passThrough(
  classifier: Classifier,
  input: ClassifierInput,
  callOptions: { signal?: AbortSignal } | undefined,
  started: number,
): Promise<ClassifierOutcome> {
  try {
    return await classifier.classify(input, callOptions);
  } catch (error) {
    return {
      status: 'failed',
      error: { code: 'classifier_threw', message: error instanceof Error ? error.message : String(error) },
      latencyMs: performance.now() - started,
    };
  }
}

/** A private copy whose shared parts are frozen, so no caller can alter another's result. */
function freezeOutcome(outcome: OkOutcome): OkOutcome {
  const copy: OkOutcome = { ...outcome, scores: { ...outcome.scores } };
  if (outcome.evidence) copy.evidence = Object.freeze(outcome.evidence.map((e) => Object.freeze({ ...e }))) as NonNullable<OkOutcome['evidence']>;
  if (outcome.verdictOnly) copy.verdictOnly = Object.freeze([...outcome.verdictOnly]) as NonNullable<OkOutcome['verdictOnly']>;
  if (outcome.decidedBy) copy.decidedBy = Object.freeze({ ...outcome.decidedBy });
  return copy;
}
