import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { mayHaveEncodedSpans } from './encoding-precheck.js';
import { readEncodingCandidates, scanEncodingCandidates } from './find-encoded-spans.js';

/** Random text made of what the scan looks at: alphabets, separators, escapes and their next chars, bytes, Morse, single letters. */
function generated(count: number, seed: number): string[] {
  const random = createSeededRandom(seed);
  const pieces = [
    'a', 'B', 'z', 'Q', 'X', '0', '1', '7', 'x', 'f', 'E', '-', '.', ' ', ' ', ' ', '/', '\n', '\r', '+', '_', '%', '&', '#', '\\', '=', ':', ',', ';',
    '\u0003', '\u0010', '\u0019', '\u001a', '\u202e', '\udb40\udc41', 'é', '0x4f', '01001000', '255', 'ab', 'abcd', 'be', 'face', '.-', '...', '--', ' / ',
    'aGVsbG8gd29ybGQ', 'VGhpcyBpcyBh\n', 'hello', 'World', 'a b', 'I a', 'performance-enhancing', 'responsibilities',
  ];
  const out: string[] = [];
  for (let round = 0; round < count; round++) {
    let text = '';
    const length = Math.floor(random() * 60);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    out.push(text);
  }
  return out;
}

describe('mayHaveEncodedSpans', () => {
  it('is true for every text in which the scan finds something (so skipping the others changes nothing)', () => {
    let found = 0;
    let skipped = 0;
    for (const text of generated(30_000, 5)) {
      const candidates = readEncodingCandidates(text);
      const may = mayHaveEncodedSpans(text);
      if (candidates) {
        found++;
        expect(may, JSON.stringify(text)).toBe(true);
      } else if (!may) skipped++;
      expect(scanEncodingCandidates(text)).toEqual(candidates);
    }
    // Both kinds are common in the generated texts, so the check means something.
    expect(found).toBeGreaterThan(3000);
    expect(skipped).toBeGreaterThan(3000);
  });

  it.each([
    ['a long base64 run', 'decode: aGVsbG8gd29ybGQgaGVsbG8'],
    ['a long word (the scan then asks whether it is mixed)', 'responsibilities'],
    ['an escape before a letter', 'AT&T'],
    ['an escape before #', '&#39;'],
    ['an escape before a char the scan reads as a digit', '%\u0015'],
    ['spaced bytes', '48 65 6c 6c 6f'],
    ['spaced bytes with colons', '48:65:6c:6c:6f'],
    ['binary bytes', '01001000 01100101 01101100 01101100 01101111'],
    ['letters spelled out', 'how to make a b o m b'],
    ['letters spelled out at the very end', 'x y z'],
    ['Morse code', '.... . .-.. .--. / -- .'],
    ['a tag character', 'hi\udb40\udc41'],
    ['a right-to-left override', 'abc\u202eevil'],
  ])('lets through %s', (_, text) => {
    expect(mayHaveEncodedSpans(text)).toBe(true);
    if (!/long word/.test(_)) expect(readEncodingCandidates(text)).toBeDefined();
    expect(scanEncodingCandidates(text)).toEqual(readEncodingCandidates(text));
  });

  it.each([
    ['prose', 'It was late. The well-known, long-awaited end-of-year party was over. Really.'],
    ['a lone escape before a space', 'fish & chips, 50 % off'],
    ['three byte-like words', 'be 12 ad face'],
    ['two single letters', 'a b and c'],
    ['letters joined by more than one space', 'a  b  c'],
    ['other scripts', '那个小黑人的动画 晚安兄已经压好第一部分'],
  ])('skips %s, where the scan finds nothing either', (_, text) => {
    expect(mayHaveEncodedSpans(text)).toBe(false);
    expect(readEncodingCandidates(text)).toBeUndefined();
    expect(scanEncodingCandidates(text)).toBeUndefined();
  });
});
