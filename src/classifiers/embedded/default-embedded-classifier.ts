import type { Classifier } from '../classifier.js';
import { createEmbeddedClassifier } from './create-embedded-classifier.js';

let instance: Classifier | undefined;

/**
 * The embedded classifier over the shipped lexicons and model, built on first call (loading the
 * model and compiling the lexicons) and shared afterwards. Nothing happens at import time.
 */
export function getDefaultEmbeddedClassifier(): Classifier {
  instance ??= createEmbeddedClassifier();
  return instance;
}
