import { performance } from 'node:perf_hooks';
import { SaferouteError } from '../../errors.js';
import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierErrorCode, ClassifierOutcome, Evidence } from '../classifier.js';
import { failedOutcome } from '../failed-outcome.js';
import { safeClassify } from '../safe-classify.js';

/** Scores in [low, high] (inclusive) are uncertain: the cascade asks the next classifier. */
export interface UncertainBand {
  low: number;
  high: number;
}

export interface CascadeOptions {
  /**
   * One band for every category, or bands per category with an optional default. A category
   * without a band never escalates.
   */
  uncertain: UncertainBand | { default?: UncertainBand; categories?: Partial<Record<Category, UncertainBand>> };
  /** Default `cascade(a>b>…)`. */
  id?: string;
}

/**
 * Runs the cheap classifier first and escalates, category by category, only what it is unsure
 * of: for each category whose score lies in its uncertain band, the next classifier that covers
 * it is asked, and its score replaces the earlier one (`decidedBy` names who decided each
 * category). A score still in the band after the last classifier stays as it is.
 *
 * Failures never loosen anything. If the first classifier fails, the cascade fails with its
 * error. If an escalation fails, the whole cascade fails (with the escalation's code and a
 * message naming the classifier and the uncertain categories): the uncertain categories have
 * no trustworthy score, and returning the cheap one's would let a failure pass as a decision.
 * The policy's `onClassifierError` then applies to every category of the cascade, as for any
 * failed classifier, so the outcome is at least as strict as with a working escalation.
 *
 * `categories` are the first classifier's: later ones only refine them.
 */
export function createCascade(classifiers: readonly Classifier[], options: CascadeOptions): Classifier {
  if (classifiers.length < 2) {
    throw new SaferouteError('config_invalid', `a cascade needs at least two classifiers, got ${classifiers.length}`);
  }
  const bandOf = compileBands(options.uncertain);
  const first = classifiers[0] as Classifier;
  const id = options.id ?? `cascade(${classifiers.map((c) => c.id).join('>')})`;
  // The bands change results, so they are part of the version (and so of any cache key).
  const version = `${classifiers.map((c) => c.version).join('>')}|${describeBands(options.uncertain)}`;

  return {
    id,
    version,
    categories: first.categories,
    async classify(input: ClassifierInput, callOptions?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const started = performance.now();
      const signal = callOptions?.signal;
      const failed = (code: ClassifierErrorCode, message: string): ClassifierOutcome => failedOutcome(code, message, started);
      if (signal?.aborted) return failed('aborted', 'the call was aborted before it started');

      const head = await safeClassify(first, input, signal);
      if (head.status === 'failed') return failed(head.error.code, `\`${first.id}\`: ${head.error.message}`);

      const scores: Scores = { ...head.scores };
      const decidedBy: Partial<Record<Category, string>> = {};
      const evidenceBy = new Map<Category, Evidence[]>();
      const verdictOnly = new Set<Category>(head.verdictOnly ?? []);
      for (const e of head.evidence ?? []) pushTo(evidenceBy, e.category, e);
      const pending = new Set<Category>();
      for (const [category, score] of Object.entries(scores) as [Category, number][]) {
        decidedBy[category] = first.id;
        if (isUncertain(bandOf(category), score)) pending.add(category);
      }

      for (const next of classifiers.slice(1)) {
        if (pending.size === 0) break;
        const ask = next.categories.filter((c) => pending.has(c));
        if (ask.length === 0) continue;
        const outcome = await safeClassify(next, input, signal);
        if (outcome.status === 'failed') {
          if (signal?.aborted) return failed('aborted', 'the call was aborted');
          return failed(
            outcome.error.code,
            `escalation to \`${next.id}\` for uncertain ${ask.map((c) => `\`${c}\``).join(', ')} failed: ${outcome.error.message}`,
          );
        }
        for (const category of ask) {
          const score = outcome.scores[category];
          if (score == null) continue;
          scores[category] = score;
          decidedBy[category] = next.id;
          evidenceBy.set(category, (outcome.evidence ?? []).filter((e) => e.category === category));
          if (outcome.verdictOnly?.includes(category)) verdictOnly.add(category);
          else verdictOnly.delete(category);
          if (!isUncertain(bandOf(category), score)) pending.delete(category);
        }
      }

      const evidence = [...evidenceBy.values()].flat();
      const result: ClassifierOutcome = { status: 'ok', scores, decidedBy, latencyMs: 0 };
      if (evidence.length > 0) result.evidence = evidence;
      if (verdictOnly.size > 0) result.verdictOnly = [...verdictOnly];
      result.latencyMs = performance.now() - started;
      return result;
    },
  };
}

function isUncertain(band: UncertainBand | undefined, score: number): boolean {
  return band != null && score >= band.low && score <= band.high;
}

function compileBands(uncertain: CascadeOptions['uncertain']): (category: Category) => UncertainBand | undefined {
  if ('low' in uncertain) {
    checkBand(uncertain, 'uncertain');
    return () => uncertain;
  }
  if (uncertain.default) checkBand(uncertain.default, 'uncertain.default');
  for (const [category, band] of Object.entries(uncertain.categories ?? {})) {
    if (band) checkBand(band, `uncertain.categories.${category}`);
  }
  return (category) => uncertain.categories?.[category] ?? uncertain.default;
}

function checkBand(band: UncertainBand, where: string): void {
  const ok =
    typeof band.low === 'number' &&
    typeof band.high === 'number' &&
    band.low >= 0 &&
    band.high <= 1 &&
    band.low <= band.high;
  if (!ok) {
    throw new SaferouteError(
      'config_invalid',
      `\`${where}\` must satisfy 0 <= low <= high <= 1, got \`${JSON.stringify(band)}\``,
    );
  }
}

function describeBands(uncertain: CascadeOptions['uncertain']): string {
  if ('low' in uncertain) return `${uncertain.low}-${uncertain.high}`;
  const parts: string[] = [];
  if (uncertain.default) parts.push(`*:${uncertain.default.low}-${uncertain.default.high}`);
  for (const [category, band] of Object.entries(uncertain.categories ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (band) parts.push(`${category}:${band.low}-${band.high}`);
  }
  return parts.join(',');
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
