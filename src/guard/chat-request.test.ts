import { describe, expect, it } from 'vitest';
import { parseChatRequest } from './chat-request.js';

const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

describe('parseChatRequest', () => {
  it('keeps messages, the requested model and sampling options, normalising `stop`', () => {
    const r = parseChatRequest({ model: 'gpt-x', stream: true, temperature: 0, stop: 'END', max_completion_tokens: 9, metadata: { a: '1' }, ...user('hi') });
    expect(r).toEqual({
      model: 'gpt-x',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      params: { temperature: 0, stop: ['END'], max_completion_tokens: 9, extra: { metadata: { a: '1' } } },
    });
  });

  it('treats a temperature of 0 as a value', () => {
    expect(parseChatRequest({ temperature: 0, ...user('x') }).params.temperature).toBe(0);
  });

  it('strips unknown keys inside messages but refuses unknown request parameters', () => {
    const r = parseChatRequest({ messages: [{ role: 'user', content: 'hi', cache_control: { type: 'ephemeral' } }] });
    expect(r.messages[0]).toEqual({ role: 'user', content: 'hi' });
    expect(() => parseChatRequest({ ...user('hi'), frobnicate: 1 })).toThrow(/`frobnicate`/);
  });

  it.each([
    ['not an object', 'hello', /JSON object/],
    ['no messages', { messages: [] }, /no messages/],
    ['a wrong role', { messages: [{ role: 'bot', content: 'x' }] }, /role `bot`/],
    ['a file part', user([{ type: 'file', file: { file_id: 'f' } }]), /content part `file`/],
    ['a tool message without id', { messages: [{ role: 'tool', content: 'x' }] }, /tool_call_id/],
    ['a temperature out of range', { temperature: 3, ...user('x') }, /temperature/],
    ['n = 2', { n: 2, ...user('x') }, /`n` must be 1/],
    ['logprobs', { logprobs: true, ...user('x') }, /logprobs/],
    ['a lone high surrogate', user('a\uD83Db'), /lone surrogate at offset 1/],
    ['a lone low surrogate in a part', user([{ type: 'text', text: 'ok \uDE00' }]), /lone surrogate/],
    ['a lone surrogate in tool call arguments', { messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '\uD800' } }] }] }, /lone surrogate/],
  ])('rejects %s', (_name, value, message) => {
    expect(() => parseChatRequest(value)).toThrow(message);
    try {
      parseChatRequest(value);
    } catch (error) {
      expect(error).toMatchObject({ code: 'input_invalid' });
    }
  });

  it('accepts well-formed astral characters', () => {
    expect(parseChatRequest(user('smile 😀')).messages[0]).toEqual({ role: 'user', content: 'smile 😀' });
  });

  it('enforces the configured size limits', () => {
    expect(() => parseChatRequest(user('x'.repeat(101)), { maxMessageChars: 100 })).toThrow(/101 characters of text, more than the 100 allowed/);
    expect(parseChatRequest(user('x'.repeat(100)), { maxMessageChars: 100 }).messages).toHaveLength(1);
    // A getter that answers the first reads (request schema, length check) with a short text and the schema with a long one.
    let reads = 0;
    const shifty = { role: 'user', get content() { return ++reads <= 3 ? 'hello' : 'y'.repeat(5000); } };
    // (`temperature` sends it through the schema; the plain-request path reads `content` once.)
    expect(() => parseChatRequest({ messages: [shifty], temperature: 0 }, { maxMessageChars: 100 })).toThrow(/5000 characters of text, more than the 100 allowed/);
    expect(() => parseChatRequest({ messages: Array.from({ length: 3 }, () => ({ role: 'user', content: 'x' })) }, { maxMessages: 2 })).toThrow(/3 messages/);
    const parts = user([{ type: 'text', text: 'x'.repeat(60) }, { type: 'text', text: 'y'.repeat(60) }]);
    expect(() => parseChatRequest(parts, { maxMessageChars: 100 })).toThrow(/120 characters/);
  });
});
