import { describe, expect, it } from 'vitest';
import { SaferouteError } from '../../errors.js';
import type { ClassifierOutcome } from '../classifier.js';
import { createScriptedClassifier } from './scripted-classifier.js';
import { createCascade } from './create-cascade.js';

const input = (text: string) => ({ text, stage: 'input' as const });
const cheap = () => createScriptedClassifier({ id: 'cheap', version: 'c1', categories: ['sexual', 'hate', 'violence'] });
const expensive = () => createScriptedClassifier({ id: 'big', version: 'b1', categories: ['sexual', 'hate'] });

describe('createCascade', () => {
  it('names itself after its stages and takes the first one\'s categories', () => {
    const c = createCascade([cheap(), expensive()], { uncertain: { low: 0.2, high: 0.8 } });
    expect(c.id).toBe('cascade(cheap>big)');
    expect(c.version).toBe('c1>b1|0.2-0.8');
    expect(c.categories).toEqual(['sexual', 'hate', 'violence']);
  });

  it('does not escalate when the cheap classifier is sure', async () => {
    const big = expensive();
    const c = createCascade([cheap(), big], { uncertain: { low: 0.2, high: 0.8 } });
    const outcome = await c.classify(input('[[cheap:sexual=0.95,hate=0.05]]'));
    expect(outcome).toMatchObject({
      status: 'ok',
      scores: { sexual: 0.95, hate: 0.05, violence: 0 },
      decidedBy: { sexual: 'cheap', hate: 'cheap', violence: 'cheap' },
    });
    expect(big.calls).toHaveLength(0);
  });

  it('escalates only uncertain categories the next one covers, and takes its scores for them', async () => {
    const big = expensive();
    const c = createCascade([cheap(), big], { uncertain: { low: 0.2, high: 0.8 } });
    const outcome = await c.classify(input('[[cheap:sexual=0.5,hate=0.9,violence=0.4]] [[big:sexual=0.05,hate=0.1]]'));
    expect(outcome).toMatchObject({
      status: 'ok',
      // hate was certain (0.9): big's 0.1 is not taken; violence is uncertain but big does not cover it
      scores: { sexual: 0.05, hate: 0.9, violence: 0.4 },
      decidedBy: { sexual: 'big', hate: 'cheap', violence: 'cheap' },
    });
    expect(big.calls).toHaveLength(1);
  });

  it('treats the band as inclusive and supports per-category bands', async () => {
    const big = expensive();
    const c = createCascade([cheap(), big], {
      uncertain: { default: { low: 0.4, high: 0.6 }, categories: { hate: { low: 0.1, high: 0.3 } } },
    });
    const outcome = await c.classify(input('[[cheap:sexual=0.6,hate=0.35]] [[big:sexual=0.9,hate=0.9]]'));
    expect(outcome).toMatchObject({ scores: { sexual: 0.9, hate: 0.35 }, decidedBy: { sexual: 'big', hate: 'cheap' } });
  });

  it('walks a longer chain while a category stays uncertain', async () => {
    const middle = createScriptedClassifier({ id: 'mid', categories: ['sexual', 'hate'] });
    const last = createScriptedClassifier({ id: 'last', categories: ['sexual', 'hate'] });
    const c = createCascade([cheap(), middle, last], { uncertain: { low: 0.2, high: 0.8 } });
    const outcome = await c.classify(input('[[cheap:sexual=0.5,hate=0.5]] [[mid:sexual=0.6,hate=0.95]] [[last:sexual=1]]'));
    expect(outcome).toMatchObject({ scores: { sexual: 1, hate: 0.95 }, decidedBy: { sexual: 'last', hate: 'mid' } });
    expect(last.calls).toHaveLength(1);
  });

  it('carries verdictOnly and evidence of whoever decided each category', async () => {
    const guard = createScriptedClassifier({
      id: 'guard',
      categories: ['sexual', 'hate'],
      score: (i) => ({
        status: 'ok',
        scores: { sexual: 1, hate: 0 },
        verdictOnly: ['sexual', 'hate'],
        evidence: [{ category: 'sexual', start: 0, end: i.text.length, match: 'S12', source: 'guard' }],
        latencyMs: 1,
      }),
    });
    const first = createScriptedClassifier({
      id: 'cheap',
      categories: ['sexual', 'hate'],
      score: () => ({
        status: 'ok',
        scores: { sexual: 0.5, hate: 0.99 },
        evidence: [
          { category: 'sexual', start: 0, end: 1, match: 'x', source: 'cheap' },
          { category: 'hate', start: 1, end: 2, match: 'y', source: 'cheap' },
        ],
        latencyMs: 1,
      }),
    });
    const outcome = await createCascade([first, guard], { uncertain: { low: 0.2, high: 0.8 } }).classify(input('abc'));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.verdictOnly).toEqual(['sexual']);
    expect(outcome.evidence?.map((e) => `${e.category}:${e.source}`).sort()).toEqual(['hate:cheap', 'sexual:guard']);
  });

  it('fails, never loosens, when an escalation fails', async () => {
    const failing = createScriptedClassifier({
      id: 'big',
      categories: ['sexual'],
      score: () => ({ status: 'failed', error: { code: 'rate_limited', message: 'HTTP 429' }, latencyMs: 1 }) satisfies ClassifierOutcome,
    });
    const c = createCascade([cheap(), failing], { uncertain: { low: 0.2, high: 0.8 } });
    const outcome = await c.classify(input('[[cheap:sexual=0.5]]'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    if (outcome.status === 'failed') expect(outcome.error.message).toContain('`big`');
    // no escalation needed: the failing classifier is never asked
    expect((await c.classify(input('[[cheap:sexual=0.1]]'))).status).toBe('ok');
  });

  it('fails with the first classifier\'s error and survives throwing stages', async () => {
    const broken = { id: 'cheap', version: '1', categories: ['hate'] as const, classify: () => Promise.reject(new Error('bug')) };
    const c = createCascade([broken, expensive()], { uncertain: { low: 0, high: 1 } });
    expect(await c.classify(input('x'))).toMatchObject({ status: 'failed', error: { code: 'classifier_threw' } });
  });

  it('honours an aborted signal', async () => {
    const c = createCascade([cheap(), expensive()], { uncertain: { low: 0, high: 1 } });
    expect(await c.classify(input('x'), { signal: AbortSignal.abort() })).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
  });

  it('rejects bad configuration', () => {
    expect(() => createCascade([cheap()], { uncertain: { low: 0.2, high: 0.8 } })).toThrow(SaferouteError);
    expect(() => createCascade([cheap(), expensive()], { uncertain: { low: 0.9, high: 0.1 } })).toThrow(/low <= high/);
    expect(() => createCascade([cheap(), expensive()], { uncertain: { categories: { hate: { low: -1, high: 0.5 } } } })).toThrow(SaferouteError);
  });
});
