import { describe, expect, it } from 'vitest';
import { parseChatRequest, validateChatRequest } from './chat-request.js';
import { readPlainChatRequest } from './read-plain-chat-request.js';

const LIMIT_CHARS = 40;
const LIMIT_MESSAGES = 3;

/** What the schema path makes of a request: the request, or the error message. */
function viaSchema(raw: Record<string, unknown>): unknown {
  try {
    return validateChatRequest(raw, LIMIT_CHARS, LIMIT_MESSAGES);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function viaParse(raw: Record<string, unknown>): unknown {
  try {
    return parseChatRequest(raw, { maxMessageChars: LIMIT_CHARS, maxMessages: LIMIT_MESSAGES });
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'bot', undefined];
const CONTENTS: unknown[] = ['hi', '', 'x'.repeat(LIMIT_CHARS), 'x'.repeat(LIMIT_CHARS + 1), 'a\uD83Db', 'smile 😀', null, 3, [{ type: 'text', text: 't' }], undefined];
const NAMES: unknown[] = ['ann', '', 7, null, undefined];
const EXTRA_KEYS: [string, unknown][] = [['tool_call_id', 'c1'], ['refusal', 'no'], ['cache_control', { type: 'ephemeral' }], ['tool_calls', []]];

function randomMessage(r: () => number): unknown {
  // Mostly plain messages, so that whole requests are often plain; then anything.
  if (r() < 0.8) {
    const m: Record<string, unknown> = { role: pick(r, ['system', 'developer', 'user', 'assistant']), content: pick(r, ['hi', '', 'smile 😀']) };
    if (r() < 0.2) m.name = 'ann';
    return r() < 0.5 ? m : Object.fromEntries(Object.entries(m).reverse());
  }
  if (r() < 0.1) return pick(r, [null, 'text', [], 5]);
  const m: Record<string, unknown> = {};
  const role = pick(r, ROLES);
  if (role !== undefined || r() < 0.5) m.role = role;
  const content = pick(r, CONTENTS);
  if (content !== undefined || r() < 0.5) m.content = content;
  if (r() < 0.3) m.name = pick(r, NAMES);
  if (r() < 0.1) {
    const [k, v] = pick(r, EXTRA_KEYS);
    m[k] = v;
  }
  return m;
}

function randomRequest(r: () => number): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  if (r() < 0.95) raw.messages = r() < 0.03 ? 'hi' : Array.from({ length: Math.floor(r() * (LIMIT_MESSAGES + 2)) }, () => randomMessage(r));
  if (r() < 0.5) raw.model = pick(r, ['gpt-x', '', null, 4, undefined]);
  if (r() < 0.5) raw.stream = pick(r, [true, false, null, 'yes', undefined]);
  if (r() < 0.15) raw[pick(r, ['temperature', 'n', 'frobnicate', 'metadata'])] = pick(r, [0, 1, 2, undefined, { a: '1' }]);
  return raw;
}

describe('readPlainChatRequest', () => {
  it('gives what the schema gives, key order included, or leaves the request to the schema', () => {
    const r = prng(11);
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      const raw = randomRequest(r);
      const fast = readPlainChatRequest(raw, LIMIT_CHARS, LIMIT_MESSAGES);
      const schema = viaSchema(raw);
      if (fast !== undefined) {
        plain++;
        expect(fast).toEqual(schema);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(schema));
      }
      expect(viaParse(raw)).toEqual(schema);
    }
    // The generator reaches both paths often enough for the comparison to mean something.
    expect(plain).toBeGreaterThan(500);
    expect(plain).toBeLessThan(2500);
  });

  it('takes a plain conversation', () => {
    const raw = {
      model: 'gpt-x',
      stream: null,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { name: 'ann', content: 'hi', role: 'user' },
        { role: 'assistant', content: 'Hello.' },
      ],
    };
    expect(readPlainChatRequest(raw, 100, 10)).toEqual({
      model: 'gpt-x',
      stream: false,
      params: {},
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi', name: 'ann' },
        { role: 'assistant', content: 'Hello.' },
      ],
    });
  });

  it.each([
    ['a sampling option', { temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] }],
    ['a tool message', { messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] }],
    ['content parts', { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }],
    ['an unknown key in a message', { messages: [{ role: 'user', content: 'hi', cache_control: {} }] }],
    ['an empty name', { messages: [{ role: 'user', content: 'hi', name: '' }] }],
    ['a lone surrogate', { messages: [{ role: 'user', content: '\uDE00' }] }],
    ['a message over the limit', { messages: [{ role: 'user', content: 'x'.repeat(101) }] }],
    ['no messages', { messages: [] }],
  ])('leaves %s to the schema', (_name, raw) => {
    expect(readPlainChatRequest(raw, 100, 10)).toBeUndefined();
  });
});
