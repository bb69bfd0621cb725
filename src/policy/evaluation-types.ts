import type { AssuranceLevel, AgeMethod, ConsentState, JurisdictionSource } from '../subjects/subject-context.js';

/**
 * What evaluating a policy yields, beyond the verdict itself: stages and outcomes, unmet
 * requirements, the subject evidence the decision rests on, and the trace of every rule. These
 * belong to the policy engine; `decision/` re-exports them with the `Decision` that carries them.
 */

export type Stage = 'input' | 'output';
export type Outcome = 'route' | 'block';

export const UNMET_CODES = [
  'age_verification_required',
  'age_verification_invalid',
  'age_below_minimum',
  'age_assurance_insufficient',
  'age_method_not_accepted',
  'age_verification_expired',
  'consent_required',
  'consent_withdrawn',
  'consent_expired',
  'consent_outdated',
  'jurisdiction_restricted',
] as const;
export type UnmetCode = (typeof UNMET_CODES)[number];

export interface UnmetRequirement {
  code: UnmetCode;
  target: string;
  /** What was required and what was found, in words an operator can act on. */
  detail: string;
  /** The consent scope concerned, for consent codes. */
  scope?: string;
}

/** Evidence of age and consent used by the decision, for the audit trail (never raw data). */
export interface SubjectEvidence {
  /**
   * The jurisdiction row that applied (`row`: the table key, or `strictest` when every row was
   * combined) and, when the subject's jurisdiction was given but could not be used, why
   * (`malformed`, `unknown` to ISO 3166) and what applied instead.
   */
  jurisdiction: {
    code: string;
    row: string;
    source: JurisdictionSource;
    unresolved?: { reason: 'malformed' | 'unknown'; applied: 'strictest' | 'default-row'; rows: string[]; from?: string };
  };
  age?: { over: number; method: AgeMethod; level: AssuranceLevel; verifiedAt: string; issuer?: string; attestationId?: string };
  consents: { scope: string; version: string; state: ConsentState | 'none'; at?: string; recordId?: string }[];
}

export interface RuleTrace {
  rule: string;
  matched: boolean;
  /** Why it matched or not: each condition with the value it saw. */
  conditions: ConditionTrace[];
  /** Set when the rule is not evaluated at this stage. */
  skipped?: 'stage';
}

export interface ConditionTrace {
  /** A JSON pointer into the rule (`/when/all/0`). */
  path: string;
  /** The condition in words, e.g. ``score `sexual` >= 0.8``. */
  condition: string;
  /** What was observed: a score, an attribute value, `unknown`. */
  observed: string;
  result: boolean;
}
