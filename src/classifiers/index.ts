export type { Classifier, ClassifierError, ClassifierErrorCode, ClassifierInput, ClassifierOutcome, Evidence } from './classifier.js';

export { createClassifierRegistry, defaultClassifierFactories, DEFAULT_CASCADE_BAND } from './registry.js';
export type { ClassifierFactory, ClassifierRegistry, ClassifierRegistryOptions } from './registry.js';

export { createCascade, withCache, withTimeout, withDecodedObfuscation, cacheKey, exactCacheKey, normaliseForCache } from './decorators/index.js';
export { findEncodedSpans, decodedVariants } from './obfuscation/index.js';
export type { EncodedSpan, EncodingKind, DecodedVariant } from './obfuscation/index.js';
export type { CacheOptions, CacheStats, CachedClassifier, CascadeOptions, UncertainBand } from './decorators/index.js';

export {
  createOpenAIModerationClassifier,
  DEFAULT_OPENAI_MODERATION_MODEL,
  OPENAI_MODERATION_CANONICAL_CATEGORIES,
} from './openai-moderation/index.js';
export type { OpenAIModerationClassifierOptions } from './openai-moderation/index.js';

export {
  createLlamaGuardClassifier,
  parseLlamaGuardVerdict,
  DEFAULT_LLAMA_GUARD_MODEL,
  DEFAULT_OLLAMA_HOST,
  LLAMA_GUARD_CANONICAL_CATEGORIES,
} from './llama-guard/index.js';
export type { LlamaGuardClassifierOptions, LlamaGuardVerdict } from './llama-guard/index.js';

export { createEmbeddedClassifier, getDefaultEmbeddedClassifier } from './embedded/index.js';
export type { EmbeddedClassifierOptions } from './embedded/index.js';
export { createAdversarialSuffixDetector, createIndirectInjectionDetector, defaultAttackDetectors } from './attacks/index.js';
export type { AttackDetector, AttackFinding } from './attacks/index.js';
export { createLexiconClassifier, getDefaultLexiconClassifier } from './lexicon/index.js';
export type { LexiconClassifier, LexiconClassifierOptions } from './lexicon/index.js';
export { createLinearClassifier, loadLinearModel } from './linear/index.js';
export type { LinearClassifier, LinearClassifierOptions } from './linear/index.js';
export { createPiiClassifier, detectPii, redactPii } from './pii/index.js';
export type { PiiClassifierOptions, PiiMatch, PiiType, RedactPiiOptions } from './pii/index.js';
