import type { ClassifierInput } from '../classifier.js';
import { wellFormedText } from '../openai-moderation/well-formed-text.js';

export interface LlamaGuardMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * The conversation Llama Guard judges. Ollama's `llama-guard3` template builds the Llama Guard
 * prompt from the messages and judges the last turn: the user's for input classification, the
 * assistant's for output classification, where the prompt that produced it goes first as
 * `user` (empty when the caller does not know it: the template needs a user turn to open).
 */
export function llamaGuardMessages(input: ClassifierInput): LlamaGuardMessage[] {
  const text = wellFormedText(input.text);
  if (input.stage === 'output') {
    return [
      { role: 'user', content: wellFormedText(input.context?.prompt ?? '') },
      { role: 'assistant', content: text },
    ];
  }
  return [{ role: 'user', content: text }];
}
