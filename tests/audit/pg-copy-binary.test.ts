import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import copyStreams from 'pg-copy-streams';
import type pg from 'pg';
import { hashedBytesOf, prepareBody, type ChainPosition } from '../../src/audit/audit-record.js';
import { AuditError } from '../../src/audit/audit-error.js';
import { GENESIS_HASH } from '../../src/audit/audit-event.js';
import { AUDIT_COPY_COLUMNS, AUDIT_PACKED_COPY_COLUMNS, createCopyBuffers, pgCopyBinary } from '../../src/audit/pg-copy-binary.js';
import { recordsOfRow } from '../../src/audit/pg-packed-rows.js';
import { createBatchEncoder, type SealedBatch } from '../../src/audit/record-encoder.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';

/** Three records: a decision with non-ASCII text and a backslash, a decision, and a record with no decision id. */
/** Records at these times (the first two with non-ASCII text, every third without a decision id). */
function timedBatch(times: string[]): SealedBatch {
  const encoder = createBatchEncoder(64);
  encoder.begin();
  let prev = GENESIS_HASH;
  times.forEach((ts, i) => {
    const body = i % 3 === 2 ? prepareBody({ kind: 'writer-stop', reason: 'close', records: i }) : prepareBody(sampleBody({}, `user-${i}`, i < 2 ? 'über \\ "q"\n日本語 🙂' : 'plain'));
    prev = encoder.seal(body, { writer: 'w-1', epoch: 2, seq: i, ts, prev }).hash;
  });
  return encoder.finish();
}

function sealedBatch(decisionIds: string[] = []): SealedBatch {
  const encoder = createBatchEncoder(64);
  encoder.begin();
  let prev = GENESIS_HASH;
  const bodies = [
    sampleBody({}, 'user-ü', 'ein Gedicht über Ä \\ "quotes"\ttab\nnewline 日本語 🙂'),
    sampleBody({}, 'user-2', 'plain'),
    prepareBody({ kind: 'writer-stop', reason: 'close', records: 2 }),
  ];
  bodies.forEach((body, i) => {
    const prepared = 'members' in body ? body : prepareBody(body);
    if (decisionIds[i] !== undefined) prepared.decisionId = decisionIds[i];
    const position: ChainPosition = { writer: 'w-1', epoch: 2, seq: i + 1, ts: `2026-12-0${i + 1}T10:11:12.34${i}Z`, prev };
    prev = encoder.seal(prepared, position).hash;
  });
  return encoder.finish();
}

describe('pgCopyBinary: the COPY binary rows of a sealed batch', () => {
  it('writes the header, one 9-field tuple per record and the trailer', () => {
    const batch = sealedBatch();
    const out = pgCopyBinary('w-1', 2, batch);
    expect(out.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(out.readInt32BE(11)).toBe(0);
    expect(out.readInt32BE(15)).toBe(0);
    expect(out.readInt16BE(19)).toBe(9);
    expect(out.readInt16BE(out.length - 2)).toBe(-1);
    // The first field is the writer id.
    expect(out.readInt32BE(21)).toBe(3);
    expect(out.subarray(25, 28).toString()).toBe('w-1');
  });

  it('writes a decision id as its 16 bytes, upper- or lower-case alike', () => {
    const id = '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
    const lower = pgCopyBinary('w-1', 2, sealedBatch([id]));
    const upper = pgCopyBinary('w-1', 2, sealedBatch([id.toUpperCase()]));
    const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
    const at = lower.indexOf(bytes);
    expect(at).toBeGreaterThan(0);
    expect(lower.readInt32BE(at - 4)).toBe(16);
    expect(upper.indexOf(bytes)).toBe(at);
  });

  it('writes into a buffer it is given (the first bytes of it), the same rows as into a fresh one', () => {
    const batch = sealedBatch();
    const fresh = pgCopyBinary('w-1', 2, batch);
    const given = Buffer.alloc(fresh.length + 100, 0xee);
    const out = pgCopyBinary('w-1', 2, batch, (size) => {
      expect(size).toBe(fresh.length);
      return given;
    });
    expect(out.buffer).toBe(given.buffer);
    expect(out.byteOffset).toBe(given.byteOffset);
    expect(out.equals(fresh)).toBe(true);
    expect(given[fresh.length]).toBe(0xee);
  });

  it('reuses a buffer once it is given back, and never hands one out twice', () => {
    const buffers = createCopyBuffers(2, 1024);
    const a = buffers.take(100);
    const b = buffers.take(100);
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(1024);
    buffers.give(a);
    expect(buffers.take(500)).toBe(a);
    buffers.give(a);
    // Too small for 5000 bytes: a larger one, the small one kept for later.
    const big = buffers.take(5000);
    expect(big.length).toBeGreaterThanOrEqual(5000);
    expect(buffers.take(10)).toBe(a);
  });

  it('refuses a decision id that is not a UUID, as the uuid column would', () => {
    const batch = sealedBatch(['not-a-uuid']);
    expect(() => pgCopyBinary('w-1', 2, batch)).toThrow(AuditError);
    expect(() => pgCopyBinary('w-1', 2, batch)).toThrow(/decision id that is not a UUID: "not-a-uuid"/);
  });
});

function copy(client: pg.PoolClient, sql: string, payload: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = (client as unknown as { query(s: copyStreams.CopyStreamQuery): copyStreams.CopyStreamQuery }).query(copyStreams.from(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(payload);
  });
}

/** The same rows as PostgreSQL's text COPY format spells them (the reference). */
function textRows(writerId: string, epoch: number, batch: SealedBatch): string {
  const esc = (s: string): string => s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string);
  return batch.records
    .map((r, i) => [writerId, epoch, r.seq, r.ts, r.kind, r.decisionId ?? '\\N', r.prev, r.hash, esc(hashedBytesOf(batch.line(i)))].join('\t') + '\n')
    .join('');
}

