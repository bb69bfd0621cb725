import { describe, expect, it } from 'vitest';
import { createMicroBatcher } from './micro-batcher.js';

const upper = (batches: string[][]) =>
  createMicroBatcher<string, string>({
    maxSize: 3,
    maxWaitMs: 5,
    run: async (items) => {
      batches.push([...items]);
      return items.map((i) => i.toUpperCase());
    },
    fail: (e) => `failed: ${String(e)}`,
  });

describe('createMicroBatcher', () => {
  it('gathers concurrent calls into batches of at most maxSize, results back in order', async () => {
    const batches: string[][] = [];
    const b = upper(batches);
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => b.submit(x)));
    expect(results).toEqual(['A', 'B', 'C', 'D', 'E'].map((value) => ({ status: 'done', value })));
    expect(batches).toEqual([['a', 'b', 'c'], ['d', 'e']]);
  });

  it('sends a lone call after maxWaitMs', async () => {
    const batches: string[][] = [];
    const b = upper(batches);
    expect(await b.submit('x')).toEqual({ status: 'done', value: 'X' });
    expect(batches).toEqual([['x']]);
  });

  it('maps a rejected or wrong-length batch to fail() for every caller', async () => {
    const rejecting = createMicroBatcher<string, string>({
      maxSize: 10,
      maxWaitMs: 1,
      run: async () => {
        throw new Error('boom');
      },
      fail: (e) => `failed: ${(e as Error).message}`,
    });
    expect(await Promise.all([rejecting.submit('a'), rejecting.submit('b')])).toEqual([
      { status: 'done', value: 'failed: boom' },
      { status: 'done', value: 'failed: boom' },
    ]);
    const short = createMicroBatcher<string, string>({ maxSize: 10, maxWaitMs: 1, run: async () => ['only one'], fail: () => 'mismatch' });
    expect(await Promise.all([short.submit('a'), short.submit('b')])).toEqual([
      { status: 'done', value: 'mismatch' },
      { status: 'done', value: 'mismatch' },
    ]);
  });

  it('drops a caller aborted before the flush from the batch', async () => {
    const batches: string[][] = [];
    const b = upper(batches);
    const controller = new AbortController();
    const pa = b.submit('a', controller.signal);
    const pb = b.submit('b');
    controller.abort();
    expect(await pa).toEqual({ status: 'aborted' });
    expect(await pb).toEqual({ status: 'done', value: 'B' });
    expect(batches).toEqual([['b']]);
  });

  it('aborts the batch request once every caller has gone', async () => {
    let seen: AbortSignal | undefined;
    const b = createMicroBatcher<string, string>({
      maxSize: 10,
      maxWaitMs: 1,
      run: (items, signal) => {
        seen = signal;
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve(items.map(() => 'late'))));
      },
      fail: () => 'failed',
    });
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = b.submit('a', c1.signal);
    const p2 = b.submit('b', c2.signal);
    await new Promise((r) => setTimeout(r, 10));
    c1.abort();
    expect(await p1).toEqual({ status: 'aborted' });
    expect(seen?.aborted).toBe(false);
    c2.abort();
    expect(await p2).toEqual({ status: 'aborted' });
    expect(seen?.aborted).toBe(true);
  });

  it('resolves an already-aborted call without queueing it', async () => {
    const batches: string[][] = [];
    const b = upper(batches);
    expect(await b.submit('a', AbortSignal.abort())).toEqual({ status: 'aborted' });
    await new Promise((r) => setTimeout(r, 15));
    expect(batches).toEqual([]);
  });
});
