import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Scores } from '../taxonomy/categories.js';
import { sortedScores } from './decision-facts.js';

/** What the facts held before: keys sorted per call, non-finite scores dropped. */
function reference(scores: Scores): Scores {
  const out: Record<string, number> = {};
  for (const k of Object.keys(scores).sort()) {
    const v = (scores as Record<string, number | undefined>)[k];
    if (v != null && Number.isFinite(v)) out[k] = v;
  }
  return out as Scores;
}

describe('sortedScores', () => {
  it('writes the same keys in the same order as sorting them, whatever order they came in', () => {
    let x = 11;
    const next = (): number => (x = (x * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      const scores: Record<string, number> = {};
      for (const c of [...CATEGORIES].sort(() => next() - 0.5)) if (next() < 0.6) scores[c] = next() < 0.05 ? Number.NaN : next();
      const out = sortedScores(scores as Scores);
      expect(JSON.stringify(out)).toBe(JSON.stringify(reference(scores as Scores)));
    }
  });

  it('keeps a key outside the taxonomy in its sorted place, and drops non-finite scores', () => {
    const scores = { violence: 0.2, 'zz-custom': 0.5, hate: Number.POSITIVE_INFINITY, 'aa-custom': 0.1 } as unknown as Scores;
    expect(Object.entries(sortedScores(scores))).toEqual([
      ['aa-custom', 0.1],
      ['violence', 0.2],
      ['zz-custom', 0.5],
    ]);
  });
});
