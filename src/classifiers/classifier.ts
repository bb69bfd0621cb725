import type { Category, Scores } from '../taxonomy/categories.js';

/** What a classifier looks at. `text` is already extracted from the request by the caller. */
export interface ClassifierInput {
  text: string;
  stage: 'input' | 'output';
  context?: {
    /** For output classification, the prompt that produced the text (Llama Guard needs both). */
    prompt?: string;
    /**
     * Text that came before `text` and was checked already: the earlier windows of a streamed
     * answer. Scores and evidence are for `text`; a classifier may read `preceding` for what spans
     * windows (the embedded lexicon counts a child's age stated there with sexual content in
     * `text`). Classifiers that ignore it stay correct, only less aware of what came before.
     */
    preceding?: string;
  };
}

/** A span of the original text that supports a score, with what it matched. */
export interface Evidence {
  category: Category;
  /** UTF-16 offsets into the original (not normalised) text, end exclusive. */
  start: number;
  end: number;
  /** The lexicon term, PII type or vendor code that matched. */
  match: string;
  /** Which classifier produced it. */
  source: string;
  /** For blocklists: the id of the policy blocklist. */
  list?: string;
}

/**
 * Why a classification failed. A closed list, so the policy's fail-closed handling, metrics and
 * audit reports can rely on it.
 */
export type ClassifierErrorCode =
  /** The classifier did not answer within its deadline. */
  | 'timeout'
  /** The caller cancelled the call (its request went away). */
  | 'aborted'
  /** The vendor throttled the call (HTTP 429) and retries ran out. */
  | 'rate_limited'
  /** The vendor or the server answered an error (5xx, connection refused, closed early). */
  | 'upstream_error'
  /** The answer arrived but could not be read (not JSON, wrong shape, unknown labels). */
  | 'bad_response'
  /** The vendor refused the credentials. */
  | 'auth'
  /** The classifier is misconfigured (no key, no model). */
  | 'config'
  /** The text cannot be classified (not a string). */
  | 'input_invalid'
  /** A classifier broke its contract and threw; caught and reported as a failure. */
  | 'classifier_threw'
  /** The policy names a classifier nobody provides. */
  | 'classifier_unknown'
  /** A bug inside an embedded classifier. */
  | 'internal_error'
  /** A policy test's `classifierFails`: a failure simulated to test `onClassifierError`. */
  | 'simulated';

export interface ClassifierError {
  code: ClassifierErrorCode;
  message: string;
}

export type ClassifierOutcome =
  | {
      status: 'ok';
      scores: Scores;
      evidence?: Evidence[];
      latencyMs: number;
      /** Categories whose score is a verdict (0 or 1) rather than a probability, e.g. Llama Guard. */
      verdictOnly?: Category[];
      /** For cascades: which classifier decided each category. */
      decidedBy?: Partial<Record<Category, string>>;
    }
  | { status: 'failed'; error: ClassifierError; latencyMs: number };

/**
 * A classifier never throws from `classify`: expected failures (timeouts, upstream errors,
 * garbage answers) come back as `{ status: 'failed' }` so the policy's fail-closed rule applies.
 */
export interface Classifier {
  readonly id: string;
  readonly version: string;
  /** The categories this classifier scores; a failure makes exactly these unknown. */
  readonly categories: readonly Category[];
  classify(input: ClassifierInput, options?: { signal?: AbortSignal }): Promise<ClassifierOutcome>;
}
