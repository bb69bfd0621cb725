import { describe, expect, it } from 'vitest';
import { scanEncodingCandidates, type Candidates } from './find-encoded-spans.js';

const IN_BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') IN_BASE64[c.charCodeAt(0)] = 1;
const MIN_RUN = 16;
const MIN_MORSE_MARKS = 16;
const MIN_SMALL_ESCAPES = 3;

/**
 * The scan as it was before it read runs only once they end and tested Morse's shape: every
 * flag kept per char.
 */
function referenceScan(text: string): Candidates | undefined {
  let found: Candidates | undefined;
  let smallEscapes = 0;
  let runStart = -1;
  /** The run holds a digit, `+`, `/`, `_`, `-`, or a capital after a small letter: not just a long word. */
  let mixed = false;
  /** Every character of the run so far is a hex digit; a binary digit. */
  let allHex = false;
  let allBits = false;
  let allDigits = false;
  let shortRuns = 0;
  let dotsAndDashes = 0;
  /** Where the last line of the last run found starts (MIME lines are whole 4-character groups). */
  let lastLine = -1;
  let previous = 0;
  const n = text.length;
  // Plain variables and one loop (no closure over them): this runs on every text classified.
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    if (c < 128 && IN_BASE64[c] === 1) {
      if (runStart < 0) {
        runStart = i;
        mixed = false;
        allHex = true;
        allBits = true;
        allDigits = true;
      } else if (!mixed && c >= 0x41 && c <= 0x5a && previous >= 0x61) mixed = true;
      if (c === 0x2d) dotsAndDashes++;
      if (c < 0x30 || c > 0x39) allDigits = false;
      if (c < 0x41 || c === 0x5f) mixed = true;
      if (c !== 0x30 && c !== 0x31) allBits = false;
      // Hex digits, and the `x` of a `0x` prefix.
      if (allHex && !((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) || (c === 0x78 && i === runStart + 1 && previous === 0x30))) allHex = false;
      previous = c;
      continue;
    }
    previous = c;
    if (runStart >= 0) {
      const len = i - runStart;
      const last = found?.runs[found.runs.length - 1];
      // A MIME line break inside base64: the last run found ended one or two characters ago, on
      // whole 4-character groups; this line, however short, goes on with it.
      const gap = last ? runStart - last[1] : 0;
      if (last && (gap === 1 || (gap === 2 && text.charCodeAt(last[1]) === 13)) && text.charCodeAt(runStart - 1) === 10 && (last[1] - lastLine) % 4 === 0) {
        last[1] = i;
        lastLine = runStart;
        shortRuns = 0;
      } else if (len >= MIN_RUN && mixed) {
        found ??= { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
        found.runs.push([runStart, i]);
        lastLine = runStart;
        shortRuns = 0;
      } else if (((len === 2 || len === 4) && allHex) || (len === 3 && allDigits) || (len === 8 && allBits)) {
        // `48 65 6c`, `0x48, 0x65`, `01001000 01100101`: counted while single separators join them.
        if (c === 32 || c === 58 || c === 44 || c === 10) {
          if (++shortRuns >= 4) {
            found ??= { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
            found.spacedBytes = true;
          }
        } else shortRuns = 0;
      } else shortRuns = 0;
      runStart = -1;
    } else if (c !== 32 && c !== 44 && c !== 10 && c !== 58) shortRuns = 0;
    if (c === 0x2e) dotsAndDashes++;
    if (c === 0x25 || c === 0x26 || c === 0x5c) {
      // `%4`, `&#`, `&a`, `\u`, `\x`, `\1`: possibly an escape (the patterns below decide).
      const d = i + 1 < n ? text.charCodeAt(i + 1) | 0x20 : 0;
      if ((d >= 0x61 && d <= 0x7a) || (d >= 0x30 && d <= 0x39) || d === 0x23) smallEscapes++;
    } else if (c === 0xdb40 || c === 0x202e) {
      found ??= { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
      if (c === 0xdb40) found.tags = true;
      else found.rlo = true;
    }
  }
  if (dotsAndDashes >= MIN_MORSE_MARKS) {
    found ??= { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
    found.morse = true;
  }
  if (smallEscapes >= MIN_SMALL_ESCAPES) found ??= { runs: [], smallEscapes: 0, tags: false, rlo: false, spacedBytes: false, morse: false, spacedLetters: false };
  if (found) found.smallEscapes = smallEscapes;
  return found;
}

const SPELLED_BETWEEN_SPACES = /(?:^|\s)[A-Za-z](?: [A-Za-z]){2,}(?=\s|$)/;
const MORSE = /(?:^|(?<=\s))[.-]{1,6}(?:(?: +| *\/ *)[.-]{1,6}){5,}(?=\s|$)/;

/**
 * The same candidates as the reference, but for `morse`: the fast scan also asks for Morse's
 * shape, so it may say false (or find nothing) where the reference said true, never where
 * MORSE matches.
 */
function expectSameCandidates(text: string): void {
  const found = scanEncodingCandidates(text);
  const reference = referenceScan(text);
  const label = JSON.stringify(text);
  if (reference?.morse && MORSE.test(text)) expect(found?.morse, label).toBe(true);
  if (!reference?.morse) expect(found?.morse ?? false, label).toBe(false);
  // Letters spelled out one space apart are a later candidate the reference does not know.
  if (SPELLED_BETWEEN_SPACES.test(text)) expect(found?.spacedLetters, label).toBe(true);
  const rest = (c: Candidates | undefined): object | undefined =>
    c && (c.runs.length > 0 || c.tags || c.rlo || c.spacedBytes || c.smallEscapes >= MIN_SMALL_ESCAPES) ? { ...c, morse: undefined, spacedLetters: undefined } : undefined;
  expect(rest(found), label).toEqual(rest(reference));
}

describe('scanEncodingCandidates', () => {
  it('finds what the per-char scan found, on random text made of the chars it looks at', () => {
    let seed = 12;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = ['a', 'B', 'z', 'Q', '0', '1', '7', 'x', 'f', 'E', '-', '.', ' ', ' ', '/', '\n', '\r', '+', '_', '%', '&', '#', '\\', '=', ':', ',', '\u202e', '\udb40\udc41', 'é', '0x4f', '01001000', '255', 'ab', 'abcd', '.-', '...', '--', ' / ', 'aGVsbG8gd29ybGQ', 'VGhpcyBpcyBh\n', 'hello', 'World'];
    for (let round = 0; round < 5000; round++) {
      let text = '';
      const length = rand(60);
      for (let i = 0; i < length; i++) text += pieces[rand(pieces.length)];
      expectSameCandidates(text);
    }
  });

  it('reads Morse code among sentences with many full stops and hyphens', () => {
    const prose = 'It was late. The well-known, long-awaited end-of-year party was over. Really. ';
    expect(scanEncodingCandidates(prose.repeat(3))).toBeUndefined();
    expect(scanEncodingCandidates(`${prose.repeat(3)}-.- .-`)).toBeUndefined();
    expect(scanEncodingCandidates(`${prose.repeat(3)}.... . .-.. .--. / -- .`)?.morse).toBe(true);
  });
});
