import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonical-json.js';
import { hashedBytesOf, prepareBody, sealRecord, statedHashOf } from './audit-record.js';
import { AuditError } from './audit-error.js';

const position = { writer: 'w1', epoch: 3, seq: 7, ts: '2025-06-01T12:00:00.000Z', prev: 'ab'.repeat(32) };

describe('sealRecord', () => {
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

  it('refuses a body that sets a chain field', () => {
    expect(() => prepareBody({ kind: 'writer-stop', reason: 'close', records: 1, seq: 4 } as never)).toThrow(AuditError);
  });

  it('finds no stated hash on a line that does not end with one', () => {
    expect(statedHashOf('{"a":1}')).toBeUndefined();
    expect(statedHashOf('{"hash":"' + 'g'.repeat(64) + '"}')).toBeUndefined();
  });
});
