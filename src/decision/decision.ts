import type { Category, Scores } from '../taxonomy/categories.js';
import type { Evidence } from '../classifiers/classifier.js';
import type { DecisionFacts } from './decision-facts.js';

export { UNMET_CODES } from '../policy/evaluation-types.js';
export type { Stage, Outcome, UnmetCode, UnmetRequirement, SubjectEvidence, RuleTrace, ConditionTrace } from '../policy/evaluation-types.js';
import type { Stage, Outcome, UnmetRequirement, SubjectEvidence, RuleTrace } from '../policy/evaluation-types.js';

export interface Decision {
  /** UUIDv7: sortable by time. */
  decisionId: string;
  stage: Stage;
  /** The policy's verdict. In `monitor` mode see `effective` for what is enforced. */
  outcome: Outcome;
  target?: string;
  /** What the caller must do: equals outcome/target in `enforce` mode; the default route in `monitor`. */
  effective: { outcome: Outcome; target?: string };
  /** For a block: the reason code (rule reason, `unmet_requirements`, `classifier_error`). */
  reason?: string;
  /**
   * A user-presentable message: why a request was blocked, or, for a request that is answered,
   * the support message of a matching `warn` rule (`effect.message`) that the app shows with it.
   */
  message?: string;
  determiningRules: string[];
  matchedRules: string[];
  unmet: UnmetRequirement[];
  warnings: string[];
  /** Output stage: categories whose evidence spans must be redacted before release. */
  redact?: Category[];
  scores: Scores;
  /** Categories whose score is a yes/no verdict rather than a probability (e.g. Llama Guard). */
  verdictOnly?: Category[];
  evidence: Evidence[];
  classifierErrors: { classifier: string; code: string; message?: string }[];
  subject?: SubjectEvidence;
  /** `signedBy`: who signed the policy, when it was loaded under `requireSignedPolicies`. */
  policy: { id: string; revision: string; sha256: string; signedBy?: { signer: string; keyId: string; signedAt: string } };
  mode: 'enforce' | 'monitor';
  /** What of the text the audit record keeps, as the policy says (`audit.text`). */
  auditText?: 'digest' | 'redacted' | 'full';
  /** ISO 8601 time the decision was made (the clock consent and expiry are judged against). */
  decidedAt: string;
  latencyMs: number;
  trace?: RuleTrace[];
  /**
   * Everything the policy read besides the text (request attributes, blocklist hits, age and
   * consent summary, jurisdiction, scores): recorded in the audit trail so `replay` can decide
   * again under another policy. Set by `decide()`; absent on decisions made before it existed.
   */
  facts?: DecisionFacts;
}
