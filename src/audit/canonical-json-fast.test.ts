import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonical-json.js';
import { canonicalJsonFast } from './canonical-json-fast.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 5 : 7));
  const keys = ['a', 'b', 'Z', 'é', '\u{1f600}', '10', '2', 'ab', 'a\u0000b', '"q"', 'ü', '\ud800x'];
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [0, -0, 1e21, 1e-7, 0.1 + 0.2, -123.456, 2 ** 53, 5e-324][Math.floor(r() * 8)];
    case 3:
      return ['', 'x', 'line\nbreak', 'tab\t', '\u2028', 'emoji \u{1f600}', '\\', '"'][Math.floor(r() * 8)];
    case 4:
      return Math.round(r() * 1000) / 10;
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) obj[keys[Math.floor(r() * keys.length)] as string] = randomValue(r, depth + 1);
      if (r() < 0.2) obj['skip'] = undefined;
      return obj;
    }
  }
}

describe('canonicalJsonFast', () => {
  it('produces exactly the reference canonical JSON on generated values', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(r, 0);
      expect(canonicalJsonFast(value)).toBe(canonicalJson(value));
    }
  });

  it('takes the native path for objects already in canonical order, with the same result', () => {
    const r = rng(7);
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortDeep) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])])) : v;
    for (let i = 0; i < 2000; i++) {
      const value = sortDeep(randomValue(r, 0));
      expect(canonicalJsonFast(value)).toBe(canonicalJson(value));
    }
    expect(canonicalJsonFast({ 2: 'a', 10: 'b' })).toBe('{"10":"b","2":"a"}');
    expect(canonicalJsonFast({ a: [1, undefined, 2] })).toBe('{"a":[1,null,2]}');
    expect(canonicalJsonFast({ a: new Date(0) })).toBe('{"a":"1970-01-01T00:00:00.000Z"}');
  });

  it('sorts keys by UTF-16 code units (a surrogate pair before U+FFFF) and writes -0 as 0', () => {
    expect(canonicalJsonFast({ b: 1, a: -0, '\u{1f600}': 2, '\uffff': 3 })).toBe('{"a":0,"b":1,"\u{1f600}":2,"\uffff":3}');
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJsonFast({ x: Number.NaN })).toThrow(/cannot canonicalise/);
    expect(() => canonicalJsonFast({ x: Infinity })).toThrow(/cannot canonicalise/);
  });
});
