import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonical-json.js';
import { hashedBytesOf, prepareBody, statedHashOf, type ChainPosition, type PreparedBody } from './audit-record.js';
import { AuditError } from './audit-error.js';
import { createBatchEncoder } from './record-encoder.js';

const position = { writer: 'w1', epoch: 3, seq: 7, ts: '2025-06-01T12:00:00.000Z', prev: 'ab'.repeat(32) };

function sealRecord(prepared: PreparedBody, at: ChainPosition): { hash: string; line: string } {
  const encoder = createBatchEncoder();
  encoder.begin();
  const record = encoder.seal(prepared, at);
  const batch = encoder.finish();
  expect(batch.bytes.toString('utf8')).toBe(batch.line(0) + '\n');
  return { hash: record.hash, line: batch.line(0) };
}

describe('sealing a record', () => {
  it('hashes the canonical JSON of the event without `hash` and stores the hash as the last member', () => {
    const record = sealRecord(prepareBody({ kind: 'writer-stop', reason: 'close', records: 8 }), position);
    const parsed = JSON.parse(record.line) as Record<string, unknown>;
    const { hash, ...rest } = parsed;
    const body = hashedBytesOf(record.line);
    expect(canonicalJson(rest)).toBe(body);
    expect(hash).toBe(createHash('sha256').update(body).digest('hex'));
    expect(record.hash).toBe(hash);
    expect(record.line.endsWith(`,"hash":"${record.hash}"}`)).toBe(true);
    expect(statedHashOf(record.line)).toBe(record.hash);
    expect(parsed).toMatchObject({ v: 1, writer: 'w1', epoch: 3, seq: 7, kind: 'writer-stop' });
  });

  it('puts clockSkewMs in its sorted place when the clock was behind', () => {
    const record = sealRecord(prepareBody({ kind: 'writer-stop', reason: 'close', records: 1 }), { ...position, clockSkewMs: 1500 });
    const { hash: _h, ...rest } = JSON.parse(record.line) as Record<string, unknown>;
    expect(canonicalJson(rest)).toBe(hashedBytesOf(record.line));
    expect(rest['clockSkewMs']).toBe(1500);
  });

  it('places body members between the chain fields in canonical order, for any keys', () => {
    const body = { kind: 'lost', count: 1, since: 'a', until: 'b', reason: 'r', aaa: 1, f: 2, q: 3, sz: 4, u: 5, w: 6, zz: 7, clock: 8 } as never;
    const record = sealRecord(prepareBody(body), { ...position, clockSkewMs: 3 });
    const { hash: _h, ...rest } = JSON.parse(record.line) as Record<string, unknown>;
    expect(hashedBytesOf(record.line)).toBe(canonicalJson(rest));
    expect(Object.keys(rest)).toEqual(Object.keys(rest).sort());
  });

  it('hashes the UTF-8 bytes of any text, escapes included', () => {
    const body = { kind: 'lost', count: 1, since: 'é\u{1f600}\u2028"\\\n', until: '\u0000', reason: '漢字' } as never;
    const record = sealRecord(prepareBody(body), position);
    const { hash: _h, ...rest } = JSON.parse(record.line) as Record<string, unknown>;
    expect(hashedBytesOf(record.line)).toBe(canonicalJson(rest));
    expect(record.hash).toBe(createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex'));
    expect(rest['since']).toBe('é\u{1f600}\u2028"\\\n');
  });

  it('refuses a body that sets a chain field', () => {
    expect(() => prepareBody({ kind: 'writer-stop', reason: 'close', records: 1, seq: 4 } as never)).toThrow(AuditError);
  });

  it('finds no stated hash on a line that does not end with one', () => {
    expect(statedHashOf('{"a":1}')).toBeUndefined();
    expect(statedHashOf('{"hash":"' + 'g'.repeat(64) + '"}')).toBeUndefined();
  });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Top-level names around every chain key, names that look like JSON punctuation, nested objects
// reusing the same names, keys in order or not.
const NAMES = ['a', 'clock', 'd', 'epochs', 'f', 'kind', 'prev0', 'q', 'reason', 'seq0', 'sz', 'tt', 'u', 'vv', 'w', 'x', ':1,', ',', ']', '}', '', '\u0000', '10', '2', 'é'];

function randomValue(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 4 : 6));
  if (pick === 0) return [',', ':1,', '"', 'x,', '\\', 'a\nb', 'é'][Math.floor(r() * 7)];
  if (pick === 1) return [0, 1, -0.5, 1e21, 0.1 + 0.2][Math.floor(r() * 5)];
  if (pick === 2) return r() < 0.5 ? null : true;
  if (pick === 3) return [randomValue(r, depth + 1), randomValue(r, depth + 1)];
  return randomObject(r, depth + 1);
}

function randomObject(r: () => number, depth: number): Record<string, unknown> {
  const keys = Array.from({ length: Math.floor(r() * 6) }, () => NAMES[Math.floor(r() * NAMES.length)] as string);
  if (r() < 0.7) keys.sort();
  const obj: Record<string, unknown> = {};
  for (const key of keys) obj[key] = r() < 0.1 ? undefined : randomValue(r, depth);
  return obj;
}

describe('prepareBody', () => {
  it('gives the canonical JSON of any body, its members placed between the chain fields', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const body = { ...randomObject(r, 0), kind: 'lost' } as never;
      const record = sealRecord(prepareBody(body), { ...position, ...(r() < 0.3 ? { clockSkewMs: 12 } : {}) });
      const { hash: _h, ...rest } = JSON.parse(record.line) as Record<string, unknown>;
      expect(hashedBytesOf(record.line)).toBe(canonicalJson(rest));
      expect(rest).toEqual(JSON.parse(canonicalJson({ ...(body as object), v: 1, writer: 'w1', epoch: 3, seq: 7, ts: position.ts, prev: position.prev, ...(rest['clockSkewMs'] !== undefined ? { clockSkewMs: 12 } : {}) })));
    }
  });

  it('refuses values JSON cannot hold, as before', () => {
    expect(() => prepareBody({ kind: 'lost', count: Number.NaN, since: '', until: '', reason: '' })).toThrow(/cannot canonicalise/);
    expect(() => prepareBody({ kind: 'lost', count: 1, since: '', until: '', reason: '', x: { y: Infinity } } as never)).toThrow(/cannot canonicalise/);
  });
});

describe('createBatchEncoder', () => {
  it('lays a batch out as JSONL, one line per record, and grows its buffer as needed', () => {
    const encoder = createBatchEncoder(64);
    const prepared = prepareBody({ kind: 'lost', count: 3, since: 'x'.repeat(300), until: 'y', reason: 'z' });
    for (let round = 0; round < 2; round++) {
      encoder.begin();
      let prev = 'cd'.repeat(32);
      const hashes: string[] = [];
      for (let seq = 0; seq < 5; seq++) {
        const record = encoder.seal(prepared, { ...position, seq, prev });
        expect(record).toMatchObject({ kind: 'lost', seq, prev, writer: 'w1', epoch: 3 });
        hashes.push(record.hash);
        prev = record.hash;
      }
      const batch = encoder.finish();
      const lines = batch.bytes.toString('utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(5);
      lines.forEach((line, i) => {
        expect(batch.line(i)).toBe(line);
        expect(statedHashOf(line)).toBe(hashes[i]);
        expect(createHash('sha256').update(hashedBytesOf(line)).digest('hex')).toBe(hashes[i]);
        expect(JSON.parse(line)).toMatchObject({ seq: i, since: 'x'.repeat(300) });
      });
    }
  });
});
