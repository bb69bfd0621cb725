import { SaferouteError } from '../errors.js';
import type { Stage, UnmetRequirement } from '../decision/decision.js';
import type { BlockInfo, PublicDecision } from './saferoute-info.js';

/**
 * A guarded call was refused by the policy. At the input stage no model was called. `userMessage`
 * is for the end user; `message` is for logs.
 */
export class ContentBlockedError extends SaferouteError {
  readonly stage: Stage;
  readonly reason: string;
  readonly userMessage: string;
  readonly decisionId: string;
  readonly unmet: UnmetRequirement[];
  /** The decision that blocked, without evidence terms (see `PublicDecision`). */
  readonly decision: PublicDecision | undefined;
  readonly info: BlockInfo;

  constructor(info: BlockInfo, decision?: PublicDecision, options?: { cause?: unknown }) {
    super('content_blocked', `the ${info.stage} was blocked by the policy (reason \`${info.reason}\`, decision ${info.decisionId})`, options);
    this.stage = info.stage;
    this.reason = info.reason;
    this.userMessage = info.message;
    this.decisionId = info.decisionId;
    this.unmet = info.unmet;
    this.decision = decision;
    this.info = info;
  }
}
