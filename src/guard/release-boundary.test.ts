import { describe, expect, it } from 'vitest';
import { releaseBoundary } from './release-boundary.js';
import { createSeededRandom } from '../util/seeded-random.js';

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });
const boundaries = (segmenter: Intl.Segmenter, text: string): Set<number> => new Set([...[...segmenter.segment(text)].map((s) => s.index), text.length]);

describe('releaseBoundary', () => {
  it('stops before a word the limit cuts', () => {
    const text = 'Once upon a time there was a forbidden tale';
    expect(text.slice(0, releaseBoundary(text, 0, 14))).toBe('Once upon a ');
    expect(text.slice(0, releaseBoundary(text, 0, 12))).toBe('Once upon a ');
    expect(releaseBoundary(text, 5, 7)).toBe(5);
  });

  it('cuts CJK text without spaces between words', () => {
    const text = '我们今天去公园散步，然后吃午饭。';
    const b = releaseBoundary(text, 0, 5);
    expect(b).toBeGreaterThan(0);
    expect(boundaries(WORDS, text).has(b)).toBe(true);
  });

  it('never splits a grapheme cluster or a surrogate pair, over many texts and limits', () => {
    const random = createSeededRandom(11);
    const atoms = ['word ', 'x', '👍🏽', '👨‍👩‍👧', 'é', 'e\u0301', '😀', ' ', '。', '日本', 'ab'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      while (text.length < 120) text += atoms[Math.floor(random() * atoms.length)];
      const from = Math.floor(random() * 40);
      const to = from + Math.floor(random() * 80);
      const b = releaseBoundary(text, from, to);
      expect(b).toBeGreaterThanOrEqual(from);
      expect(b).toBeLessThanOrEqual(Math.max(from, to));
      if (b > from) expect(boundaries(GRAPHEMES, text).has(b)).toBe(true);
    }
  });

  it('cuts a word longer than its reach between graphemes, so a stream of one long token keeps moving', () => {
    const text = 'x'.repeat(300);
    expect(releaseBoundary(text, 0, 200)).toBe(200);
  });

  it('releases everything at the end', () => {
    expect(releaseBoundary('half a wo', 0, 9)).toBe(9);
  });
});
