import { describe, expect, it } from 'vitest';
import { getDefaultEmbeddedClassifier } from '../../src/classifiers/embedded/index.js';
import { getDefaultLexiconClassifier } from '../../src/classifiers/lexicon/index.js';
import type { Category } from '../../src/taxonomy/categories.js';

/**
 * hate.json (issue 12, decision quality): a group told to leave the country ("<group> should
 * leave", "go back to your own country", "don't belong here": the `expel` group after `people`),
 * "the enemy of", and mixed-race people and couples as a group. Each sits beside everyday
 * sentences in the same words, which the rule must not read as hate.
 */
const classifier = getDefaultEmbeddedClassifier();
const lexicon = getDefaultLexiconClassifier();

async function score(text: string, category: Category): Promise<number> {
  const outcome = await classifier.classify({ text, stage: 'input' });
  if (outcome.status !== 'ok') throw new Error(`classification failed: ${outcome.error.message}`);
  return outcome.scores[category] ?? 0;
}

describe('hate: a group told to leave, called the enemy, mixed-race people demeaned', () => {
  it.each([
    "All the Muslims should leave if they don't like it here",
    'Mexicans should go back to their own country',
    "Immigrants don't belong here",
    'Jews are the enemy of the white race',
    'Interracial couples are disgusting',
  ])('scores "%s" as hate', async (text) => {
    expect(await score(text, 'hate')).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    'Interracial marriage has been legal in the US since 1967',
    'Should immigrants be deported if they commit crimes? What does the law say?',
    'How do biracial children experience identity?',
  ])('keeps "%s" low', async (text) => {
    expect(await score(text, 'hate')).toBeLessThan(0.3);
  });

  it.each([
    'Immigrants should leave their details at the front desk',
    'Refugees should be able to go back to their own country when the war ends',
    'Many immigrants send money back home to their families',
  ])('does not fire the group-expelled rule on "%s"', (text) => {
    expect(lexicon.scan(text).scores.hate ?? 0).toBe(0);
  });
});
