import type { Category } from '../taxonomy/categories.js';
import type { ConditionTrace, Outcome, RuleTrace, Stage, SubjectEvidence, UnmetRequirement } from './evaluation-types.js';
import type { Requirements, Rule } from './policy-schema.js';
import type { ResolvedPolicy, ResolvedRule } from './policy.js';
import { evaluateCondition, type Facts } from './evaluate-condition.js';
import { checkRequirements, lookupJurisdiction, mergeRequirements, subjectEvidence } from './requirements.js';

/** What evaluation needs of a loaded policy. */
export interface EvaluablePolicy {
  readonly id: string;
  readonly revision: string;
  readonly sha256: string;
  /** Resolved: every default filled in (build it with `loadPolicy` or `validatePolicyObject`). */
  readonly document: ResolvedPolicy;
  /** Set when the policy was loaded under `requireSignedPolicies`: who signed it (decisions carry it). */
  readonly signedBy?: { readonly signer: string; readonly keyId: string; readonly signedAt: string };
}

/** Messages used when the policy does not define its own under the same id. */
export const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  blocked: 'This request cannot be processed under the content policy.',
  unmet_requirements:
    'This content is only available after age verification and consent. Please complete them and try again.',
  classifier_error: 'This request could not be checked safely right now. Please try again later.',
  output_blocked: 'The response was withheld because it did not meet the content policy.',
};

export interface Evaluation {
  outcome: Outcome;
  target?: string;
  reason?: string;
  message?: string;
  determiningRules: string[];
  matchedRules: string[];
  unmet: UnmetRequirement[];
  warnings: string[];
  redact?: Category[];
  subject?: SubjectEvidence;
  trace?: RuleTrace[];
}

export interface EvaluateOptions {
  stage: Stage;
  facts: Facts;
  /** Classifiers that failed for this decision. */
  classifierFailed: boolean;
  now: number;
  /** Output stage: the target that produced the text being checked. */
  servedTarget?: string;
  trace?: boolean;
}

/**
 * Combines the rules of a policy into one outcome, independently of their order:
 * 1. any matching `block` rule blocks (block overrides everything);
 * 2. otherwise the matching route with the highest precedence wins, and the requirements of the
 *    target, of every matching rule routing there, of the jurisdiction and of the age floor are
 *    merged strictest-wins;
 * 3. unmet requirements apply the target's `onUnmet` (block by default, or fall back);
 * 4. nothing matched → the default route;
 * 5. a classifier failure under `onClassifierError: block` blocks; under `strictest` the caller
 *    has already raised the failed categories to 1, so it can only make the outcome stricter.
 */
