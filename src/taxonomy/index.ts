export { CATEGORIES, CATEGORY_DESCRIPTIONS, isCategory } from './categories.js';
export type { Category, Scores } from './categories.js';
export {
  OPENAI_MODERATION_CATEGORIES,
  OPENAI_MODERATION_TO_CANONICAL,
  openAIModerationSourcesOf,
} from './openai-moderation-mapping.js';
export type { OpenAIModerationCategory } from './openai-moderation-mapping.js';
export {
  LLAMA_GUARD_CODES,
  LLAMA_GUARD_TO_CANONICAL,
  isLlamaGuardCode,
  llamaGuardSourcesOf,
} from './llama-guard-mapping.js';
export type { LlamaGuardCode } from './llama-guard-mapping.js';
