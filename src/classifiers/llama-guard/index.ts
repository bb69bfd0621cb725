export {
  createLlamaGuardClassifier,
  DEFAULT_LLAMA_GUARD_MODEL,
  DEFAULT_OLLAMA_HOST,
  LLAMA_GUARD_CANONICAL_CATEGORIES,
} from './llama-guard-classifier.js';
export type { LlamaGuardClassifierOptions } from './llama-guard-classifier.js';
export { parseLlamaGuardVerdict } from './parse-llama-guard-verdict.js';
export type { LlamaGuardVerdict } from './parse-llama-guard-verdict.js';
export { llamaGuardMessages } from './llama-guard-messages.js';
export type { LlamaGuardMessage } from './llama-guard-messages.js';
