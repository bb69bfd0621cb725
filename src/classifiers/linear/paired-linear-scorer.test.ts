import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOutputStageModel } from '../embedded/load-output-stage-model.js';
import { createSeededRandom } from '../../util/seeded-random.js';
import { createLinearScorer } from './linear-scorer.js';
import { loadLinearModel } from './load-linear-model.js';
import { createPairedLinearScorer } from './paired-linear-scorer.js';

const model = loadLinearModel();
const outputModel = loadOutputStageModel();

/** Committed training requests: real prose, punctuation and apostrophes. */
const requestTexts = ['requests_benign.jsonl', 'requests_adult.jsonl'].flatMap((f) =>
  readFileSync(new URL(`../../../classifiers/train/data/${f}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text),
);

const PIECES = ['the', 'kill', "don't", 'SEX', 'ünïcödé', 'ﬁne', '日本語', '😀', 'a', '  ', '\n', '!!!', '12yo', 'k1ll', 'Ⅻ', '’', '\u200b', 'soooo', '-'];
function randomTexts(count: number, seed: number): string[] {
  const rnd = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    const words = Math.floor(rnd() * 80);
    let t = '';
    for (let i = 0; i < words; i++) t += PIECES[Math.floor(rnd() * PIECES.length)]! + (rnd() < 0.8 ? ' ' : '');
    return t;
  });
}

describe('createPairedLinearScorer', () => {
  it('gives each model the probabilities its own scorer gives, bit for bit', () => {
    const paired = createPairedLinearScorer(model, outputModel);
    expect(paired).toBeDefined();
    const first = createLinearScorer(model);
    const second = createLinearScorer(outputModel, { kernel: 'js' });
    const long = requestTexts.join(' ').repeat(3);
    const texts = [...requestTexts, ...randomTexts(2000, 11), '', ' ', '!!!', 'a', "don't", long, 'after a long one'];
    for (const t of texts) {
      const both = Array.from(paired!.probabilities(t));
      const expected = [...Array.from(first.probabilities(t)), ...Array.from(second.probabilities(t))];
      expect(both).toHaveLength(expected.length);
      for (let i = 0; i < both.length; i++) expect(Object.is(both[i], expected[i]), `${JSON.stringify(t.slice(0, 40))} head ${i}`).toBe(true);
    }
  });

  it('declines a companion with other feature settings or more than one head', () => {
    expect(createPairedLinearScorer(model, { ...outputModel, features: { ...outputModel.features, wordWeight: 3 } })).toBeUndefined();
    expect(createPairedLinearScorer(model, model)).toBeUndefined();
  });
});
