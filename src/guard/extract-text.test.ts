import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../providers/chat-provider.js';
import { extractText } from './extract-text.js';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'SYSTEM' },
  { role: 'user', content: 'U1' },
  { role: 'assistant', content: 'A1' },
  { role: 'user', content: 'U2' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }] },
  { role: 'tool', tool_call_id: 'c', content: 'TOOL RESULT' },
];

describe('extractText', () => {
  it('takes the latest user turn, what follows it, and the window of earlier turns', () => {
    expect(extractText(conversation, { historyMessages: 1 }).text).toBe('A1\n\nU2\n\nsearch({"q":"x"})\n\nTOOL RESULT');
    expect(extractText(conversation, { historyMessages: 0 }).text).toBe('U2\n\nsearch({"q":"x"})\n\nTOOL RESULT');
    expect(extractText(conversation).text).toBe('U1\n\nA1\n\nU2\n\nsearch({"q":"x"})\n\nTOOL RESULT');
  });

  it('adds system messages only when asked, and never counts them in the window', () => {
    expect(extractText(conversation).text).not.toContain('SYSTEM');
    expect(extractText(conversation, { includeSystem: true, historyMessages: 0 }).text).toBe('SYSTEM\n\nU2\n\nsearch({"q":"x"})\n\nTOOL RESULT');
  });

  it('uses the latest user turn as the prompt for the output stage', () => {
    expect(extractText(conversation).prompt).toBe('U2');
  });

  it('classifies the text parts of multimodal messages and flags images', () => {
    const r = extractText([
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }, { type: 'text', text: 'describe it' }] },
    ]);
    expect(r).toEqual({ text: 'describe it', prompt: 'describe it', hasImages: true });
    expect(extractText([{ role: 'user', content: 'plain' }]).hasImages).toBe(false);
  });

  it('flags images anywhere in the conversation, even outside the window', () => {
    const r = extractText(
      [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/a.png' } }] },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'and now?' },
      ],
      { historyMessages: 0 },
    );
    expect(r.hasImages).toBe(true);
    expect(r.text).toBe('and now?');
  });

  it('classifies a conversation without a user turn whole', () => {
    expect(extractText([{ role: 'tool', tool_call_id: 'c', content: 'only a tool result' }]).text).toBe('only a tool result');
  });
});
