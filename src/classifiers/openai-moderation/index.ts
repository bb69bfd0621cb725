export {
  createOpenAIModerationClassifier,
  DEFAULT_OPENAI_MODERATION_MODEL,
} from './openai-moderation-classifier.js';
export type { OpenAIModerationClassifierOptions } from './openai-moderation-classifier.js';
export { OPENAI_MODERATION_CANONICAL_CATEGORIES, parseModerationResponse } from './moderation-response.js';
export { retryAfterMs } from './retry-after.js';
export { backoffDelayMs } from './backoff-delay.js';
export type { BackoffOptions } from './backoff-delay.js';
export { retryWithBackoff } from './retry-with-backoff.js';
export type { RetryOptions, RetryVerdict } from './retry-with-backoff.js';
export { createMicroBatcher } from './micro-batcher.js';
export type { BatchResult, MicroBatcher, MicroBatcherOptions } from './micro-batcher.js';
export { wellFormedText } from './well-formed-text.js';
