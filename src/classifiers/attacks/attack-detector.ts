/**
 * A rule-based detector of one attack family. Pure and synchronous: the same text always gives
 * the same finding, and nothing is learnt, so its figures on any data set are out of sample.
 */
export interface AttackDetector {
  /** Names the detector in evidence (`attack:<id>`) and in the embedded classifier's version. */
  readonly id: string;
  /** Bumped whenever what the detector fires on changes (caches and audit records key on it). */
  readonly version: string;
  detect(text: string): AttackFinding | undefined;
}

/** What a detector found: a `jailbreak` score and the span of the text that carried it. */
export interface AttackFinding {
  /** In [0, 1]; the embedded classifier raises `jailbreak` to it at the input stage. */
  score: number;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** A short description of what fired, for `--explain` and evidence (never more than the span). */
  match: string;
}
