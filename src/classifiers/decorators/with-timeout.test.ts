import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SaferouteError } from '../../errors.js';
import { createScriptedClassifier } from './scripted-classifier.js';
import { withTimeout } from './with-timeout.js';

const input = { text: 'hello', stage: 'input' as const };

describe('withTimeout', () => {
  it('passes a fast outcome through', async () => {
    const c = withTimeout(createScriptedClassifier({ id: 'fast', categories: ['hate'], delayMs: 1 }), 500);
    expect(await c.classify(input)).toMatchObject({ status: 'ok', scores: { hate: 0 } });
    expect([c.id, c.version]).toEqual(['fast', '1']);
  });

  it('fails with timeout past the bound and aborts the inner call', async () => {
    let innerSignal: AbortSignal | undefined;
    const slow = createScriptedClassifier({ id: 'slow', categories: ['hate'], delayMs: 5_000 });
    const spy = { ...slow, classify: (i: typeof input, o?: { signal?: AbortSignal }) => ((innerSignal = o?.signal), slow.classify(i, o)) };
    const c = withTimeout(spy, 40);
    const started = performance.now();
    const outcome = await c.classify(input);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(35);
    expect(innerSignal?.aborted).toBe(true);
  });

  it('resolves aborted at once when the caller aborts', async () => {
    const c = withTimeout(createScriptedClassifier({ categories: ['hate'], delayMs: 5_000 }), 10_000);
    const controller = new AbortController();
    const pending = c.classify(input, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
    expect(await c.classify(input, { signal: AbortSignal.abort() })).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
  });

  it('turns a throwing or rejecting classifier into a failure', async () => {
    const base = { id: 'bad', version: '1', categories: ['hate'] as const };
    const sync = withTimeout({ ...base, classify: () => { throw new Error('sync bug'); } }, 100);
    const async_ = withTimeout({ ...base, classify: () => Promise.reject(new Error('async bug')) }, 100);
    expect(await sync.classify(input)).toMatchObject({ status: 'failed', error: { code: 'classifier_threw', message: 'sync bug' } });
    expect(await async_.classify(input)).toMatchObject({ status: 'failed', error: { code: 'classifier_threw', message: 'async bug' } });
  });

  it('rejects a bound that is not a positive number', () => {
    const inner = createScriptedClassifier({ categories: ['hate'] });
    for (const ms of [0, -1, Number.NaN, Infinity]) {
      expect(() => withTimeout(inner, ms)).toThrow(SaferouteError);
    }
  });
});
