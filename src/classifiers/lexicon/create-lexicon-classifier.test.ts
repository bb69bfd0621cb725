import { describe, expect, it } from 'vitest';
import { createLexiconClassifier } from './create-lexicon-classifier.js';
import { getDefaultLexiconClassifier } from './default-lexicon-classifier.js';
import type { ClassifierInput } from '../classifier.js';
import type { Lexicon } from './lexicon-schema.js';

const small: Lexicon = { category: 'profanity', description: 'x', terms: [{ term: 'darn', weight: 0.4 }] };

describe('createLexiconClassifier', () => {
  it('classifies into scores and evidence', async () => {
    const c = createLexiconClassifier({ lexicons: [small] });
    expect(c.id).toBe('lexicon');
    expect(c.categories).toEqual(['profanity']);
    const out = await c.classify({ text: 'oh DARN it', stage: 'input' });
    expect(out).toMatchObject({ status: 'ok', scores: { profanity: 0.4 }, evidence: [{ category: 'profanity', start: 3, end: 7, match: 'darn', source: 'lexicon' }] });
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('scores 0 rather than leaving a category out', async () => {
    const out = await createLexiconClassifier({ lexicons: [small] }).classify({ text: 'fine', stage: 'output' });
    expect(out).toMatchObject({ status: 'ok', scores: { profanity: 0 }, evidence: [] });
  });

  it('scores policy blocklists as `blocklist` with the list id', async () => {
    const c = createLexiconClassifier({ lexicons: [], blocklists: [{ id: 'rivals', terms: ['globex'] }] });
    expect(c.categories).toEqual(['blocklist']);
    const out = await c.classify({ text: 'Try Globex!', stage: 'input' });
    expect(out).toMatchObject({ status: 'ok', scores: { blocklist: 1 }, evidence: [{ category: 'blocklist', list: 'rivals', match: 'globex', start: 4, end: 10 }] });
  });

  it('never throws from classify', async () => {
    const c = createLexiconClassifier({ lexicons: [small] });
    const aborted = AbortSignal.abort();
    await expect(c.classify({ text: 'darn', stage: 'input' }, { signal: aborted })).resolves.toMatchObject({ status: 'failed', error: { code: 'aborted' } });
    await expect(c.classify({ text: 42, stage: 'input' } as unknown as ClassifierInput)).resolves.toMatchObject({ status: 'failed', error: { code: 'input_invalid' } });
    await expect(c.classify(undefined as unknown as ClassifierInput)).resolves.toMatchObject({ status: 'failed', error: { code: 'input_invalid' } });
  });

  it('throws a LexiconError at creation for a bad lexicon', () => {
    expect(() => createLexiconClassifier({ lexicons: [{ ...small, terms: [{ term: 'x', weight: 3 }] }] })).toThrow(/lexicon `profanity`/);
  });

  it('has a version that follows the content', () => {
    const a = createLexiconClassifier({ lexicons: [small] });
    const b = createLexiconClassifier({ lexicons: [{ ...small, terms: [{ term: 'darn', weight: 0.5 }] }] });
    expect(a.version).toBe(createLexiconClassifier({ lexicons: [small] }).version);
    expect(a.version).not.toBe(b.version);
  });
});

describe('getDefaultLexiconClassifier', () => {
  it('builds the shipped lexicons once and shares them', async () => {
    const c = getDefaultLexiconClassifier();
    expect(getDefaultLexiconClassifier()).toBe(c);
    expect(c.categories).toContain('sexual/minors');
    expect(c.categories).not.toContain('blocklist');
    const out = await c.classify({ text: 'what is the capital of France?', stage: 'input' });
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    for (const category of c.categories) expect(out.scores[category], category).toBe(0);
  });
});
