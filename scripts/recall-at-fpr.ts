/**
 * Recall at a fixed false-positive rate: the threshold is set on a pool of benign texts so that
 * at most `fpr` of them score above it, and recall is the share of a harmful set above it. This is
 * how an operator sets a threshold (on traffic they know is fine) and what they then catch.
 */

/** The smallest threshold at which at most `fpr` of `benign` score strictly above it. */
export function thresholdAtFpr(benign: readonly number[], fpr: number): number {
  if (benign.length === 0) return Number.NaN;
  const sorted = [...benign].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * sorted.length);
  // Everything above sorted[allowed] is at most `allowed` rows; ties at that score stay below.
  return sorted[Math.min(allowed, sorted.length - 1)] as number;
}

/** The share of `harmful` scoring strictly above `threshold`. */
export function recallAbove(harmful: readonly number[], threshold: number): number {
  if (harmful.length === 0 || Number.isNaN(threshold)) return Number.NaN;
  let above = 0;
  for (const s of harmful) if (s > threshold) above++;
  return above / harmful.length;
}
