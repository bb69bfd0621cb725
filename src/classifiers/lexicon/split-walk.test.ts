import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { compileLexicon } from './compile-lexicon.js';
import { loadLexicons } from './load-lexicons.js';

const lexicons = loadLexicons();
const split = compileLexicon(lexicons);
const whole = compileLexicon(lexicons, [], { splitWalk: false });

/** Every written term and context term of the shipped lexicons. */
const terms = lexicons.flatMap((l) => [
  ...l.terms.flatMap((t) => (Array.isArray(t.term) ? t.term : [t.term])),
  ...Object.values(l.contexts ?? {}).flatMap((c) => c.terms),
  ...Object.values(l.groups ?? {}).flatMap((g) => g.flatMap((t) => (Array.isArray(t.term) ? t.term : [t.term]))),
]);
const FILLER = ['the', 'a', 'and', 'you', 'it', 'process', 'sooo', 'k1ll', 'f.u.c.k', 's e x', '12 yo', 'ass', 'class', '\n', '...', 'ü'];
const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '\n', '-', ''];

/** Texts dense in terms, long enough that the scanner walks them in two halves. */
function texts(count: number, seed: number): string[] {
  const rnd = createSeededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const target = 200 + Math.floor(rnd() * 3000);
    let t = '';
    while (t.length < target) t += (rnd() < 0.4 ? pick(terms) : pick(FILLER)) + pick(SEPARATORS);
    return t;
  });
}

describe('split walk', () => {
  it('finds exactly what the one-piece walk finds, hits at the seam included', () => {
    let hits = 0;
    for (const text of texts(400, 11)) {
      const a = split.scan(text);
      expect(a).toEqual(whole.scan(text));
      hits += a.evidence.length;
    }
    expect(hits).toBeGreaterThan(4000);
  });

  it('is the same at every cut of one text (each length moves the seam)', () => {
    const [text] = texts(1, 5);
    for (let len = 100; len <= 1200; len += 7) {
      const t = text!.slice(0, len);
      expect(split.scan(t)).toEqual(whole.scan(t));
    }
  });
});
