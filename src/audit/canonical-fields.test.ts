import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonical-json.js';
import { readCanonicalFields } from './canonical-fields.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function read(text: string): ReturnType<typeof readCanonicalFields> {
  const bytes = Buffer.from(text, 'utf8');
  return readCanonicalFields(bytes, bytes.length);
}

const CHAIN = { epoch: 2, kind: 'decision', prev: 'ab'.repeat(32), seq: 41, ts: '2025-06-01T00:00:00.000Z', v: 1, writer: 'gw-1' };

function randomValue(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 4 : 6));
  if (pick === 0) return ['', 'x', 'a"b', 'back\\slash', 'line\nbreak', 'é', '\u0001', '/'][Math.floor(r() * 8)];
  if (pick === 1) return [0, -0, 7, -12, 0.5, 1e21, 1e-7, 123456789012345, 1234567890123456, 0.1 + 0.2][Math.floor(r() * 10)];
  if (pick === 2) return [true, false, null][Math.floor(r() * 3)];
  if (pick === 3) return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) obj[['a', 'b', 'hash', 'seq', '10', '2', 'Z'][Math.floor(r() * 7)] as string] = randomValue(r, depth + 1);
  return obj;
}

/** Edits that keep the text JSON-like: some stay canonical, most do not. */
function mutate(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  switch (Math.floor(r() * 8)) {
    case 0:
      return text.slice(0, at) + ' ' + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + ['"', ',', ':', '{', '}', '[', ']', '0', '-', 'e', '.', '\\', 'x', 'é'][Math.floor(r() * 14)] + text.slice(at + 1);
    case 3:
      return text.replace(/:(\d+)/, ':$1.0');
    case 4:
      return text.replace(/:0\.5/, ':5e-1');
    case 5:
      return text.replace('"seq":', '"seq":-0,"seq2":');
    case 6:
      return text.replace('"a":', '"a":1,"a":');
    default:
      return text.replace(/"([a-z]+)":/, '"$1\\u0041":');
  }
}

describe('readCanonicalFields', () => {
  it('reads the chain fields of a canonical decision record', () => {
    const text = canonicalJson({ ...CHAIN, scores: { hate: 0.01, sexual: 0.5 }, text: { mode: 'full', value: 'say "hi" \\ bye' } });
    expect(read(text)).toEqual({ v: 1, writer: 'gw-1', epoch: 2, seq: 41, ts: CHAIN.ts, prev: CHAIN.prev, kind: 'decision' });
  });

  it('leaves anything outside the canonical subset to the parser', () => {
    const canonical = canonicalJson({ ...CHAIN, a: 1 });
    expect(read(canonical)).toBeDefined();
    for (const text of [
      canonicalJson({ ...CHAIN, kind: 'writer-stop' }),
      canonicalJson({ ...CHAIN, hash: 'x' }),
      canonicalJson({ ...CHAIN, a: 'é' }),
      canonicalJson({ ...CHAIN, a: 'tab\t' }),
      canonical.replace('"a":1', '"a":1.0'),
      canonical.replace('"a":1', '"a": 1'),
      canonical.replace('"a":1', '"a":-0'),
      canonical.replace('"a":1,', '"a":1,,'),
      canonical.replace('"a":1', '"b":1,"a":1'),
      canonical.replace('"seq":41', '"seq":"41"').replace('"kind":"decision"', '"kind":"decision","kind":"decision"'),
      canonical + ' ',
      canonical.slice(0, -1),
      '{}',
      '[]',
    ]) {
      expect(read(text), text).toBeUndefined();
    }
  });

  it('accepts only what parses to the same fields and is its own canonical JSON, on generated and mutated records', () => {
    const r = rng(2024);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const body: Record<string, unknown> = { ...CHAIN };
      for (let k = Math.floor(r() * 5); k > 0; k--) body[['a', 'b', 'q', 'r', 'u', 'zz', 'epoch2'][Math.floor(r() * 7)] as string] = randomValue(r, 0);
      let text = canonicalJson(body);
      for (let m = Math.floor(r() * 3); m > 0; m--) text = mutate(text, r);
      const fields = read(text);
      if (!fields) continue;
      accepted++;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(canonicalJson(parsed), text).toBe(text);
      expect(fields).toEqual({ v: parsed['v'], writer: parsed['writer'], epoch: parsed['epoch'], seq: parsed['seq'], ts: parsed['ts'], prev: parsed['prev'], kind: parsed['kind'] });
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
