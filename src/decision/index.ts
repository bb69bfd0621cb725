export { decide } from './decide.js';
export { decideOnBasis, evaluateBasis } from './decide-on-basis.js';
export type { DecisionBasis, BasisEvaluation, DecideOnBasisOptions } from './decide-on-basis.js';
export { buildDecisionFacts } from './decision-facts.js';
export type { DecisionFacts, RequestFacts, SubjectFacts, AgeFacts, ConsentFact } from './decision-facts.js';
export type { DecideOptions } from './decide.js';
export type { DecisionInput } from './decision-input.js';
export { UNMET_CODES } from './decision.js';
export type {
  Decision,
  Stage,
  Outcome,
  UnmetCode,
  UnmetRequirement,
  SubjectEvidence,
  RuleTrace,
  ConditionTrace,
} from './decision.js';
export { createPolicyRuntime } from './policy-runtime.js';
export type { PolicyRuntime, ClassifierResolver } from './policy-runtime.js';
export { parseSubjectInput, SubjectInputSchema } from './subject-input.js';
export type { SubjectParseResult } from './subject-input.js';
