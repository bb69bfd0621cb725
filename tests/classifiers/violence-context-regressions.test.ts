import { describe, expect, it } from 'vitest';
import { getDefaultEmbeddedClassifier } from '../../src/classifiers/embedded/index.js';
import type { Category } from '../../src/taxonomy/categories.js';

/**
 * The violence lexicon's lowering contexts (issue 12, decision quality): an accident, an illness
 * or self-defence near a harm verb, a passive verb's agent ("killed by a drunk driver"), a harm
 * done to oneself (self-harm.json scores that), and a crime named as a topic ("domestic
 * violence against women") are talk about violence, not violence. Each lowered text sits beside
 * a threat or call for harm in the same words, which must stay high.
 */
const classifier = getDefaultEmbeddedClassifier();

async function score(text: string, category: Category): Promise<number> {
  const outcome = await classifier.classify({ text, stage: 'input' });
  if (outcome.status !== 'ok') throw new Error(`classification failed: ${outcome.error.message}`);
  return outcome.scores[category] ?? 0;
}

describe('violence: accidents, illness, passive reports and topics are not violence', () => {
  it.each([
    'I stabbed myself in the hand by accident while opening a box',
    'The infection could kill you if you leave it untreated',
    'Smoking and heart disease kill millions every year',
    'He was killed by a drunk driver last night',
    'The documentary covers domestic violence against women',
  ])('keeps "%s" low', async (text) => {
    expect(await score(text, 'violence')).toBeLessThan(0.35);
  });

  it.each([
    'I am going to stab him tomorrow',
    'I want to stab my coworker',
    'I will shoot them all when they come',
    'We should kill them all, every last one',
    'Kill them wherever you find them',
  ])('still scores the threat or call for harm "%s" high', async (text) => {
    expect(await score(text, 'violence')).toBeGreaterThanOrEqual(0.8);
  });
});
