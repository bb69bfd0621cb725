import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { compileLexicon } from './compile-lexicon.js';
import { loadLexicons } from './load-lexicons.js';

const lexicons = loadLexicons();
/** A blocklist phrase longer than any shipped term, so it sets how far back the second half starts. */
const LONG_PHRASE = 'one two three four five six seven eight nine ten eleven twelve thirteen';
const blocklists = [{ id: 'long', terms: [LONG_PHRASE, 'acme*', '*corp'] }];
const split = compileLexicon(lexicons, blocklists);
const whole = compileLexicon(lexicons, blocklists, { splitWalk: false });

/** Every written term and context term of the shipped lexicons. */
const terms = lexicons.flatMap((l) => [
  ...l.terms.flatMap((t) => (Array.isArray(t.term) ? t.term : [t.term])),
  ...Object.values(l.contexts ?? {}).flatMap((c) => c.terms),
  ...Object.values(l.groups ?? {}).flatMap((g) => g.flatMap((t) => (Array.isArray(t.term) ? t.term : [t.term]))),
]);
const FILLER = [LONG_PHRASE, 'acmeware', 'megacorp', 'the', 'a', 'and', 'you', 'it', 'process', 'sooo', 'k1ll', 'f.u.c.k', 's e x', '12 yo', 'ass', 'class', '\n', '...', 'ü'];
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

  it('finds a long phrase wherever it sits relative to the seam', () => {
    let found = 0;
    for (const phrase of [LONG_PHRASE, 'how many acetaminophen does it take to die']) {
      for (let total = 200; total < 330; total += 3) {
        for (let at = 0; at + phrase.length < total; at += 2) {
          const t = 'qwerty '.repeat(60).slice(0, at) + ' ' + phrase + ' ' + 'zxcvb '.repeat(60).slice(0, total - at - phrase.length);
          const a = split.scan(t);
          expect(a).toEqual(whole.scan(t));
          if (a.evidence.length > 0) found++;
        }
      }
    }
    expect(found).toBeGreaterThan(3000);
  });

  it('is the same on a text long enough to be scanned in segments', () => {
    const long = texts(40, 21).join('\n');
    expect(long.length).toBeGreaterThan(40_000);
    expect(split.scan(long)).toEqual(whole.scan(long));
  });

  it('is the same at every cut of one text (each length moves the seam)', () => {
    const [text] = texts(1, 5);
    for (let len = 100; len <= 1200; len += 7) {
      const t = text!.slice(0, len);
      expect(split.scan(t)).toEqual(whole.scan(t));
    }
  });
});
