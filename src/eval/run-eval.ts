import { stat } from 'node:fs/promises';
import { SaferouteError, InputError } from '../errors.js';
import type { Category } from '../taxonomy/categories.js';
import type { Classifier, ClassifierOutcome } from '../classifiers/classifier.js';
import { percentile } from './percentile.js';
import type { PolicyThreshold } from './policy-thresholds.js';
import {
  averagePrecision,
  bestF1,
  confusionAt,
  metricsFrom,
  prCurve,
  type PrPoint,
  type ThresholdOp,
} from './precision-recall.js';
import { readLabeledRows, type LabeledLine } from './read-labeled-rows.js';

export interface EvalWarning {
  file: string;
  line: number;
  message: string;
}

export interface RunEvalOptions {
  classifier: Classifier;
  /** `path` is read; `name` is how messages and the report show it (as the user typed it). */
  files: readonly { path: string; name: string }[];
  stage?: 'input' | 'output';
  /** Measure only these categories (default: every category the classifier scores). */
  categories?: readonly Category[];
  /** Per-category thresholds (from a policy); others use `defaultThreshold`. */
  thresholds?: ReadonlyMap<Category, PolicyThreshold>;
  /** Default 0.5, compared with `>=`. */
  defaultThreshold?: number;
  /** Stop after this many rows (over all files). */
  limit?: number;
  /** Stop at the first malformed line or label instead of warning and going on. */
  strict?: boolean;
  /** Calls in flight at once (default 8): lets remote classifiers batch and overlap. */
  concurrency?: number;
  onWarning?: (warning: EvalWarning) => void;
  onProgress?: (progress: { bytes: number; totalBytes: number; rows: number }) => void;
}

export interface CategoryReport {
  support: { positive: number; negative: number };
  threshold: { value: number; op: ThresholdOp; source: 'policy' | 'default'; rules?: string[] };
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** False-positive rate on the rows labeled 0. */
  fpr: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  bestF1: { threshold: number; precision: number; recall: number; f1: number } | null;
  /** Average precision (step-wise area under the precision–recall curve). */
  auprc: number | null;
  /** Labeled rows the classifier returned no score for (left out of the metrics). */
  unscored: number;
}

export interface EvalReport {
  classifier: { id: string; version: string };
  stage: 'input' | 'output';
  /** Per file: rows classified, malformed lines, and which measured categories it labels (empty: none). */
  files: { file: string; rows: number; malformed: number; labeled: Category[] }[];
  /** Rows classified (malformed lines excluded). */
  rows: number;
  /** Rows whose classification failed, by error code; they are left out of the metrics. */
  failed: Record<string, number>;
  /** The first failure's message for each code of `failed` (it names the server and the cause). */
  failureMessages: Record<string, string>;
  categories: Partial<Record<Category, CategoryReport>>;
  /** Measured categories that no row is labeled for. */
  noLabels: Category[];
  /** Canonical categories labeled in the data that the classifier does not score. */
  notScored: Category[];
  /** Label keys that are not canonical categories (e.g. `toxic`). */
  ignoredLabels: string[];
  /** Classifier-reported latency of every classified row, failures included. */
  latencyMs: { p50: number | null; p99: number | null; mean: number | null; count: number };
  warnings: number;
  /** Set when `strict` stopped the run at a data problem. */
  stopped?: EvalWarning;
}

export interface EvalResult {
  report: EvalReport;
  /** The precision–recall curve of every reported category, for plotting. */
  curves: Partial<Record<Category, PrPoint[]>>;
}

/** Error codes that mean the classifier cannot work at all: stop rather than fail every row. */
const FATAL_CODES = new Set(['config', 'auth']);