describe.skipIf(!PG_URL)('pgCopyBinary into PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('stores exactly what a text COPY of the same batch stores', async () => {
    const batch = sealedBatch();
    const client = await db.pool.connect();
    try {
      await client.query(`SET search_path TO ${db.schema}`);
      await client.query(`CREATE TABLE text_copy (LIKE saferoute_audit_events INCLUDING DEFAULTS)`);
      await copy(client, `COPY text_copy ${AUDIT_COPY_COLUMNS} FROM STDIN`, textRows('w-1', 2, batch));
      await copy(client, `COPY saferoute_audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN (FORMAT binary)`, pgCopyBinary('w-1', 2, batch));
      const cols = 'writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body';
      const binary = await client.query(`SELECT ${cols} FROM saferoute_audit_events ORDER BY seq`);
      const text = await client.query(`SELECT ${cols} FROM text_copy ORDER BY seq`);
      expect(binary.rows).toHaveLength(3);
      expect(binary.rows).toEqual(text.rows);
      expect(binary.rows.map((r: { body: string }) => r.body)).toEqual(batch.records.map((_, i) => hashedBytesOf(batch.line(i))));
      expect(binary.rows[0].ts.toISOString()).toBe('2026-12-01T10:11:12.340Z');
      expect(binary.rows[0].decision_id).toBe(batch.records[0]?.decisionId);
      expect(binary.rows[2].decision_id).toBeNull();
    } finally {
      client.release();
    }
  });

  it('packs runs of records into rows, cut at the pack size, where the clock jumps and at a month boundary; each row reads back as its records', async () => {
    const times = ['2026-11-30T23:59:58.000Z', '2026-11-30T23:59:58.000Z', '2026-11-30T23:59:58.500Z', '2026-11-30T23:59:58.700Z', '2026-11-30T23:59:58.900Z', '2026-11-30T23:59:59.990Z', '2026-12-01T00:00:00.001Z', '2026-12-01T00:00:00.002Z'];
    const batch = timedBatch(times);
    const client = await db.pool.connect();
    try {
      await client.query(`SET search_path TO ${db.schema}`);
      await client.query(`CREATE TABLE packed_copy (LIKE saferoute_audit_events INCLUDING DEFAULTS)`);
      await copy(client, `COPY packed_copy ${AUDIT_PACKED_COPY_COLUMNS} FROM STDIN (FORMAT binary)`, pgCopyBinary('w-1', 2, batch, undefined, 4));
      const rows = (await client.query(`SELECT writer_id, epoch, seq, ts, kind, decision_id::text, prev, hash, body, records, decision_ids::text[] FROM packed_copy ORDER BY seq`)).rows;
      // 4 at most; the 6th record is more than a second after the 5th's run began; December starts a row.
      expect(rows.map((r: { seq: string; records: number }) => [Number(r.seq), r.records])).toEqual([[0, 4], [4, 1], [5, 1], [6, 2]]);
      const read = rows.flatMap((r: Parameters<typeof recordsOfRow>[0]) => recordsOfRow(r));
      expect(read.map((r) => r.line)).toEqual(times.map((_, i) => batch.line(i)));
      expect(read.map((r) => r.hashed)).toEqual(times.map((_, i) => hashedBytesOf(batch.line(i))));
      expect(read.map((r) => r.columns.decisionId ?? null)).toEqual(batch.records.map((r) => r.decisionId ?? null));
      expect(rows[0].prev).toBe(batch.records[0]?.prev);
      expect(rows[0].hash).toBe(batch.records[3]?.hash);
      expect(rows[0].ts.toISOString()).toBe(times[0]);
      expect(rows[1].decision_id).toBe(batch.records[4]?.decisionId);
    } finally {
      client.release();
    }
  });
});

describe.skipIf(PG_URL)('pgCopyBinary into PostgreSQL (skipped)', () => {
  it.skip(PG_SKIP_NOTE, () => undefined);
});
