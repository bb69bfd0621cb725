export { withCache } from './with-cache.js';
export type { CacheOptions, CacheStats, CachedClassifier } from './with-cache.js';
export { cacheKey, exactCacheKey, normaliseForCache } from './cache-key.js';
export { withTimeout } from './with-timeout.js';
export { createCascade } from './create-cascade.js';
export type { CascadeOptions, UncertainBand } from './create-cascade.js';
export { withDecodedObfuscation, DECODE_VERSION } from './with-decoded-obfuscation.js';