/**
 * Classifies every labeled row of the files and measures the classifier per category, on the
 * rows labeled for that category only (an absent label is unknown). Streams the files line by
 * line. Throws `InputError` for an unreadable file and `SaferouteError` `classifier_failed`
 * when the classifier cannot run at all (missing key, rejected key).
 */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const { classifier } = options;
  const stage = options.stage ?? 'input';
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const measured: readonly Category[] = options.categories
    ? classifier.categories.filter((c) => options.categories?.includes(c))
    : classifier.categories;
  const declared = new Set<Category>(measured);
  const defaultThreshold = options.defaultThreshold ?? 0.5;

  let totalBytes = 0;
  for (const f of options.files) {
    try {
      const s = await stat(f.path);
      if (!s.isFile()) throw new Error('not a regular file');
      totalBytes += s.size;
    } catch (error) {
      throw new InputError(`cannot read the data file \`${f.name}\`: ${(error as Error).message}`, { cause: error });
    }
  }

  const acc = new Map<Category, { scores: number[]; labels: number[]; unscored: number }>();
  const labeled = new Set<Category>();
  const notScored = new Set<Category>();
  const ignoredLabels = new Set<string>();
  const failed: Record<string, number> = {};
  const failureMessages: Record<string, string> = {};
  const latencies: number[] = [];
  const fileReports: EvalReport['files'] = [];
  let rows = 0;
  let warnings = 0;
  let bytes = 0;
  let stopped: EvalWarning | undefined;
  let fatal: { code: string; message: string } | undefined;

  const warn = (w: EvalWarning): void => {
    warnings += 1;
    options.onWarning?.(w);
    if (options.strict && !stopped) stopped = w;
  };

  const score = async (row: Extract<LabeledLine, { kind: 'row' }>): Promise<void> => {
    let outcome: ClassifierOutcome;
    try {
      outcome = await classifier.classify({ text: row.text, stage });
    } catch (error) {
      outcome = { status: 'failed', error: { code: 'classifier_threw', message: String(error) }, latencyMs: 0 };
    }
    latencies.push(outcome.latencyMs);
    if (outcome.status === 'failed') {
      failed[outcome.error.code] = (failed[outcome.error.code] ?? 0) + 1;
      failureMessages[outcome.error.code] ??= outcome.error.message;
      if (FATAL_CODES.has(outcome.error.code)) fatal ??= outcome.error;
      return;
    }
    for (const [category, label] of Object.entries(row.labels) as [Category, 0 | 1][]) {
      if (!declared.has(category)) continue;
      let a = acc.get(category);
      if (!a) acc.set(category, (a = { scores: [], labels: [], unscored: 0 }));
      const s = outcome.scores[category];
      if (s == null) a.unscored += 1;
      else {
        a.scores.push(s);
        a.labels.push(label);
      }
    }
  };

  const inFlight = new Set<Promise<void>>();
  outer: for (const file of options.files) {
    const fileReport: EvalReport['files'][number] = { file: file.name, rows: 0, malformed: 0, labeled: [] };
    const fileLabeled = new Set<Category>();
    fileReports.push(fileReport);
    try {
      for await (const line of readLabeledRows(file.path)) {
        bytes += line.bytes;
        if (line.kind === 'malformed') {
          fileReport.malformed += 1;
          warn({ file: file.name, line: line.line, message: line.message });
        } else {
          for (const issue of line.labelIssues) warn({ file: file.name, line: line.line, message: issue });
          for (const other of line.otherLabels) ignoredLabels.add(other);
          for (const category of Object.keys(line.labels) as Category[]) {
            labeled.add(category);
            if (declared.has(category)) fileLabeled.add(category);
            else if (!classifier.categories.includes(category)) notScored.add(category);
          }
          if (!stopped) {
            rows += 1;
            fileReport.rows += 1;
            const p: Promise<void> = score(line).finally(() => inFlight.delete(p));
            inFlight.add(p);
            if (inFlight.size >= concurrency) await Promise.race(inFlight);
          }
        }
        options.onProgress?.({ bytes, totalBytes, rows });
        if (stopped || fatal || (options.limit != null && rows >= options.limit)) {
          fileReport.labeled = measured.filter((c) => fileLabeled.has(c));
          break outer;
        }
      }
      fileReport.labeled = measured.filter((c) => fileLabeled.has(c));
    } catch (error) {
      await Promise.allSettled(inFlight);
      throw new InputError(`cannot read the data file \`${file.name}\`: ${(error as Error).message}`, { cause: error });
    }
  }
  await Promise.all(inFlight);
  if (fatal) {
    throw new SaferouteError('classifier_failed', `classifier \`${classifier.id}\` cannot run (${fatal.code}): ${fatal.message}`);
  }

  const categories: EvalReport['categories'] = {};
  const curves: EvalResult['curves'] = {};
  for (const category of measured) {
    if (!labeled.has(category)) continue;
    // Labeled but never scored (every such row failed): reported with empty support.
    const a = acc.get(category) ?? { scores: [], labels: [], unscored: 0 };
    const fromPolicy = options.thresholds?.get(category);
    const threshold: CategoryReport['threshold'] = fromPolicy
      ? { value: fromPolicy.value, op: fromPolicy.op, source: 'policy', rules: [...fromPolicy.rules] }
      : { value: defaultThreshold, op: 'gte', source: 'default' };
    const positives = a.labels.reduce((n, l) => n + l, 0);
    const curve = prCurve(a.scores, a.labels);
    const m = metricsFrom(confusionAt(a.scores, a.labels, threshold.value, threshold.op));
    categories[category] = {
      support: { positive: positives, negative: a.labels.length - positives },
      threshold,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      fpr: m.fpr,
      tp: m.tp,
      fp: m.fp,
      fn: m.fn,
      tn: m.tn,
      bestF1: bestF1(curve, positives),
      auprc: averagePrecision(curve),
      unscored: a.unscored,
    };
    curves[category] = curve;
  }

  const sorted = Float64Array.from(latencies).sort();
  const report: EvalReport = {
    classifier: { id: classifier.id, version: classifier.version },
    stage,
    files: fileReports,
    rows,
    failed,
    failureMessages,
    categories,
    noLabels: measured.filter((c) => !labeled.has(c)),
    notScored: [...notScored].sort(),
    ignoredLabels: [...ignoredLabels].sort(),
    latencyMs: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mean: sorted.length > 0 ? sorted.reduce((s, v) => s + v, 0) / sorted.length : null,
      count: sorted.length,
    },
    warnings,
  };
  if (stopped) report.stopped = stopped;
  return { report, curves };
}
