import { performance } from 'node:perf_hooks';
import type { Category, Scores } from '../taxonomy/categories.js';
import { isCategory } from '../taxonomy/categories.js';
import type { Classifier, Evidence } from '../classifiers/classifier.js';
import { InputError } from '../errors.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { buildDecisionFacts } from './decision-facts.js';
import { decideOnBasis } from './decide-on-basis.js';
import { policyReads } from './policy-reads.js';
import type { Decision } from './decision.js';
import type { DecisionInput } from './decision-input.js';
import { safeClassify } from '../classifiers/safe-classify.js';

export interface DecideOptions {
  /** Classifiers to run on `text` (all of them, in parallel). */
  classifiers?: readonly Classifier[];
  /** Matches the policy's blocklists; built from the policy when absent (see `decide`). */
  blocklist?: Classifier;
  /** Explain every rule in `decision.trace`. */
  trace?: boolean;
  signal?: AbortSignal;
}

/**
 * Classifies (when text is given), evaluates the policy and returns one `Decision`. It never calls
 * a model. Classifier failures are values: they are listed in the decision and, per the policy's
 * `onClassifierError`, either block or raise the failed categories to the strictest score.
 */
export async function decide(input: DecisionInput, policy: EvaluablePolicy, options: DecideOptions = {}): Promise<Decision> {
  const started = performance.now();
  const stage = input.stage ?? 'input';
  const now = decisionTime(input.now);

  const scores: Scores = {};
  const evidence: Evidence[] = [];
  const classifierErrors: Decision['classifierErrors'] = [];
  const verdictOnly = new Set<Category>();
  const failedCategories = new Set<Category>();
  let blocklistFailed = false;

  if (input.text !== undefined) {
    if (typeof input.text !== 'string') throw new InputError('`text` must be a string');
    const classifiers = [...(options.classifiers ?? []), ...(options.blocklist ? [options.blocklist] : [])];
    const context = {
      ...(input.prompt != null ? { prompt: input.prompt } : {}),
      ...(stage === 'output' && typeof input.preceding === 'string' ? { preceding: input.preceding } : {}),
    };
    const classifierInput = { text: input.text, stage, ...(Object.keys(context).length > 0 ? { context } : {}) };
    const outcomes = await Promise.all(
      classifiers.map((c) => safeClassify(c, classifierInput, options.signal)),
    );
    outcomes.forEach((outcome, i) => {
      const c = classifiers[i] as Classifier;
      if (outcome.status === 'ok') {
        mergeMax(scores, outcome.scores);
        if (outcome.evidence) evidence.push(...outcome.evidence);
        for (const v of outcome.verdictOnly ?? []) verdictOnly.add(v);
      } else {
        if (c === options.blocklist) blocklistFailed = true;
        classifierErrors.push({ classifier: c.id, code: outcome.error.code, message: outcome.error.message });
        for (const cat of c.categories) failedCategories.add(cat);
      }
    });
  }
  if (input.scores) mergeMax(scores, validateScores(input.scores));

  const blocklistHits = new Set<string>();
  for (const e of evidence) if (e.list != null) blocklistHits.add(e.list);

  const failed = classifierErrors.length > 0 ? { categories: failedCategories, blocklist: blocklistFailed } : undefined;
  const facts = buildDecisionFacts(policy, {
    stage,
    scores,
    blocklistHits,
    failed,
    request: input.request,
    subject: input.subject,
    servedTarget: input.servedTarget,
    now,
  });
  const decision = decideOnBasis(
    { stage, decidedAt: now, facts, ...(input.subject?.id != null && policyReads(policy).subjectId ? { subjectId: input.subject.id } : {}) },
    policy,
    { evidence, classifierErrors, verdictOnly: [...verdictOnly], ...(options.trace ? { trace: true } : {}) },
  );
  decision.latencyMs = performance.now() - started;
  return decision;
}

function decisionTime(now: DecisionInput['now']): Date {
  if (now == null) return new Date();
  const d = now instanceof Date ? now : new Date(now);
  if (!Number.isFinite(d.getTime())) throw new InputError(`\`now\` is not a valid time: \`${String(now)}\``);
  return d;
}

function mergeMax(into: Scores, from: Scores): void {
  for (const key in from) {
    const cat = key as Category;
    const v = from[cat];
    if (v == null) continue;
    const prev = into[cat];
    if (prev == null || v > prev) into[cat] = v;
  }
}

function validateScores(scores: Scores): Scores {
  for (const [k, v] of Object.entries(scores)) {
    if (!isCategory(k)) throw new InputError(`unknown category \`${k}\` in scores`);
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new InputError(`score of \`${k}\` must be a number in [0, 1], got \`${String(v)}\``);
    }
  }
  return scores;
}
