/** How a threshold is compared: `score >= t` (`gte`) or `score > t` (`gt`), as in policy rules. */
export type ThresholdOp = 'gte' | 'gt';

export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ThresholdMetrics extends ConfusionCounts {
  /** `null` when undefined: no predicted positives (precision), no positives (recall), no negatives (fpr). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  fpr: number | null;
}

/** One operating point of the precision–recall curve: predicting positive when `score >= threshold`. */
export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
  tp: number;
  fp: number;
}

/** Counts at one threshold. `scores[i]` belongs to `labels[i]` (1 positive, 0 negative). */
export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number, op: ThresholdOp = 'gte'): ConfusionCounts {
  const counts: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    const predicted = op === 'gte' ? s >= threshold : s > threshold;
    const positive = labels[i] === 1;
    if (predicted) {
      if (positive) counts.tp++;
      else counts.fp++;
    } else if (positive) counts.fn++;
    else counts.tn++;
  }
  return counts;
}

export function metricsFrom(counts: ConfusionCounts): ThresholdMetrics {
  const { tp, fp, fn, tn } = counts;
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  // F1 = 2TP / (2TP + FP + FN): defined whenever there are positives, 0 when none is found.
  const f1 = tp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null;
  const fpr = fp + tn > 0 ? fp / (fp + tn) : null;
  return { ...counts, precision, recall, f1, fpr };
}

/**
 * The precision–recall curve: one point per distinct score, from the highest down, with tied
 * scores taken together (a threshold cannot split them). Empty when there are no positives.
 */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positives++;
  if (positives === 0) return [];
  const points: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || (scores[next] as number) !== (scores[i] as number)) {
      points.push({ threshold: scores[i] as number, precision: tp / (tp + fp), recall: tp / positives, tp, fp });
    }
  }
  return points;
}

/**
 * Area under the precision–recall curve as average precision: Σ (Rₙ − Rₙ₋₁) · Pₙ over the
 * curve's points (the step-wise sum scikit-learn's `average_precision_score` computes; no
 * interpolation, which would be optimistic). `null` without positives.
 */
export function averagePrecision(curve: readonly PrPoint[]): number | null {
  if (curve.length === 0) return null;
  let ap = 0;
  let previousRecall = 0;
  for (const p of curve) {
    ap += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
  }
  return ap;
}

/** The threshold (predict positive at `score >= threshold`) with the highest F1; ties go to the higher threshold. */
export function bestF1(curve: readonly PrPoint[], positives: number): { threshold: number; precision: number; recall: number; f1: number } | null {
  let best: { threshold: number; precision: number; recall: number; f1: number } | null = null;
  for (const p of curve) {
    const fn = positives - p.tp;
    const f1 = (2 * p.tp) / (2 * p.tp + p.fp + fn);
    if (!best || f1 > best.f1) best = { threshold: p.threshold, precision: p.precision, recall: p.recall, f1 };
  }
  return best;
}
