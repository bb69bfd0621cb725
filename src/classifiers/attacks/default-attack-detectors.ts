import type { AttackDetector } from './attack-detector.js';
import { createAdversarialSuffixDetector } from './adversarial-suffix.js';
import { createIndirectInjectionDetector } from './indirect-injection.js';

/** The detectors the embedded classifier runs at the input stage by default (a fresh list per call). */
export function defaultAttackDetectors(): AttackDetector[] {
  return [createAdversarialSuffixDetector(), createIndirectInjectionDetector()];
}
