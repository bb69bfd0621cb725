import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { createFeatureHasher, type FeatureHasher } from './feature-hasher.js';
import type { FeatureSettings } from './feature-settings.js';
import { createLinearScorer } from './linear-scorer.js';
import type { LinearModel } from './linear-model.js';
import { loadLinearModel } from './load-linear-model.js';
import { createWasmProjector, kernelSupports } from './wasm-projector.js';

const model = loadLinearModel();

/** Committed training requests: real prose, punctuation and apostrophes. */
const requestTexts = ['requests_benign.jsonl', 'requests_adult.jsonl'].flatMap((f) =>
  readFileSync(new URL(`../../../classifiers/train/data/${f}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text),
);

const PIECES = ['the', 'kill', "don't", 'SEX', 'ünïcödé', 'ﬁne', '日本語', '😀', 'a', '  ', '\n', '!!!', '12yo', 'k1ll', 'Ⅻ', '’', '\u200b', 'soooo', '-'];
/** Random texts mixing words, case, non-ASCII (NFKC-changing ones too), emoji and separators. */
function randomTexts(count: number, seed: number): string[] {
  const rnd = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    const words = Math.floor(rnd() * 80);
    let t = '';
    for (let i = 0; i < words; i++) t += PIECES[Math.floor(rnd() * PIECES.length)]! + (rnd() < 0.8 ? ' ' : '');
    return t;
  });
}

/** Float64 results compared bit for bit (Object.is also tells 0 from -0). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(Array.from(a)).toEqual(Array.from(b));
  for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i])).toBe(true);
}

describe('WebAssembly projector', () => {
  it('runs on this Node for the shipped model', () => {
    expect(kernelSupports(model)).toBe(true);
    expect(createWasmProjector(model, createFeatureHasher(model.features))).toBeDefined();
  });

  it('gives bit-identical logits to the JavaScript reference', () => {
    const wasm = createLinearScorer(model);
    const js = createLinearScorer(model, { kernel: 'js' });
    const texts = [...requestTexts, ...randomTexts(2000, 7), '', ' ', '!!!', 'a', "don't"];
    for (const t of texts) expectSameBits(wasm.logits(t).slice(), js.logits(t).slice());
    expect(texts.length).toBeGreaterThan(2300);
  });

  it('normalises every UTF-16 code unit as the JavaScript reference does, lone surrogates and apostrophes included', () => {
    const wasm = createLinearScorer(model);
    const js = createLinearScorer(model, { kernel: 'js' });
    // Each code unit between letters, 64 to a text: word chars, separators, apostrophes, NFKC
    // expansions, CJK, and lone halves of surrogate pairs all meet the kernel's normaliser.
    for (let from = 0; from < 0x10000; from += 64) {
      let t = 'ab ';
      for (let c = from; c < from + 64; c++) t += `x${String.fromCharCode(c)}y${c % 3 === 0 ? ' ' : ''}`;
      expectSameBits(wasm.logits(t).slice(), js.logits(t).slice());
      expectSameBits(wasm.logits(t.toUpperCase()).slice(), js.logits(t.toUpperCase()).slice());
    }
    // ASCII only (read as bytes by the kernel), every char.
    let ascii = '';
    for (let c = 0; c < 128; c++) ascii += `${String.fromCharCode(c)}q${c % 5 === 0 ? "'" : ''}`;
    expectSameBits(wasm.logits(ascii).slice(), js.logits(ascii).slice());
  });

  it('grows its memory for long texts and stays exact afterwards', () => {
    const wasm = createLinearScorer(model);
    const js = createLinearScorer(model, { kernel: 'js' });
    const long = requestTexts.join(' ').repeat(8);
    expect(long.length).toBeGreaterThan(200_000);
    for (const t of [long, 'short one', long.slice(0, 5000), 'another short one']) {
      expectSameBits(wasm.logits(t).slice(), js.logits(t).slice());
    }
  });

  it('hands counts beyond its log table to the JavaScript path', () => {
    const wasm = createLinearScorer(model);
    const js = createLinearScorer(model, { kernel: 'js' });
    const repeated = 'spam '.repeat(6000) + 'and then something else';
    expectSameBits(wasm.logits(repeated).slice(), js.logits(repeated).slice());
    // And the kernel's counts were left clean: the next text scores as it does alone.
    expectSameBits(wasm.logits('a quiet sentence').slice(), js.logits('a quiet sentence').slice());
  });

  /** The kernel's projector over a JS hasher that records which texts it was handed. */
  function spied(m: LinearModel, maxChars?: number): { project: (t: string, out: Float64Array) => number; handedBack: string[] } {
    const real = createFeatureHasher(m.features);
    const handedBack: string[] = [];
    const hasher: FeatureHasher = Object.create(real) as FeatureHasher;
    hasher.project = (text, weights, out) => {
      handedBack.push(text);
      return real.project(text, weights, out);
    };
    const projector = createWasmProjector(m, hasher, maxChars != null ? { maxChars } : {});
    if (!projector) throw new Error('no kernel');
    return { project: (t, out) => projector.project(t, out), handedBack };
  }

  it('computes ordinary texts itself, with the same feature count as the JavaScript path', () => {
    const { project, handedBack } = spied(model);
    const reference = createFeatureHasher(model.features);
    const weights = { heads: model.heads.length, codes: model.codes, codebooks: model.codebooks };
    const a = new Float64Array(9);
    const b = new Float64Array(9);
    const texts = [...requestTexts.slice(0, 200), ...randomTexts(300, 9)];
    for (const t of texts) {
      expect(project(t, a)).toBe(reference.project(t, weights, b));
      expectSameBits(a, b);
    }
    // The kernel has no Han/Kana/Hangul features: the model's (cjkNgramMax) send those texts to JavaScript, and only those.
    expect(model.features.cjkNgramMax).toBe(2);
    expect(handedBack).toEqual(texts.filter((t) => t.includes('日本語')));
    expect(handedBack.length).toBeLessThan(texts.length / 2);
  });

  it('is exact for every feature setting it accepts', () => {
    const base: Array<Partial<FeatureSettings>> = [{ tf: 'binary' }, { wordNgramMax: 0 }, { wordNgramMax: 1 }, { wordWeight: 1 }, { tf: 'binary', wordNgramMax: 0 }];
    const variants = base.map((v): Partial<FeatureSettings> => ({ ...v, cjkNgramMax: 0 }));
    const texts = [...requestTexts.slice(0, 50), ...randomTexts(200, 13)];
    for (const v of variants) {
      const m: LinearModel = { ...model, features: { ...model.features, ...v } };
      expect(kernelSupports(m)).toBe(true);
      const { project, handedBack } = spied(m);
      const reference = createFeatureHasher(m.features);
      const weights = { heads: m.heads.length, codes: m.codes, codebooks: m.codebooks };
      const a = new Float64Array(9);
      const b = new Float64Array(9);
      for (const t of texts) {
        expect(project(t, a), JSON.stringify(v)).toBe(reference.project(t, weights, b));
        expectSameBits(a, b);
      }
      expect(handedBack).toEqual([]);
    }
  });

  it('hands texts longer than its limit, before or after NFKC, to JavaScript, and stays exact', () => {
    // The limit is above the memory it starts with (4,096 chars): these texts would make it grow.
    const { project, handedBack } = spied(model, 6000);
    // U+FDFA is one char that NFKC spells out in 18: 320 of them (640 chars) normalise to ~6,100.
    const expanding = '\ufdfa '.repeat(320);
    const long = 'a fairly ordinary sentence. '.repeat(220);
    const fits = 'a fairly ordinary sentence. '.repeat(200);
    const reference = createFeatureHasher(model.features);
    const weights = { heads: model.heads.length, codes: model.codes, codebooks: model.codebooks };
    const a = new Float64Array(9);
    const b = new Float64Array(9);
    for (const t of [expanding, long, fits, 'and then a short one']) {
      expect(project(t, a)).toBe(reference.project(t, weights, b));
      expectSameBits(a, b);
    }
    expect(handedBack).toEqual([expanding, long]);
  });

  it('is not used for feature settings it does not compute', () => {
    const other: LinearModel = { ...model, features: { ...model.features, charNgramMin: 3, charNgramMax: 5 } };
    expect(kernelSupports(other)).toBe(false);
    expect(createWasmProjector(other, createFeatureHasher(other.features))).toBeUndefined();
  });
});
