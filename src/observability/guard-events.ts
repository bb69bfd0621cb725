import type { Decision } from '../decision/decision.js';

/** One decision, as the guard made it: what `onDecision` receives. */
export interface DecisionEvent {
  decision: Decision;
  tenant?: string;
  app?: string;
  /** The target that served the answer (output stage). */
  servedTarget?: string;
}

/** One call to a model target, streamed or not, until its answer (or its failure) was complete. */
export interface ProviderCallEvent {
  target: string;
  provider: string;
  streaming: boolean;
  outcome: 'ok' | 'error' | 'aborted';
  seconds: number;
}

/** One durable audit append (a decision record). */
export interface AuditAppendEvent {
  ok: boolean;
  seconds: number;
}

/** One classification, by classifier. */
export interface ClassifierCallEvent {
  classifier: string;
  stage: 'input' | 'output';
  status: 'ok' | 'failed';
  /** The failure code, when it failed. */
  code?: string;
  seconds: number;
}

/** What the stream checker did: a release of checked text, or the block that ended a stream. */
export type StreamEvent =
  | { type: 'release'; chars: number; target: string }
  | { type: 'block'; target: string; releasedChars: number };

/**
 * Receives what the guard does, for metrics and logs. Every method is optional, called
 * synchronously and never awaited: an observer can neither slow nor fail a request (what it
 * throws is counted and reported, see `notifyObservers`).
 */
export interface GuardObserver {
  decision?(event: DecisionEvent): void;
  providerCall?(event: ProviderCallEvent): void;
  auditAppend?(event: AuditAppendEvent): void;
  classifierCall?(event: ClassifierCallEvent): void;
  stream?(event: StreamEvent): void;
  /** An observer (or `onDecision`) threw; `where` names the hook. */
  observerError?(where: string, error: unknown): void;
}
