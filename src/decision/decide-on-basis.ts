import type { Category, Scores } from '../taxonomy/categories.js';
import type { Evidence } from '../classifiers/classifier.js';
import { evaluatePolicy, type EvaluablePolicy, type EvaluateOptions, type Evaluation } from '../policy/evaluate-policy.js';
import type { Facts } from '../policy/evaluate-condition.js';
import { uuidv7 } from '../util/uuidv7.js';
import type { Decision, Stage } from './decision.js';
import { requestFromFacts, subjectFromFacts, type DecisionFacts } from './decision-facts.js';

const NO_HITS: ReadonlySet<string> = new Set();

/** What a decision is computed from once the text is classified: the same for a fresh decision and a replay. */
export interface DecisionBasis {
  stage: Stage;
  /** The decision time (consent and expiry are judged as of it). */
  decidedAt: Date;
  facts: DecisionFacts;
  /** In memory only, for a policy that tests `subject: "id"`: the audit trail never records it. */
  subjectId?: string;
}

export interface BasisEvaluation extends Evaluation {
  /** The scores the rules saw: the facts' scores, failed categories raised to 1 under `onClassifierError: strictest`. */
  scores: Scores;
}

/**
 * Evaluates a policy on a basis: the facts' scores and blocklist hits (made strictest for failed
 * classifiers when the policy says so), subject and request rebuilt from the facts.
 */
export function evaluateBasis(policy: EvaluablePolicy, basis: DecisionBasis, trace = false): BasisEvaluation {
  const doc = policy.document;
  const { facts, stage } = basis;
  const failed = facts.failed;
  // Scores are read, never written, by the evaluation: the facts' own object serves unless raised.
  let scores: Scores = facts.scores;
  let blocklistHits: ReadonlySet<string> = facts.blocklistHits.length === 0 ? NO_HITS : new Set(facts.blocklistHits);
  if (failed && doc.defaults.onClassifierError === 'strictest') {
    scores = { ...scores };
    for (const cat of failed.categories) scores[cat] = 1;
    // The strictest reading of a blocklist matcher that failed: every list matched.
    if (failed.blocklist) blocklistHits = new Set([...blocklistHits, ...doc.blocklists.map((l) => l.id)]);
  }
  const servedTarget = stage === 'output' ? facts.request.servedTarget : undefined;
  // Built by assignment (no conditional spreads): this is the per-record path of a replay.
  const evalFacts: Facts = { scores, blocklistHits, subject: subjectFromFacts(facts.subject, basis.subjectId), request: requestFromFacts(facts.request) };
  const options: EvaluateOptions = { stage, facts: evalFacts, classifierFailed: failed != null, now: basis.decidedAt.getTime() };
  if (servedTarget != null) {
    evalFacts.servedTarget = servedTarget;
    options.servedTarget = servedTarget;
  }
  if (trace) options.trace = true;
  const evaluation = evaluatePolicy(policy, options) as BasisEvaluation;
  evaluation.scores = scores;
  return evaluation;
}

export interface DecideOnBasisOptions {
  trace?: boolean;
  /** What the classifiers found besides scores (a fresh decision; a replay has none). */
  evidence?: Evidence[];
  classifierErrors?: Decision['classifierErrors'];
  verdictOnly?: readonly Category[];
  decisionId?: string;
}

/** One `Decision` from a basis: what `decide()` returns after classifying, and what `replay` computes from a record's facts. */
export function decideOnBasis(basis: DecisionBasis, policy: EvaluablePolicy, options: DecideOnBasisOptions = {}): Decision {
  const doc = policy.document;
  const { stage } = basis;
  const evaluation = evaluateBasis(policy, basis, options.trace ?? false);
  const mode = doc.mode;
  const served = basis.facts.request.servedTarget;
  const effective: Decision['effective'] =
    mode === 'enforce'
      ? { outcome: evaluation.outcome, ...(evaluation.target != null ? { target: evaluation.target } : {}) }
      : { outcome: 'route', target: stage === 'input' ? doc.defaults.route : (served ?? doc.defaults.route) };
  const decision: Decision = {
    decisionId: options.decisionId ?? uuidv7(basis.decidedAt.getTime()),
    stage,
    outcome: evaluation.outcome,
    effective,
    determiningRules: evaluation.determiningRules,
    matchedRules: evaluation.matchedRules,
    unmet: evaluation.unmet,
    warnings: evaluation.warnings,
    scores: evaluation.scores,
    evidence: options.evidence ?? [],
    classifierErrors: options.classifierErrors ?? [],
    policy: { id: policy.id, revision: policy.revision, sha256: policy.sha256 },
    mode,
    auditText: doc.audit.text,
    decidedAt: basis.decidedAt.toISOString(),
    latencyMs: 0,
    facts: basis.facts,
  };
  if (evaluation.target != null) decision.target = evaluation.target;
  if (evaluation.reason != null) decision.reason = evaluation.reason;
  if (evaluation.message != null) decision.message = evaluation.message;
  if (evaluation.redact) decision.redact = evaluation.redact;
  if (evaluation.subject) decision.subject = evaluation.subject;
  if (options.verdictOnly && options.verdictOnly.length > 0) decision.verdictOnly = [...options.verdictOnly].sort();
  if (evaluation.trace) decision.trace = evaluation.trace;
  return decision;
}
