import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Where WebAssembly is missing (or an embedder forbids it), the kernels' JavaScript reference
 * paths run instead, with the same results. The modules read the global once, when loaded, so
 * each case loads fresh copies with the global removed.
 */
const texts = readFileSync(new URL('../../classifiers/train/data/requests_everyday.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { text: string }).text);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

async function withoutWebAssembly<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  vi.stubGlobal('WebAssembly', undefined);
  return load();
}

describe('without WebAssembly', () => {
  it('the lexicon scans exactly as with it', async () => {
    const withKernel = await import('./lexicon/index.js');
    const expected = texts.map((t) => withKernel.getDefaultLexiconClassifier().scan(t));
    const lexicon = await withoutWebAssembly(() => import('./lexicon/index.js'));
    const { TextNormaliser } = await import('./lexicon/normalise-text.js');
    expect(new TextNormaliser().wasm).toBeUndefined();
    const classifier = lexicon.createLexiconClassifier();
    expect(texts.map((t) => classifier.scan(t))).toEqual(expected);
  });

  it('the linear model scores exactly as with it', async () => {
    const withKernel = await import('./linear/index.js');
    const expected = texts.map((t) => Array.from(withKernel.createLinearClassifier().probabilitiesSync(t)));
    const linear = await withoutWebAssembly(() => import('./linear/index.js'));
    const { createWasmProjector } = await import('./linear/wasm-projector.js');
    const { loadLinearModel } = await import('./linear/load-linear-model.js');
    const { createFeatureHasher } = await import('./linear/feature-hasher.js');
    const model = loadLinearModel();
    expect(createWasmProjector(model, createFeatureHasher(model.features))).toBeUndefined();
    const classifier = linear.createLinearClassifier();
    expect(texts.map((t) => Array.from(classifier.probabilitiesSync(t)))).toEqual(expected);
  });
});
