import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrainingData } from '../../classifiers/train/load-training-data.js';
import { bestF1Threshold, metricsAt, type ThresholdMetrics } from '../../classifiers/train/metrics.js';

/** The definition bestF1Threshold must keep: metricsAt at every distinct score, best F1 first reached. */
function bruteForce(scores: Float64Array, labels: Float64Array, isAllowed: (t: number) => boolean = () => true): ThresholdMetrics {
  let best: ThresholdMetrics | undefined;
  for (const t of [...new Set(scores)].sort((a, b) => b - a)) {
    if (!isAllowed(t)) continue;
    const m = metricsAt(scores, labels, t);
    if (!best || m.f1 > best.f1) best = m;
  }
  return best ?? metricsAt(scores, labels, 1.0000001);
}

describe('training metrics', () => {
  it('bestF1Threshold (one sweep) gives what metricsAt at every distinct score gives, with and without a cap', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 200);
      // Coarse scores, so ties are common.
      const scores = Float64Array.from({ length: n }, () => Math.round(random() * 40) / 40);
      const labels = Float64Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
      const benign = scores.filter(() => random() < 0.5);
      const cap = random() * 0.2;
      const allowed = (t: number): boolean => benign.filter((s) => s >= t).length / Math.max(1, benign.length) <= cap;
      expect(bestF1Threshold(scores, labels)).toEqual(bruteForce(scores, labels));
      expect(bestF1Threshold(scores, labels, allowed)).toEqual(bruteForce(scores, labels, allowed));
    }
  });

  it('bestF1Threshold falls back to a threshold above every score when none is allowed', () => {
    const m = bestF1Threshold(Float64Array.of(0.9, 0.1), Float64Array.of(1, 0), () => false);
    expect(m.threshold).toBeGreaterThan(1);
    expect(m.tp).toBe(0);
  });
});

describe('loadTrainingData', () => {
  it('labelFrom reads a head from another label of the source; other heads stay unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'saferoute-train-'));
    const file = join(dir, 'toxicity.jsonl');
    writeFileSync(file, ['{"id":"a","text":"you idiot","labels":{"toxic":1}}', '{"id":"b","text":"nice work","labels":{"toxic":0}}'].join('\n') + '\n');
    const heads = ['hate', 'harassment'];
    const mapped = loadTrainingData([file], heads, { toxicity: { labelFrom: { harassment: 'toxic' } } }, 1000, 1);
    expect(mapped.rows.map((r) => Array.from(r.labels))).toEqual([
      [-1, 1],
      [-1, 0],
    ]);
    // Without the mapping the rows carry no head's label and are not used.
    expect(loadTrainingData([file], heads, {}, 1000, 1).rows).toHaveLength(0);
  });
});
