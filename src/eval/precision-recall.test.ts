import { describe, expect, it } from 'vitest';
import { averagePrecision, bestF1, confusionAt, metricsFrom, prCurve } from './precision-recall.js';

// Hand-computed example: positives at 0.9, 0.7, 0.6; negatives at 0.8, 0.2 (P = 3, N = 2).
const scores = [0.9, 0.8, 0.7, 0.6, 0.2];
const labels = [1, 0, 1, 1, 0];

describe('precision and recall at a threshold', () => {
  it('counts at 0.5: TP 3, FP 1, FN 0, TN 1', () => {
    const m = metricsFrom(confusionAt(scores, labels, 0.5));
    expect(m).toMatchObject({ tp: 3, fp: 1, fn: 0, tn: 1, precision: 0.75, recall: 1, fpr: 0.5 });
    expect(m.f1).toBeCloseTo(6 / 7, 12);
  });

  it('honours gte versus gt at a tied score', () => {
    expect(confusionAt(scores, labels, 0.7, 'gte')).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(confusionAt(scores, labels, 0.7, 'gt')).toEqual({ tp: 1, fp: 1, fn: 2, tn: 1 });
  });

  it('leaves undefined ratios null and F1 0 when nothing is found', () => {
    const none = metricsFrom(confusionAt(scores, labels, 0.95));
    expect(none).toMatchObject({ precision: null, recall: 0, f1: 0, fpr: 0 });
    const noPositives = metricsFrom(confusionAt([0.1, 0.9], [0, 0], 0.5));
    expect(noPositives).toMatchObject({ precision: 0, recall: null, f1: null, fpr: 0.5 });
    const noNegatives = metricsFrom(confusionAt([0.9], [1], 0.5));
    expect(noNegatives.fpr).toBeNull();
  });
});

describe('precision–recall curve', () => {
  it('has one point per distinct score, highest first', () => {
    const curve = prCurve(scores, labels);
    expect(curve.map((p) => [p.threshold, p.tp, p.fp])).toEqual([
      [0.9, 1, 0],
      [0.8, 1, 1],
      [0.7, 2, 1],
      [0.6, 3, 1],
      [0.2, 3, 2],
    ]);
    expect(curve[2]?.precision).toBeCloseTo(2 / 3, 12);
    expect(curve[2]?.recall).toBeCloseTo(2 / 3, 12);
  });

  it('average precision = 1/3·1 + 0·1/2 + 1/3·2/3 + 1/3·3/4 + 0·3/5 = 29/36', () => {
    // Same value as scikit-learn's average_precision_score([1,0,1,1,0], [.9,.8,.7,.6,.2]).
    expect(averagePrecision(prCurve(scores, labels))).toBeCloseTo(29 / 36, 12);
  });

  it('groups tied scores into one point', () => {
    const curve = prCurve([0.5, 0.5, 0.1], [1, 0, 1]);
    expect(curve.map((p) => [p.threshold, p.tp, p.fp])).toEqual([
      [0.5, 1, 1],
      [0.1, 2, 1],
    ]);
    expect(averagePrecision(curve)).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 12);
  });

  it('is 1 for a perfect ranking and null without positives', () => {
    expect(averagePrecision(prCurve([0.9, 0.8, 0.1], [1, 1, 0]))).toBe(1);
    expect(averagePrecision(prCurve([0.9, 0.1], [0, 0]))).toBeNull();
  });

  it('finds the best-F1 threshold: 0.6 with F1 6/7', () => {
    const best = bestF1(prCurve(scores, labels), 3);
    expect(best?.threshold).toBe(0.6);
    expect(best?.f1).toBeCloseTo(6 / 7, 12);
    expect(best?.precision).toBe(0.75);
    expect(bestF1([], 0)).toBeNull();
  });
});
