import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { ClassifierOutcome } from '../classifier.js';
import { createScriptedClassifier } from './scripted-classifier.js';
import { withCache } from './with-cache.js';

const input = (text: string) => ({ text, stage: 'input' as const });

describe('withCache', () => {
  it('serves a repeated text from the cache and counts hits and misses', async () => {
    const inner = createScriptedClassifier({ id: 'cheap', categories: ['sexual', 'hate'] });
    const cached = withCache(inner);
    const first = await cached.classify(input('x [[cheap:sexual=0.7]]'));
    const second = await cached.classify(input('x   [[cheap:sexual=0.7]]  '));
    expect(first).toMatchObject({ status: 'ok', scores: { sexual: 0.7, hate: 0 } });
    expect(second).toMatchObject({ status: 'ok', scores: { sexual: 0.7, hate: 0 } });
    expect(inner.calls).toHaveLength(1);
    // the second text is remembered under its exact key too
    expect(cached.stats()).toEqual({ hits: 1, misses: 1, size: 2 });
    expect(await cached.classify(input('x   [[cheap:sexual=0.7]]  '))).toMatchObject({ scores: { sexual: 0.7 } });
    expect(cached.stats()).toEqual({ hits: 2, misses: 1, size: 2 });
  });

  it('keeps the inner id, version and categories', () => {
    const inner = createScriptedClassifier({ id: 'cheap', version: '7', categories: ['hate'] });
    const cached = withCache(inner);
    expect([cached.id, cached.version, cached.categories]).toEqual(['cheap', '7', ['hate']]);
  });

  it('never caches a failure', async () => {
    let fail = true;
    const inner = createScriptedClassifier({
      categories: ['hate'],
      score: () =>
        fail ? ({ status: 'failed', error: { code: 'timeout', message: 'slow' }, latencyMs: 1 } satisfies ClassifierOutcome) : { hate: 0.1 },
    });
    const cached = withCache(inner);
    expect((await cached.classify(input('a'))).status).toBe('failed');
    fail = false;
    expect(await cached.classify(input('a'))).toMatchObject({ status: 'ok', scores: { hate: 0.1 } });
    expect(inner.calls).toHaveLength(2);
  });

  it('distinguishes case, stage and prompt', async () => {
    const inner = createScriptedClassifier({ categories: ['hate'] });
    const cached = withCache(inner);
    await cached.classify(input('Word'));
    await cached.classify(input('word'));
    await cached.classify({ text: 'word', stage: 'output', context: { prompt: 'p1' } });
    await cached.classify({ text: 'word', stage: 'output', context: { prompt: 'p2' } });
    expect(inner.calls).toHaveLength(4);
  });

  it('serves outcomes with evidence only for the identical text (offsets would shift)', async () => {
    const inner = createScriptedClassifier({
      categories: ['pii'],
      score: (i) => {
        const at = i.text.indexOf('@');
        return { status: 'ok', scores: { pii: 1 }, evidence: [{ category: 'pii', start: at - 1, end: at + 2, match: 'email', source: 'x' }], latencyMs: 0 };
      },
    });
    const cached = withCache(inner);
    await cached.classify(input('mail a@b now'));
    const hit = await cached.classify(input('mail a@b now'));
    const shifted = await cached.classify(input('  mail a@b now'));
    expect(inner.calls).toHaveLength(2);
    expect(hit.status === 'ok' && hit.evidence?.[0]?.start).toBe(5);
    expect(shifted.status === 'ok' && shifted.evidence?.[0]?.start).toBe(7);
  });

  it('does not let one caller alter what another gets', async () => {
    const cached = withCache(createScriptedClassifier({ categories: ['hate'] }));
    const a = await cached.classify(input('z'));
    if (a.status === 'ok') a.scores.hate = 1;
    const b = await cached.classify(input('z'));
    if (b.status === 'ok') b.scores.hate = 0.5;
    expect(await cached.classify(input('z'))).toMatchObject({ scores: { hate: 0 } });
  });

  it('evicts beyond max and expires after ttlMs', async () => {
    const inner = createScriptedClassifier({ categories: ['hate'] });
    const small = withCache(inner, { max: 2, ttlMs: 0 });
    for (const t of ['a', 'b', 'c', 'a']) await small.classify(input(t));
    expect(small.stats()).toMatchObject({ hits: 0, misses: 4, size: 2 });

    const shortLived = withCache(inner, { ttlMs: 30 });
    await shortLived.classify(input('t'));
    await shortLived.classify(input('t'));
    await new Promise((r) => setTimeout(r, 60));
    await shortLived.classify(input('t'));
    expect(shortLived.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('honours an aborted signal and survives a throwing classifier', async () => {
    const cached = withCache(createScriptedClassifier({ categories: ['hate'] }));
    await cached.classify(input('q'));
    expect(await cached.classify(input('q'), { signal: AbortSignal.abort() })).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
    const throwing = withCache({
      id: 't',
      version: '1',
      categories: ['hate'],
      classify: () => {
        throw new Error('bug');
      },
    });
    expect(await throwing.classify(input('q'))).toMatchObject({ status: 'failed', error: { code: 'classifier_threw' } });
  });

  it('clear() empties the cache and resets the counters', async () => {
    const cached = withCache(createScriptedClassifier({ categories: ['hate'] }));
    await cached.classify(input('q'));
    await cached.classify(input('q'));
    cached.clear();
    expect(cached.stats()).toEqual({ hits: 0, misses: 0, size: 0 });
  });

  it('answers a hit in a few microseconds', async () => {
    const cached = withCache(createScriptedClassifier({ categories: ['sexual', 'hate', 'violence', 'unsafe'] }));
    const text = input('The quick brown fox jumps over the lazy dog while we talk about the weather. '.repeat(9).slice(0, 650));
    await cached.classify(text);
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const n = 5_000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await cached.classify(text);
      rounds.push(((performance.now() - t0) * 1000) / n);
    }
    const best = Math.min(...rounds);
    // The target is < 5 µs on a quiet machine; the bound here leaves room for a loaded CI box.
    expect(best).toBeLessThan(25);
  });
});

describe('withCache exact-key fast path', () => {
  it('confirms an exact hit by the text itself (UTF-8 cannot tell a lone surrogate from U+FFFD)', async () => {
    const inner = createScriptedClassifier({ categories: ['hate'], score: (i) => ({ hate: i.text.includes('\ufffd') ? 0.9 : 0.1 }) });
    const cached = withCache(inner);
    expect(await cached.classify(input('a\ufffd'))).toMatchObject({ scores: { hate: 0.9 } });
    expect(await cached.classify(input('a\ud800'))).toMatchObject({ scores: { hate: 0.1 } });
    expect(inner.calls).toHaveLength(2);
  });

  it('keeps prompts apart on the exact path', async () => {
    const inner = createScriptedClassifier({ categories: ['hate'], score: (i) => ({ hate: i.context?.prompt === 'bad' ? 1 : 0 }) });
    const cached = withCache(inner);
    const out = (prompt?: string) => cached.classify({ text: 't', stage: 'output', ...(prompt != null ? { context: { prompt } } : {}) });
    expect(await out('bad')).toMatchObject({ scores: { hate: 1 } });
    expect(await out('good')).toMatchObject({ scores: { hate: 0 } });
    expect(await out()).toMatchObject({ scores: { hate: 0 } });
    expect(await out('bad')).toMatchObject({ scores: { hate: 1 } });
    expect(inner.calls).toHaveLength(3);
  });

  it('passes windows with a preceding text through uncached (what came before can raise a score)', async () => {
    const inner = createScriptedClassifier({ categories: ['hate'], score: (i) => ({ hate: i.context?.preceding === 'bad' ? 1 : 0 }) });
    const cached = withCache(inner);
    const out = (preceding?: string) => cached.classify({ text: 't', stage: 'output', ...(preceding != null ? { context: { preceding } } : {}) });
    expect(await out()).toMatchObject({ scores: { hate: 0 } });
    expect(await out('bad')).toMatchObject({ scores: { hate: 1 } });
    expect(await out('bad')).toMatchObject({ scores: { hate: 1 } });
    expect(inner.calls).toHaveLength(3);
    expect(cached.stats().size).toBe(1);
  });
});
