import { describe, expect, it } from 'vitest';
import { decodeLinearModel } from './decode-linear-model.js';
import { encodeLinearModel } from './encode-linear-model.js';
import { createFeatureHasher } from './feature-hasher.js';
import type { FeatureSettings } from './feature-settings.js';
import { CODEBOOK_SIZE, type LinearHead, type LinearModel } from './linear-model.js';
import { LinearModelError } from './linear-model-error.js';
import { createLinearScorer } from './linear-scorer.js';

/** 16 buckets, word unigrams only, binary TF: one word = one feature of value ±1. */
const TINY: FeatureSettings = { bucketBits: 4, charNgramMin: 0, charNgramMax: 0, wordNgramMax: 1, wordWeight: 1, tf: 'binary' };
const HEADS: LinearHead[] = [
  { category: 'sexual', bias: -1, calibration: { method: 'platt', a: 2, b: 0.5 }, threshold: 0.5 },
  { category: 'violence', bias: 0.25, calibration: { method: 'platt', a: 1, b: 0 }, threshold: 0.5 },
];

function tinyModel(): { model: LinearModel; bucketOf: (word: string) => { bucket: number; sign: number } } {
  const hasher = createFeatureHasher(TINY);
  const bucketOf = (word: string): { bucket: number; sign: number } => {
    expect(hasher.vectorize(word)).toBe(1);
    return { bucket: hasher.indices[0]!, sign: Math.sign(hasher.values[0]!) };
  };
  const codebooks = new Float32Array(2 * CODEBOOK_SIZE);
  codebooks[1] = 0.5; // head 0, code 1
  codebooks[2] = -2; // head 0, code 2
  codebooks[CODEBOOK_SIZE + 1] = 3; // head 1, code 1
  const codes = new Uint8Array(16 * 2);
  const apple = bucketOf('apple').bucket;
  const pear = bucketOf('pear').bucket;
  expect(apple).not.toBe(pear);
  codes[apple * 2 + 0] = 1;
  codes[apple * 2 + 1] = 1;
  codes[pear * 2 + 0] = 2;
  const { manifest, weights } = encodeLinearModel({ features: TINY, heads: HEADS, codebooks, codes, weightsFile: 'tiny.bin' });
  return { model: decodeLinearModel(JSON.parse(JSON.stringify(manifest)), weights), bucketOf };
}

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

describe('linear scorer', () => {
  it('computes logits and calibrated probabilities as a hand calculation does', () => {
    const { model, bucketOf } = tinyModel();
    const scorer = createLinearScorer(model);
    expect(scorer.categories).toEqual(['sexual', 'violence']);

    const a = bucketOf('apple').sign;
    let z = scorer.logits('apple');
    expect(z[0]).toBeCloseTo(-1 + a * 0.5, 6);
    expect(z[1]).toBeCloseTo(0.25 + a * 3, 6);

    // Two distinct words, binary TF, L2-normalised: each feature is ±1/√2.
    const p = bucketOf('pear').sign;
    z = scorer.logits('apple pear');
    expect(z[0]).toBeCloseTo(-1 + (a * 0.5 + p * -2) / Math.SQRT2, 5);
    const probs = scorer.probabilities('apple pear');
    expect(probs[0]).toBeCloseTo(sigmoid(2 * (-1 + (a * 0.5 + p * -2) / Math.SQRT2) + 0.5), 5);
    expect(probs[1]).toBeCloseTo(sigmoid(0.25 + (a * 3) / Math.SQRT2), 5);

    // No features: the logits are the bias alone, but no evidence means no score.
    expect(scorer.logits('')[0]).toBe(-1);
    for (const empty of ['', '   ', '?!… --']) expect([...scorer.probabilities(empty)]).toEqual([0, 0]);
    expect(scorer.probabilities('apple')[1]).toBeGreaterThan(0);
  });

  it('gives finite scores on hostile input', () => {
    const scorer = createLinearScorer(tinyModel().model);
    for (const text of ['', '\ud800\udfff\ud800', 'apple '.repeat(200_000)]) {
      for (const v of scorer.probabilities(text)) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    }
  });
});

describe('linear scorer fast path', () => {
  it('gives the same logits as vectorize + a dot product, for nine heads and for other counts', () => {
    const settings: FeatureSettings = { bucketBits: 8, charNgramMin: 2, charNgramMax: 4, wordNgramMax: 2, wordWeight: 2, tf: 'log' };
    for (const heads of [9, 3]) {
      const codebooks = new Float32Array(heads * CODEBOOK_SIZE);
      for (let i = 0; i < codebooks.length; i++) codebooks[i] = i % CODEBOOK_SIZE === 0 ? 0 : Math.sin(i) * 2;
      const codes = new Uint8Array(256 * heads);
      for (let i = 0; i < codes.length; i++) codes[i] = (i * 2654435761) >>> 24;
      const categories = ['sexual', 'sexual/minors', 'hate', 'harassment', 'violence', 'self-harm', 'illicit', 'jailbreak', 'unsafe'] as const;
      const headList: LinearHead[] = categories.slice(0, heads).map((category, i) => ({
        category,
        bias: i / 10,
        calibration: { method: 'platt', a: 1, b: 0 },
        threshold: 0.5,
      }));
      const { manifest, weights } = encodeLinearModel({ features: settings, heads: headList, codebooks, codes, weightsFile: 'w.bin' });
      const scorer = createLinearScorer(decodeLinearModel(manifest, weights));
      const hasher = createFeatureHasher(settings);
      for (const text of ['The quick brown fox jumps over the lazy dog', 'aaa aaa aaa bbb', '']) {
        const n = hasher.vectorize(text);
        const z = scorer.logits(text);
        for (let h = 0; h < heads; h++) {
          let expected = h / 10;
          for (let k = 0; k < n; k++) expected += hasher.values[k]! * codebooks[h * CODEBOOK_SIZE + codes[hasher.indices[k]! * heads + h]!]!;
          expect(z[h], `${heads} heads, head ${h}, ${JSON.stringify(text)}`).toBeCloseTo(expected, 5);
        }
      }
    }
  });
});

describe('linear model encoding', () => {
  it('round-trips and derives a version from the content', () => {
    const { model } = tinyModel();
    const again = encodeLinearModel({ ...model, weightsFile: 'tiny.bin' });
    const decoded = decodeLinearModel(again.manifest, again.weights);
    expect(decoded.version).toBe(model.version);
    expect(decoded.version).toMatch(/^[0-9a-f]{16}$/);
    expect(Array.from(decoded.codes)).toEqual(Array.from(model.codes));
    const changed = encodeLinearModel({ ...model, heads: [{ ...HEADS[0]!, bias: -0.5 }, HEADS[1]!], weightsFile: 'tiny.bin' });
    expect(decodeLinearModel(changed.manifest, changed.weights).version).not.toBe(model.version);
  });

  it('rejects weights that do not match the manifest', () => {
    const { model } = tinyModel();
    const { manifest, weights } = encodeLinearModel({ ...model, weightsFile: 'tiny.bin' });
    const tampered = weights.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decodeLinearModel(manifest, tampered)).toThrow(LinearModelError);
    expect(() => decodeLinearModel(manifest, weights.slice(1))).toThrow(/bytes/);
    expect(() => decodeLinearModel({ ...manifest, format: 'other' }, weights)).toThrow(LinearModelError);
    const twoSexual = { ...manifest, heads: [manifest.heads[0], manifest.heads[0]] };
    expect(() => decodeLinearModel(twoSexual, weights)).toThrow(/two heads/);
  });
});
