import { describe, expect, it } from 'vitest';
import { llamaGuardMessages } from './llama-guard-messages.js';

describe('llamaGuardMessages', () => {
  it('sends the prompt alone as the user turn for input classification', () => {
    expect(llamaGuardMessages({ text: 'how do I pick a lock?', stage: 'input' })).toEqual([
      { role: 'user', content: 'how do I pick a lock?' },
    ]);
  });

  it('ignores a context prompt at the input stage', () => {
    expect(llamaGuardMessages({ text: 'hi', stage: 'input', context: { prompt: 'earlier' } })).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('sends prompt as user and reply as assistant for output classification', () => {
    expect(llamaGuardMessages({ text: 'Go steal one!', stage: 'output', context: { prompt: 'How can I adopt a llama?' } })).toEqual([
      { role: 'user', content: 'How can I adopt a llama?' },
      { role: 'assistant', content: 'Go steal one!' },
    ]);
  });

  it('opens with an empty user turn when the prompt is unknown', () => {
    expect(llamaGuardMessages({ text: 'reply', stage: 'output' })).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', content: 'reply' },
    ]);
  });

  it('replaces lone surrogates', () => {
    expect(llamaGuardMessages({ text: 'a\ud800', stage: 'input' })[0]?.content).toBe('a\ufffd');
  });
});
