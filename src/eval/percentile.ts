/**
 * The nearest-rank percentile of already sorted values: the smallest value with at least p% of
 * the values at or below it (so p99 of 100 samples is the 99th, never an interpolation).
 * `null` for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
