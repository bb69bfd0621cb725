export type { AttackDetector, AttackFinding } from './attack-detector.js';
export { applyAttackDetectors } from './apply-attack-detectors.js';
export { createAdversarialSuffixDetector, detectAdversarialSuffix, suffixFeatures, suffixScore } from './adversarial-suffix.js';
export type { SuffixFeatures } from './adversarial-suffix.js';
export { createIndirectInjectionDetector, detectIndirectInjection, documentEvidence } from './indirect-injection.js';
export { defaultAttackDetectors } from './default-attack-detectors.js';
export { tokenOddness } from './token-oddness.js';
