import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from './retry-with-backoff.js';

class Status extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter?: number,
  ) {
    super(`status ${status}`);
  }
}

const shouldRetry = (e: unknown) =>
  e instanceof Status && (e.status === 429 || e.status >= 500) ? { retry: true, retryAfterMs: e.retryAfter } : { retry: false };

const base = (overrides: Partial<Parameters<typeof retryWithBackoff>[1]> = {}) => ({
  maxRetries: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  deadline: performance.now() + 5_000,
  signal: new AbortController().signal,
  shouldRetry,
  ...overrides,
});

describe('retryWithBackoff', () => {
  it('retries retryable failures until success', async () => {
    const errors = [new Status(500), new Status(429)];
    let calls = 0;
    const result = await retryWithBackoff(async () => {
      calls += 1;
      const e = errors.shift();
      if (e) throw e;
      return 'ok';
    }, base());
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry a non-retryable failure', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(async () => {
        calls += 1;
        throw new Status(400);
      }, base()),
    ).rejects.toThrow('status 400');
    expect(calls).toBe(1);
  });

  it('stops after maxRetries and rethrows the last error', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(async () => {
        calls += 1;
        throw new Status(503);
      }, base({ maxRetries: 2 })),
    ).rejects.toThrow('status 503');
    expect(calls).toBe(3);
  });

  it('waits what Retry-After asks instead of the jittered delay', async () => {
    const waits: number[] = [];
    let calls = 0;
    const started = performance.now();
    await retryWithBackoff(async () => {
      calls += 1;
      if (calls === 1) throw new Status(429, 60);
      return 'ok';
    }, base({ onRetry: ({ delayMs }) => waits.push(delayMs) }));
    expect(waits).toEqual([60]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('gives up at once when the wait would end past the deadline', async () => {
    let calls = 0;
    const started = performance.now();
    await expect(
      retryWithBackoff(async () => {
        calls += 1;
        throw new Status(429, 10_000);
      }, base({ deadline: performance.now() + 200 })),
    ).rejects.toThrow('status 429');
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(150);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    let calls = 0;
    await expect(
      retryWithBackoff(async () => {
        calls += 1;
        throw new Status(500, 2_000);
      }, base({ signal: controller.signal })),
    ).rejects.toThrow('status 500');
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
