import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getDefaultEmbeddedClassifier } from '../../src/classifiers/embedded/index.js';
import { pinOf, scorePinCorpus } from '../support/score-pin-corpus.js';

/**
 * What the embedded classifier returns — every score, every piece of evidence — on a fixed
 * corpus, pinned by `npm run pin:scores`. Speed work must leave it unchanged; a change that is
 * meant to change scores (lexicons, a retrained model) regenerates the pins in the same commit.
 */
const pinned = JSON.parse(readFileSync(new URL('./fixtures/embedded-score-pins.json', import.meta.url), 'utf8')) as {
  classifierVersion: string;
  pins: Record<string, string>;
};

describe('embedded classifier score pins', () => {
  const classifier = getDefaultEmbeddedClassifier();

  it('pins the shipped lexicons and model (else: npm run pin:scores)', () => {
    expect(classifier.version).toBe(pinned.classifierVersion);
  });

  it('returns the pinned scores and evidence for every text of the corpus', async () => {
    const corpus = scorePinCorpus();
    expect(corpus.length).toBe(Object.keys(pinned.pins).length);
    const changed: string[] = [];
    for (const c of corpus) {
      const expected = pinned.pins[c.key];
      if (expected === undefined || (await pinOf(classifier, c.input)) !== expected) changed.push(c.key);
    }
    expect(changed).toEqual([]);
  });
});
