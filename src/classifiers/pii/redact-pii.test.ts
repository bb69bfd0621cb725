import { describe, expect, it } from 'vitest';
import type { Evidence } from '../classifier.js';
import { createPiiClassifier } from './create-pii-classifier.js';
import { redactPii } from './redact-pii.js';

const ev = (start: number, end: number, match: string): Evidence => ({ category: 'pii', start, end, match, source: 'pii' });

describe('redactPii', () => {
  it('replaces detected items with typed placeholders', async () => {
    const text = 'Mail jane@example.com or call +1 415 555 2671, card 4111 1111 1111 1111.';
    const outcome = await createPiiClassifier().classify({ text, stage: 'output' });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(redactPii(text, outcome.evidence ?? [])).toBe('Mail [EMAIL] or call [PHONE], card [CARD_NUMBER].');
  });

  it('merges overlapping and touching spans so no fragment survives', () => {
    const text = 'abc 0123456789 xyz';
    expect(redactPii(text, [ev(4, 10, 'phone'), ev(8, 14, 'payment_card')])).toBe('abc [PHONE] xyz');
    expect(redactPii(text, [ev(4, 8, 'phone'), ev(8, 14, 'phone')])).toBe('abc [PHONE] xyz');
  });

  it('accepts a fixed or computed replacement and clips spans outside the text', () => {
    const text = 'id 12345';
    expect(redactPii(text, [ev(3, 8, 'phone')], { replacement: '***' })).toBe('id ***');
    expect(redactPii(text, [ev(3, 8, 'phone')], { replacement: (e) => `<${e.match}>` })).toBe('id <phone>');
    expect(redactPii(text, [ev(3, 99, 'street_address'), ev(-5, -1, 'email')])).toBe('id [ADDRESS]');
    expect(redactPii(text, [ev(0, 2, 'lexicon-term')])).toBe('[REDACTED] 12345');
    expect(redactPii(text, [])).toBe(text);
  });
});
