import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuidv7.js';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10, the given milliseconds in the first 48 bits', () => {
    const ms = Date.UTC(2026, 10, 28, 12, 34, 56, 789);
    const id = uuidv7(ms + 10_000_000);
    expect(id).toMatch(FORMAT);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms + 10_000_000);
    const late = uuidv7(2 ** 47 + 5);
    expect(parseInt(late.replace(/-/g, '').slice(0, 12), 16)).toBe(2 ** 47 + 5);
  });

  it('sorts in generation order, also within one millisecond, and never repeats', () => {
    const ids: string[] = [];
    const base = 2 ** 46;
    for (let i = 0; i < 5000; i++) ids.push(uuidv7(base + Math.floor(i / 1000)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(FORMAT);
  });

  it('refuses a time it cannot encode', () => {
    for (const bad of [Number.NaN, 1.5, -1, 2 ** 48]) expect(() => uuidv7(bad)).toThrow(RangeError);
  });

  it('spreads its random bits (no constant tail)', () => {
    const tails = new Set(Array.from({ length: 200 }, () => uuidv7().slice(-12)));
    expect(tails.size).toBe(200);
  });
});
