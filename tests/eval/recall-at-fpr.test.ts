import { describe, expect, it } from 'vitest';
import { recallAbove, thresholdAtFpr } from '../../scripts/recall-at-fpr.js';

describe('recall at a fixed false-positive rate (eval:quality)', () => {
  const benign = Array.from({ length: 100 }, (_, i) => i / 100); // 0.00 … 0.99

  it('sets the threshold so that at most the given share of the benign pool is above it', () => {
    const t1 = thresholdAtFpr(benign, 0.01);
    const t5 = thresholdAtFpr(benign, 0.05);
    expect(benign.filter((s) => s > t1)).toHaveLength(1);
    expect(benign.filter((s) => s > t5)).toHaveLength(5);
    expect(t1).toBe(0.98);
    expect(recallAbove([0.2, 0.96, 0.985, 0.999], t1)).toBe(0.5);
    expect(recallAbove([0.2, 0.96, 0.985, 0.999], t5)).toBe(0.75);
  });

  it('a yes/no detector that flags more benign texts than allowed catches nothing at that rate', () => {
    const flagsTwoPercent = Array.from({ length: 100 }, (_, i) => (i < 2 ? 1 : 0));
    expect(recallAbove([1, 1, 1, 0], thresholdAtFpr(flagsTwoPercent, 0.01))).toBe(0);
    // Within the budget, its recall is the share it flags.
    expect(recallAbove([1, 1, 1, 0], thresholdAtFpr(flagsTwoPercent, 0.05))).toBe(0.75);
  });

  it('ties at the threshold stay below it, and empty sets give NaN rather than a figure', () => {
    expect(thresholdAtFpr([0.5, 0.5, 0.5, 0.5], 0.25)).toBe(0.5);
    expect(recallAbove([0.5, 0.6], 0.5)).toBe(0.5);
    expect(thresholdAtFpr([], 0.01)).toBeNaN();
    expect(recallAbove([], 0.5)).toBeNaN();
  });
});
