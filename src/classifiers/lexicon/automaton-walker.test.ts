import { describe, expect, it } from 'vitest';
import { buildAutomaton } from './aho-corasick.js';
import { createAutomatonWalker } from './automaton-walker.js';
import { createSeededRandom } from '../../util/seeded-random.js';

const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Every (key, end index) in `text`, by brute force. */
function naive(keys: string[], text: string): string[] {
  const found: string[] = [];
  keys.forEach((k, id) => {
    for (let i = text.indexOf(k); i >= 0; i = text.indexOf(k, i + 1)) found.push(`${id}@${i + k.length - 1}`);
  });
  return found.sort();
}

/** The walker's visits, checked to come in increasing order, expanded to (key, end index). */
function walked(keys: string[], text: string, split: boolean): string[] {
  const a = buildAutomaton(keys.map(codes), 0x20);
  const walker = createAutomatonWalker(a, { maxKeyLength: Math.max(...keys.map((k) => k.length)), split });
  const found: string[] = [];
  let last = -1;
  walker.walk(Uint16Array.from(codes(text)), text.length, (state, i) => {
    expect(i).toBeGreaterThan(last);
    last = i;
    for (let s = state; s !== -1; s = a.dictionaryLink[s]!) if (a.ownKey[s]! >= 0) found.push(`${a.ownKey[s]}@${i}`);
  });
  return found.sort();
}

describe('createAutomatonWalker', () => {
  it('finds in two halves exactly what one walk finds, at every stream length (odd and even)', () => {
    const random = createSeededRandom(3);
    const rand = (n: number): number => Math.floor(random() * n);
    const word = (min: number, max: number): string => Array.from({ length: min + rand(max - min + 1) }, () => 'ab c'[rand(4)]).join('');
    let visits = 0;
    for (let round = 0; round < 40; round++) {
      const keys = [...new Set([...Array.from({ length: 1 + rand(10) }, () => word(1, 6)), word(20, 40)])];
      // Keys (the long one too) sown through random filler, so some straddle every seam.
      let base = '';
      while (base.length < 400) base += random() < 0.5 ? keys[rand(keys.length)] : word(1, 8);
      for (let len = 100; len <= 400; len += 1 + rand(5)) {
        const text = base.slice(0, len);
        const expected = naive(keys, text);
        expect(walked(keys, text, false)).toEqual(expected);
        expect(walked(keys, text, true)).toEqual(expected);
        visits += expected.length;
      }
    }
    expect(visits).toBeGreaterThan(10_000);
  });

  it('finds a key that ends on the last char of a stream split unevenly', () => {
    // len + maxKeyLength odd: the second half is one char longer than the first.
    const keys = ['xy', 'q'.repeat(9)];
    for (const len of [151, 152, 153]) {
      const text = 'a'.repeat(len - 2) + 'xy';
      expect(walked(keys, text, true)).toEqual([`0@${len - 1}`]);
    }
  });
});
