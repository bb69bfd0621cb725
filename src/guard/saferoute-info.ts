import type { Category } from '../taxonomy/categories.js';
import type { Evidence } from '../classifiers/classifier.js';
import type { Decision, Stage, UnmetRequirement } from '../decision/decision.js';

/**
 * A decision as the caller sees it: evidence keeps its category and span but not `match`, which
 * can be the very term that was blocked; `facts` (what `replay` needs: the scores again, request
 * attributes, the subject summary) only when asked for. The audit trail keeps the full decision.
 */
export type PublicDecision = Omit<Decision, 'evidence' | 'facts'> & { evidence: Omit<Evidence, 'match'>[]; facts?: Decision['facts'] };

export interface PublicDecisionOptions {
  /** Keep `facts` (the decision API's `explain`); a guarded completion leaves them to the audit trail. */
  facts?: boolean;
}

export function publicDecision(decision: Decision, options: PublicDecisionOptions = {}): PublicDecision {
  // Copied key by key in the decision's order (as `{ facts, evidence, ...rest }` would): on Node 20
  // the rest pattern and a literal opening with its spread cost about 3 µs a decision, twice a request.
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(decision)) if (key !== 'facts' && key !== 'evidence') out[key] = decision[key as keyof Decision];
  out.evidence = decision.evidence.map(({ match: _match, ...kept }) => kept);
  if (options.facts === true && decision.facts !== undefined) out.facts = decision.facts;
  return out as PublicDecision;
}

/** Why a guarded call was refused, in a form an app can show and act on. */
export interface BlockInfo {
  code: 'content_blocked';
  stage: Stage;
  /** The policy's reason code (`sexual_minors`, `unmet_requirements`, `classifier_error`, `audit_failed`, …). */
  reason: string;
  /** A user-presentable message. */
  message: string;
  decisionId: string;
  /** What the subject must do first (verify age, give consent), for `unmet_requirements`. */
  unmet: UnmetRequirement[];
}

/** How a streamed answer was checked. */
export interface StreamingInfo {
  mode: 'hold-back' | 'progressive';
  holdBackChars: number;
  checkEveryChars: number;
  /** Checks run over the stream. */
  checks: number;
  /** Characters released to the caller. */
  releasedChars: number;
  /**
   * `progressive` only: text was released before the check covering it had passed; on a block,
   * `releasedChars` of it reached the caller.
   */
  releasedBeforeCheck: boolean;
}

/** The `saferoute` field of a guarded completion (and of the last chunk of a guarded stream). */
export interface SaferouteInfo {
  inputDecisionId: string;
  outputDecisionId?: string;
  /** The target that served the request, when a model was called. */
  target?: string;
  model?: string;
  /** Content warnings of both stages, to show the user. */
  warnings: string[];
  blocked?: BlockInfo;
  /** Categories redacted from the answer. */
  redacted?: Category[];
  streaming?: StreamingInfo;
  decisions: { input: PublicDecision; output?: PublicDecision };
}
