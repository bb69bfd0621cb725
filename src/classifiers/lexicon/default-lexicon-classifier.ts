import { createLexiconClassifier, type LexiconClassifier } from './create-lexicon-classifier.js';

let instance: LexiconClassifier | undefined;

/**
 * The lexicon classifier over the shipped lexicons, compiled on first call and shared by the
 * process afterwards. Nothing happens at import time.
 */
export function getDefaultLexiconClassifier(): LexiconClassifier {
  instance ??= createLexiconClassifier();
  return instance;
}
