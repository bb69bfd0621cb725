import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff-delay.js';

describe('backoffDelayMs (full jitter)', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws uniformly below base·2^attempt', () => {
    expect(backoffDelayMs(0, options, () => 0.5)).toBe(50);
    expect(backoffDelayMs(1, options, () => 0.5)).toBe(100);
    expect(backoffDelayMs(2, options, () => 0.999)).toBe(399);
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(10, options, () => 0.999)).toBe(999);
    expect(backoffDelayMs(60, options, () => 0.5)).toBe(500);
  });

  it('spreads the waits of clients that failed together', () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4, options)));
    expect(draws.size).toBeGreaterThan(10);
    for (const d of draws) expect(d).toBeLessThan(1000);
  });
});
