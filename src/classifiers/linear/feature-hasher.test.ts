import { describe, expect, it } from 'vitest';
import { createFeatureHasher, fmix32, hash32 } from './feature-hasher.js';
import { DEFAULT_FEATURE_SETTINGS, type FeatureSettings } from './feature-settings.js';
import { LinearModelError } from './linear-model-error.js';
import { createSeededRandom } from '../../util/seeded-random.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = (FNV_OFFSET ^ 0x5bd1e995) | 0;

/** A slow, substring-building reference of the documented feature scheme. */
function referenceVector(text: string, s: FeatureSettings): Map<number, number> {
  const fnv = (str: string, seed: number): number => {
    let h = seed | 0;
    for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), FNV_PRIME);
    return h;
  };
  const norm = text.normalize('NFKC').toLowerCase().replace(/['’`]/g, '').replace(/[^a-z0-9\u00c0-\u1fff]+/g, ' ').trim();
  const padded = norm === '' ? '' : ` ${norm} `;
  const mask = 2 ** s.bucketBits - 1;
  const counts = new Map<number, number>();
  const add = (f: number, w: number): void => {
    const b = f & mask;
    counts.set(b, (counts.get(b) ?? 0) + (f < 0 ? -w : w));
  };
  for (let i = 0; i < padded.length; i++) {
    for (let n = s.charNgramMin; n <= s.charNgramMax && s.charNgramMax > 0; n++) {
      if (i + n <= padded.length) add(fmix32(fnv(padded.slice(i, i + n), FNV_OFFSET)), 1);
    }
  }
  const words = norm === '' ? [] : norm.split(' ');
  let prev: number | undefined;
  for (const w of words) {
    const h = fnv(w, WORD_SEED);
    if (s.wordNgramMax > 0) add(fmix32(h), s.wordWeight);
    if (s.wordNgramMax > 1 && prev !== undefined) add(fmix32(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x7f4a7c15), s.wordWeight);
    prev = h;
  }
  const out = new Map<number, number>();
  let sumSq = 0;
  for (const [b, c] of counts) {
    if (c === 0) continue; // features whose signed hashes cancelled carry nothing
    const v = s.tf === 'binary' ? Math.sign(c) : Math.sign(c) * Math.log1p(Math.abs(c));
    out.set(b, v);
    sumSq += v * v;
  }
  for (const [b, v] of out) out.set(b, sumSq > 0 ? v / Math.sqrt(sumSq) : 0);
  return out;
}

function vectorOf(text: string, settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS): Map<number, number> {
  const hasher = createFeatureHasher(settings);
  const n = hasher.vectorize(text);
  const out = new Map<number, number>();
  for (let k = 0; k < n; k++) out.set(hasher.indices[k]!, hasher.values[k]!);
  return out;
}

function expectSameVector(actual: Map<number, number>, expected: Map<number, number>): void {
  expect([...actual.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
  for (const [b, v] of expected) expect(actual.get(b)).toBeCloseTo(v, 6);
}

describe('feature hasher', () => {
  it('keeps its hash function stable across versions (models depend on it)', () => {
    expect(hash32('')).toBe(fmix32(FNV_OFFSET | 0));
    // Pinned from an independent implementation (Python), whose FNV-1a gives the published 0xbf9cf968 for "foobar".
    expect(hash32('abc') >>> 0).toBe(0x1cc93dbc);
    expect(hash32('sexual') >>> 0).toBe(0xa8e639e2);
  });

  it('matches a substring-building reference implementation', () => {
    for (const text of ['Hello world, hello!', "Don't   STOP\tme now", 'naïve café ｆｕｌｌ width', 'a', '']) {
      expectSameVector(vectorOf(text), referenceVector(text, DEFAULT_FEATURE_SETTINGS));
    }
    const small: FeatureSettings = { bucketBits: 6, charNgramMin: 2, charNgramMax: 3, wordNgramMax: 1, wordWeight: 3, tf: 'binary' };
    expectSameVector(vectorOf('the cat sat on the mat', small), referenceVector('the cat sat on the mat', small));
  });

  it('matches the reference on random ASCII text (the branch-free ASCII path) and with a non-ASCII char added', () => {
    const rnd = createSeededRandom(7);
    const alphabet = "abcXYZ09 '`.,!?-_\t\n\"@#";
    for (let round = 0; round < 200; round++) {
      let text = '';
      const len = Math.floor(rnd() * 60);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      expectSameVector(vectorOf(text), referenceVector(text, DEFAULT_FEATURE_SETTINGS));
      expectSameVector(vectorOf(`${text}é`), referenceVector(`${text}é`, DEFAULT_FEATURE_SETTINGS));
    }
  });

  it('is deterministic and independent of the previous call', () => {
    const hasher = createFeatureHasher(DEFAULT_FEATURE_SETTINGS);
    const first = vectorOf('The quick brown fox');
    hasher.vectorize('something else entirely, much longer than the first text '.repeat(20));
    const n = hasher.vectorize('The quick brown fox');
    const again = new Map<number, number>();
    for (let k = 0; k < n; k++) again.set(hasher.indices[k]!, hasher.values[k]!);
    expectSameVector(again, first);
  });

  it('normalises case, width and whitespace', () => {
    expectSameVector(vectorOf('HELLO   World'), vectorOf('hello world'));
    expectSameVector(vectorOf('ｈｅｌｌｏ world'), vectorOf('hello world'));
  });

  it('produces unit-length vectors', () => {
    const v = vectorOf('Some ordinary sentence about gardening and the weather.');
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('handles empty text, lone surrogates and a 1 MB text without NaN', () => {
    const hasher = createFeatureHasher(DEFAULT_FEATURE_SETTINGS);
    expect(hasher.vectorize('')).toBe(0);
    expect(hasher.vectorize('  \n\t ')).toBe(0);
    for (const text of ['broken \ud800 text \udfff end \ud83d', 'x'.repeat(1 << 20), 'word '.repeat(200_000)]) {
      const n = hasher.vectorize(text);
      expect(n).toBeGreaterThan(0);
      let sumSq = 0;
      for (let k = 0; k < n; k++) {
        expect(Number.isFinite(hasher.values[k]!)).toBe(true);
        sumSq += hasher.values[k]! ** 2;
      }
      expect(sumSq).toBeCloseTo(1, 4);
    }
  });

  it('gives Han, Kana and Hangul text one feature per character and per adjacent pair', () => {
    const cjkOnly: FeatureSettings = { bucketBits: 20, charNgramMin: 0, charNgramMax: 0, wordNgramMax: 0, wordWeight: 1, tf: 'binary', cjkNgramMax: 2 };
    expect(vectorOf('我讨厌你', cjkOnly).size).toBe(4 + 3);
    expect(vectorOf('我讨厌你', { ...cjkOnly, cjkNgramMax: 1 }).size).toBe(4);
    // Anything that is not Han/Kana/Hangul breaks a pair: 讨厌 is the only pair here.
    expect(vectorOf('我 讨厌, 你', cjkOnly).size).toBe(4 + 1);
    expect(vectorOf('안녕하세요', cjkOnly).size).toBe(5 + 4);
    // Half-width Katakana is folded to full width first; repeated chars and pairs count once.
    expect(vectorOf('ｶﾀｶﾅ', cjkOnly)).toEqual(vectorOf('カタカナ', cjkOnly));
    expect(vectorOf('カタカナ', cjkOnly).size).toBe(3 + 3);
    // No features from Latin, Cyrillic or Arabic letters.
    expect(vectorOf('hello привет مرحبا', cjkOnly).size).toBe(0);
  });

  it('lets texts that share a Chinese word share a feature, and leaves other scripts as they were', () => {
    const withCjk = vectorOf('他们都是垃圾啊');
    const shared = [...vectorOf('垃圾东西').keys()].filter((b) => withCjk.has(b));
    expect(shared.length).toBeGreaterThan(0);
    const without = { ...DEFAULT_FEATURE_SETTINGS, cjkNgramMax: 0 };
    expect([...vectorOf('垃圾东西', without).keys()].filter((b) => vectorOf('他们都是垃圾啊', without).has(b))).toEqual([]);
    for (const text of ['Hello world', 'naïve café', 'привет мир', '']) expectSameVector(vectorOf(text), vectorOf(text, without));
  });

  it('rejects invalid settings', () => {
    expect(() => createFeatureHasher({ ...DEFAULT_FEATURE_SETTINGS, cjkNgramMax: 3 })).toThrow(LinearModelError);
    expect(() => createFeatureHasher({ ...DEFAULT_FEATURE_SETTINGS, bucketBits: 40 })).toThrow(LinearModelError);
    expect(() => createFeatureHasher({ ...DEFAULT_FEATURE_SETTINGS, charNgramMin: 6, charNgramMax: 3 })).toThrow(LinearModelError);
  });
});
