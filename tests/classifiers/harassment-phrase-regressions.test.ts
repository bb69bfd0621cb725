import { describe, expect, it } from 'vitest';
import { getDefaultLexiconClassifier } from '../../src/classifiers/lexicon/index.js';

/**
 * harassment.json (issue 12, decision quality): set insults aimed at a person that carry no
 * insult word — "yo mama so…" jokes, "nobody will remember you", "no one gives a fuck about
 * you" — and the same words said of oneself, negated or asked about, which must stay low; and a
 * rebuke a model writes in its refusals ("you should be ashamed of yourself"), which is no
 * insult. Written for this test: none is a data row.
 */
const lexicon = getDefaultLexiconClassifier();
const harassment = (text: string): number => lexicon.scan(text).scores.harassment ?? 0;

describe('harassment: set insults aimed at a person', () => {
  it.each([
    "Yo mama's so fat she needs two zip codes",
    'Nobody will remember you when you are gone',
    'No one gives a shit about you or your podcast',
  ])('scores "%s" as harassment', (text) => {
    expect(harassment(text)).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'Sometimes I feel like nobody will remember me',
    "I'm not saying nobody will remember you, everyone makes mistakes",
    'I cannot help with stealing. You should be ashamed of yourself for asking; please respect the law.',
    'What does "yo mama" mean as a word?',
  ])('keeps "%s" low', (text) => {
    expect(harassment(text)).toBeLessThan(0.3);
  });
});

/**
 * harassment.json, `your-thing-adjective`: an insult to what a person said, made or looks like
 * ("your comparison is stupid", "your face is ugly") with no insult word for the person. Negated after, or asked about before
 * ("is your voice annoying?", "do you think your idea is stupid?"), it stays low, as does praise
 * and plain talk of a person's work.
 */
describe('harassment: insults to what a person said, made or looks like', () => {
  it.each([
    'your comparison is stupid and everyone can see it',
    'Your grammar is garbage and your take is dumb',
    'Your face is ugly',
  ])('scores "%s" as harassment', (text) => {
    expect(harassment(text)).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'My teacher said your idea is not stupid at all',
    'Is your voice annoying to others? How can I tell?',
    'Do you think your idea is stupid?',
    "Don't say your work is useless, it helped me",
    'Your argument is clear and your writing is excellent',
    'Wash your face and brush your teeth before bed',
  ])('keeps "%s" low', (text) => {
    expect(harassment(text)).toBeLessThan(0.3);
  });
});
