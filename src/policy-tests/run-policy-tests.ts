import type { Classifier } from '../classifiers/classifier.js';
import type { Category } from '../taxonomy/categories.js';
import type { Condition } from '../policy/policy-schema.js';
import type { Decision, UnmetCode } from '../decision/decision.js';
import { UNMET_CODES } from '../decision/decision.js';
import type { DecideOptions } from '../decision/decide.js';
import { decide } from '../decision/decide.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { PolicyTestCase, PolicyTestFile } from './policy-test-file.js';

export interface PolicyTestDiff {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface PolicyTestResult {
  name: string;
  passed: boolean;
  diffs: PolicyTestDiff[];
  decision: Decision;
  /**
   * For a case given as text: the score of each category the policy's rules test at the case's
   * stage (`null`: no classifier scored it), so a failure shows what the classifiers saw.
   */
  scores?: Partial<Record<Category, number | null>>;
}

export interface PolicyTestReport {
  results: PolicyTestResult[];
  passed: number;
  failed: number;
  coverage: {
    rules: { covered: string[]; uncovered: string[] };
    unmetCodes: { reachable: UnmetCode[]; covered: UnmetCode[]; uncovered: UnmetCode[] };
  };
}

/** A classifier standing in for one that failed, for cases that test `onClassifierError`. */
const FAILING: Classifier = {
  id: 'simulated-failure',
  version: '1',
  categories: [],
  classify: async () => ({ status: 'failed', error: { code: 'simulated', message: 'simulated classifier failure' }, latencyMs: 0 }),
};

export async function runPolicyTests(
  policy: EvaluablePolicy,
  file: PolicyTestFile,
  options: { classifiersFor?: (stage: 'input' | 'output') => Pick<DecideOptions, 'classifiers' | 'blocklist'> } = {},
): Promise<PolicyTestReport> {
  const results: PolicyTestResult[] = [];
  for (const c of file.cases) {
    const stage = c.stage ?? 'input';
    const subject = resolveSubject(c, file);
    const base = c.text !== undefined ? (options.classifiersFor?.(stage) ?? {}) : {};
    const classifiers = c.classifierFails ? [...(base.classifiers ?? []), FAILING] : base.classifiers;
    const decision = await decide(
      {
        stage,
        ...(c.text !== undefined || c.classifierFails ? { text: c.text ?? '' } : {}),
        ...(c.scores ? { scores: c.scores } : {}),
        ...(subject ? { subject } : {}),
        ...(c.request ? { request: c.request as NonNullable<Parameters<typeof decide>[0]['request']> } : {}),
        ...(c.servedTarget != null ? { servedTarget: c.servedTarget } : {}),
        now: c.now ?? file.now ?? new Date(),
      },
      policy,
      { ...base, ...(classifiers ? { classifiers } : {}), trace: true },
    );
    const diffs = compare(c.expect, decision);
    const result: PolicyTestResult = { name: c.name, passed: diffs.length === 0, diffs, decision };
    if (c.text !== undefined) result.scores = relevantScores(policy, stage, decision);
    results.push(result);
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed, coverage: coverage(policy, results) };
}

/** The categories the policy's rules test at `stage`, with the score the decision saw for each. */
function relevantScores(policy: EvaluablePolicy, stage: 'input' | 'output', decision: Decision): Partial<Record<Category, number | null>> {
  const categories = new Set<Category>();
  const visit = (c: Condition): void => {
    if ('score' in c) categories.add(c.score);
    else if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
  };
  for (const rule of policy.document.rules) if (rule.stage === 'both' || (rule.stage ?? 'input') === stage) visit(rule.when);
  const out: Partial<Record<Category, number | null>> = {};
  for (const c of [...categories].sort()) out[c] = decision.scores[c] ?? null;
  return out;
}

function resolveSubject(c: PolicyTestCase, file: PolicyTestFile): SubjectContext | undefined {
  if (c.subject === undefined) return undefined;
  if (typeof c.subject === 'string') {
    const named = file.subjects?.[c.subject];
    if (!named) throw new Error(`case \`${c.name}\` names subject \`${c.subject}\`, which \`subjects\` does not define`);
    return named as SubjectContext;
  }
  return c.subject as SubjectContext;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function compare(expect: PolicyTestCase['expect'], d: Decision): PolicyTestDiff[] {
  const diffs: PolicyTestDiff[] = [];
  if (expect.outcome !== d.outcome) diffs.push({ field: 'outcome', expected: expect.outcome, actual: d.outcome });
  if (expect.target !== undefined && expect.target !== d.target) diffs.push({ field: 'target', expected: expect.target, actual: d.target ?? null });
  if (expect.reason !== undefined && expect.reason !== d.reason) diffs.push({ field: 'reason', expected: expect.reason, actual: d.reason ?? null });
  if (expect.message !== undefined && expect.message !== d.message) diffs.push({ field: 'message', expected: expect.message, actual: d.message ?? null });
  const sets: [keyof PolicyTestCase['expect'], string[]][] = [
    ['determiningRules', d.determiningRules],
    ['matchedRules', d.matchedRules],
    ['unmet', d.unmet.map((u) => u.code)],
    ['warnings', d.warnings],
    ['redact', d.redact ?? []],
  ];
  for (const [field, actual] of sets) {
    const expected = expect[field] as string[] | undefined;
    if (expected !== undefined && !sameSet(expected, actual)) diffs.push({ field, expected: [...expected].sort(), actual: [...new Set(actual)].sort() });
  }
  return diffs;
}

/** Unmet codes a policy can produce, judged from its targets' requirements and jurisdiction table. */
export function reachableUnmetCodes(policy: EvaluablePolicy): UnmetCode[] {
  const doc = policy.document;
  const targets = Object.values(doc.targets);
  const ruleReqs = doc.rules.flatMap((r) => (r.effect.action === 'route' && r.effect.requires ? [r.effect.requires] : []));
  const reqs = [...targets.map((t) => t.requirements), ...ruleReqs];
  const codes = new Set<UnmetCode>();
  if (reqs.some((r) => r?.age)) {
    for (const c of ['age_verification_required', 'age_verification_invalid', 'age_below_minimum', 'age_assurance_insufficient', 'age_verification_expired'] as const) codes.add(c);
    const jur = Object.values(doc.jurisdictions ?? {});
    if (reqs.some((r) => r?.age?.methods) || jur.some((j) => j.methods)) codes.add('age_method_not_accepted');
  }
  if (reqs.some((r) => r?.consent?.length)) {
    for (const c of ['consent_required', 'consent_withdrawn', 'consent_expired', 'consent_outdated'] as const) codes.add(c);
  }
  if (Object.values(doc.jurisdictions ?? {}).some((j) => j.deny?.length)) codes.add('jurisdiction_restricted');
  return UNMET_CODES.filter((c) => codes.has(c));
}

function coverage(policy: EvaluablePolicy, results: PolicyTestResult[]): PolicyTestReport['coverage'] {
  const hit = new Set<string>();
  const codes = new Set<string>();
  for (const r of results) {
    for (const id of r.decision.matchedRules) hit.add(id);
    for (const u of r.decision.unmet) codes.add(u.code);
  }
  const ruleIds = policy.document.rules.map((r) => r.id);
  const reachable = reachableUnmetCodes(policy);
  return {
    rules: { covered: ruleIds.filter((id) => hit.has(id)), uncovered: ruleIds.filter((id) => !hit.has(id)) },
    unmetCodes: { reachable, covered: reachable.filter((c) => codes.has(c)), uncovered: reachable.filter((c) => !codes.has(c)) },
  };
}