export function evaluatePolicy(policy: EvaluablePolicy, o: EvaluateOptions): Evaluation {
  const doc = policy.document;
  const matched: ResolvedRule[] = [];
  const trace: RuleTrace[] | undefined = o.trace ? [] : undefined;
  for (const rule of doc.rules) {
    const applies = rule.stage === 'both' || rule.stage === o.stage;
    if (!applies) {
      trace?.push({ rule: rule.id, matched: false, conditions: [], skipped: 'stage' });
      continue;
    }
    const conditions: ConditionTrace[] | undefined = trace ? [] : undefined;
    const hit = evaluateCondition(rule.when, o.facts, conditions);
    if (hit) matched.push(rule);
    if (trace && conditions) trace.push({ rule: rule.id, matched: hit, conditions });
  }

  const warnings = uniqueSorted(matched.flatMap((r) => r.warnings));
  const matchedRules = matched.map((r) => r.id).sort();
  // Results are built by assignment, not by spreading conditional objects: this runs for every
  // decision and every replayed record, and V8 turns spread literals into slow generic copies.
  const result = (outcome: Outcome, determiningRules: string[], unmet: UnmetRequirement[]): Evaluation => {
    const r: Evaluation = { matchedRules, warnings, outcome, determiningRules, unmet };
    if (trace) r.trace = trace;
    return r;
  };
  const messages = doc.messages;
  const messageFor = (id: string | undefined, fallback: string): string =>
    (id != null ? (messages[id] ?? DEFAULT_MESSAGES[id]) : undefined) ?? messages[fallback] ?? DEFAULT_MESSAGES[fallback] ?? fallback;

  const blocks = matched.filter((r) => r.effect.action === 'block').sort(byId);
  const classifierBlock = o.classifierFailed && doc.defaults.onClassifierError === 'block';
  if (blocks.length > 0 || classifierBlock) {
    const first = blocks[0];
    const effect = first?.effect.action === 'block' ? first.effect : undefined;
    const determiningRules = blocks.map((r) => r.id);
    if (classifierBlock) determiningRules.push('defaults.onClassifierError');
    const r = result('block', determiningRules, []);
    if (o.stage === 'output' && o.servedTarget != null) r.target = o.servedTarget;
    r.reason = effect ? effect.reason : 'classifier_error';
    r.message = effect ? messageFor(effect.message, o.stage === 'output' ? 'output_blocked' : 'blocked') : messageFor(undefined, 'classifier_error');
    return r;
  }

  // Not blocked: a matching warn rule's support message goes with the answer (first by rule id).
  const supportRule = matched.filter((r) => r.effect.action === 'warn' && r.effect.message != null).sort(byId)[0];
  const supportMessage = supportRule?.effect.action === 'warn' && supportRule.effect.message != null ? messageFor(supportRule.effect.message, 'blocked') : undefined;

  if (o.stage === 'output') {
    const redactRules = matched.filter((r) => r.effect.action === 'redact');
    const redact = uniqueSorted(redactRules.flatMap((r) => (r.effect.action === 'redact' ? r.effect.categories : [])));
    const r = result('route', redactRules.map((rule) => rule.id).sort(), []);
    if (o.servedTarget != null) r.target = o.servedTarget;
    if (redact.length > 0) r.redact = redact;
    if (supportMessage != null) r.message = supportMessage;
    return r;
  }

  const routes = matched.filter((r) => r.effect.action === 'route');
  const jurisdiction = lookupJurisdiction(doc.jurisdictions, o.facts.subject?.jurisdiction, {
    unknown: doc.defaults.unknownJurisdiction ?? 'strictest',
    rejected: o.facts.subject?.jurisdictionRejected,
  });
  let chosen: string;
  let determining: string[];
  let ruleRequirements: (Requirements | undefined)[] = [];
  if (routes.length > 0) {
    const top = Math.max(...routes.map((r) => (r.effect.action === 'route' ? r.effect.precedence : -Infinity)));
    // Validated policies never have two targets at the same precedence; should one slip through,
    // the alphabetically first target is taken so the result still does not depend on rule order.
    const candidates = uniqueSorted(
      routes.flatMap((r) => (r.effect.action === 'route' && r.effect.precedence === top ? [r.effect.target] : [])),
    );
    chosen = candidates[0] as string;
    const toChosen = routes.filter((r) => r.effect.action === 'route' && r.effect.target === chosen);
    determining = toChosen.map((r) => r.id).sort();
    ruleRequirements = toChosen.map((r) => (r.effect.action === 'route' ? r.effect.requires : undefined));
  } else {
    chosen = doc.defaults.route;
    determining = [];
  }

  // Requirements, then the target's onUnmet; a fallback target is checked in turn.
  const allUnmet: UnmetRequirement[] = [];
  const consentScopes = new Set<string>();
  const visited = new Set<string>();
  let target = chosen;
  let extra = ruleRequirements;
  for (;;) {
    visited.add(target);
    const t = doc.targets[target];
    const req = mergeRequirements([t?.requirements, ...extra], jurisdiction.rule, doc.ageFloor);
    for (const c of req.consent) consentScopes.add(c.scope);
    const unmet = checkRequirements(target, req, o.facts.subject, jurisdiction, o.now);
    const needsSubject = req.age != null || req.consent.length > 0 || unmet.length > 0;
    if (unmet.length === 0) {
      const r = result('route', determining, allUnmet);
      r.target = target;
      if (supportMessage != null) r.message = supportMessage;
      if (needsSubject || allUnmet.length > 0) r.subject = subjectEvidence(o.facts.subject, jurisdiction, [...consentScopes], o.now);
      return r;
    }
    allUnmet.push(...unmet);
    const onUnmet = t?.onUnmet ?? { action: 'block' as const };
    if (onUnmet.action === 'fallback' && !visited.has(onUnmet.target)) {
      target = onUnmet.target;
      // Rules that matched and route to the fallback target bring their requirements along:
      // falling back must never skip a requirement that routing there directly would check.
      const fallbackTarget = target;
      extra = routes.flatMap((r) => (r.effect.action === 'route' && r.effect.target === fallbackTarget ? [r.effect.requires] : []));
      determining = [...determining, `targets.${chosen}.onUnmet`];
      continue;
    }
    const r = result('block', determining.length > 0 ? determining : ['defaults.route'], allUnmet);
    r.reason = 'unmet_requirements';
    r.message = messageFor(onUnmet.action === 'block' ? onUnmet.message : undefined, 'unmet_requirements');
    r.subject = subjectEvidence(o.facts.subject, jurisdiction, [...consentScopes], o.now);
    return r;
  }
}

function byId(a: Rule, b: Rule): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function uniqueSorted<T extends string>(values: T[]): T[] {
  return [...new Set(values)].sort();
}
