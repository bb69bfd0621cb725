/**
 * Ranking and threshold metrics for binary labels. Ties in score are handled as one step, so
 * a classifier that outputs constant scores gets the base rate as AUPRC, not an artefact of
 * row order.
 */

export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate among negatives. */
  fpr: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function sortedByScoreDesc(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/** Average precision (the step-wise area under the precision-recall curve, as scikit-learn). */
export function auprc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 0.5) positives++;
  if (positives === 0) return NaN;
  const order = sortedByScoreDesc(scores);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!] === s) {
      if (labels[order[k]!]! > 0.5) tp++;
      else fp++;
      k++;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

export function metricsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const pos = labels[i]! > 0.5;
    const hit = scores[i]! >= threshold;
    if (pos && hit) tp++;
    else if (pos) fn++;
    else if (hit) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const fpr = fp + tn === 0 ? 0 : fp / (fp + tn);
  return { threshold, precision, recall, f1, fpr, tp, fp, fn, tn };
}

/**
 * The threshold with the best F1 among those that keep `isAllowed` true (e.g. an FPR cap on
 * benign rows); thresholds are the distinct scores themselves.
 */
export function bestF1Threshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  isAllowed: (threshold: number) => boolean = () => true,
): ThresholdMetrics {
  // One sweep down the sorted scores (counts at each distinct score, as metricsAt would give),
  // rather than metricsAt per distinct score: quadratic on the 40k rows of the hate head, that
  // took minutes. `isAllowed` is asked only of a threshold that would improve F1.
  const order = sortedByScoreDesc(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 0.5) positives++;
  const negatives = labels.length - positives;
  let best: ThresholdMetrics | undefined;
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; ) {
    const t = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!] === t) {
      if (labels[order[k]!]! > 0.5) tp++;
      else fp++;
      k++;
    }
    const fn = positives - tp;
    const tn = negatives - fp;
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (best && !(f1 > best.f1)) continue;
    if (!isAllowed(t)) continue;
    const fpr = fp + tn === 0 ? 0 : fp / (fp + tn);
    best = { threshold: t, precision, recall, f1, fpr, tp, fp, fn, tn };
  }
  return best ?? metricsAt(scores, labels, 1.0000001);
}
