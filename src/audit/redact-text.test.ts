import { describe, expect, it } from 'vitest';
import { redactText } from './redact-text.js';

describe('redactText', () => {
  it('replaces evidence spans by their category, merging overlaps', () => {
    const text = 'you are a total idiot and a jerk';
    const out = redactText(text, [
      { category: 'harassment', start: 10, end: 21, match: 'total idiot', source: 'lexicon' },
      { category: 'profanity', start: 16, end: 21, match: 'idiot', source: 'lexicon' },
      { category: 'harassment', start: 28, end: 32, match: 'jerk', source: 'lexicon' },
    ]);
    expect(out).toBe('you are a [harassment] and a [harassment]');
  });

  it('masks e-mail addresses and long numbers nobody flagged', () => {
    expect(redactText('card 4111 1111 1111 1111, mail a.b@c.org, room 12', [])).toBe('card [number], mail [email], room 12');
  });

  it('ignores spans outside the text', () => {
    expect(redactText('short', [{ category: 'pii', start: 10, end: 20, match: 'x', source: 's' }])).toBe('short');
  });
});
