import type { AuditEvent } from './audit-event.js';
import { nodeAuditFs } from './audit-fs.js';
import { hasPackedColumns, PACKED_ROW_SPAN_MS, recordsOfRow, type PgEventRow } from './pg-packed-rows.js';
import { auditPgTables, poolOf, type AuditPgConnection } from './pg-tables.js';
import { readLines } from './read-lines.js';
import { listSegments, listWriters } from './segment-files.js';
import { segmentWindow } from './segment-window.js';
import type { AuditLogSource } from './verify-audit-log.js';

export interface AuditRecordRead {
  event: AuditEvent;
  /** The stored line (for JSON lines output). */
  line: string;
}

export interface ReadAuditRecordsOptions {
  from?: number;
  to?: number;
  /** Pushed down to PostgreSQL's index; files are filtered as they stream. */
  decisionId?: string;
}

const PG_PAGE = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Streams the records of a log in time order (writers merged by timestamp), skipping lines that
 * are not records: reading is not verifying, `verifyAuditLog` reports those.
 */
export async function* readAuditRecords(source: AuditLogSource, options: ReadAuditRecordsOptions = {}): AsyncGenerator<AuditRecordRead> {
  if ('dir' in source) {
    const writers = await listWriters(nodeAuditFs, source.dir);
    const streams = await Promise.all(writers.map(async (w) => writerRecords(source.dir, w, options)));
    yield* mergeByTs(streams);
    return;
  }
  yield* pgRecords(source.pg, options);
}

async function writerRecords(dir: string, writer: string, options: ReadAuditRecordsOptions): Promise<AsyncGenerator<AuditRecordRead>> {
  const { segments } = await segmentWindow(await listSegments(nodeAuditFs, dir, writer), options.from, options.to);
  return (async function* () {
    for (const s of segments) {
      for await (const raw of readLines(s.path)) {
        if (!raw.terminated || raw.bytes.length === 0) continue;
        const line = raw.bytes.toString('utf8');
        const event = parseEvent(line);
        if (!event) continue;
        const ts = Date.parse(event.ts);
        if (options.from !== undefined && ts < options.from) continue;
        if (options.to !== undefined && ts > options.to) return;
        if (options.decisionId !== undefined && (event.kind !== 'decision' || event.decisionId !== options.decisionId)) continue;
        yield { event, line };
      }
    }
  })();
}

async function* mergeByTs(streams: AsyncGenerator<AuditRecordRead>[]): AsyncGenerator<AuditRecordRead> {
  const heads: { stream: AsyncGenerator<AuditRecordRead>; current: AuditRecordRead }[] = [];
  for (const stream of streams) {
    const first = await stream.next();
    if (!first.done) heads.push({ stream, current: first.value });
  }
  while (heads.length > 0) {
    let min = 0;
    for (let i = 1; i < heads.length; i++) {
      if ((heads[i] as (typeof heads)[number]).current.event.ts < (heads[min] as (typeof heads)[number]).current.event.ts) min = i;
    }
    const head = heads[min] as (typeof heads)[number];
    yield head.current;
    const next = await head.stream.next();
    if (next.done) heads.splice(min, 1);
    else head.current = next.value;
  }
}

async function* pgRecords(connection: AuditPgConnection, options: ReadAuditRecordsOptions): AsyncGenerator<AuditRecordRead> {
  const tables = auditPgTables(connection.schema);
  const { pool, owned } = poolOf(connection, 1);
  try {
    // Not a UUID: no decision has it (and PostgreSQL would refuse the cast).
    if (options.decisionId !== undefined && !UUID.test(options.decisionId)) return;
    const packed = await hasPackedColumns(pool, tables.events);
    // Records of a packed row come after its `ts` (by the milliseconds its batch took): they are
    // held back until no later row can hold an earlier record, so the stream stays in time order.
    let pending: { ms: number; writer: string; epoch: number; seq: number; read: AuditRecordRead }[] = [];
    const release = function* (before: number): Generator<AuditRecordRead> {
      if (pending.length === 0 || (pending.length === 1 && (pending[0] as (typeof pending)[number]).ms >= before)) return;
      pending.sort((a, b) => a.ms - b.ms || (a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : a.epoch - b.epoch || a.seq - b.seq));
      let i = 0;
      while (i < pending.length && (pending[i] as (typeof pending)[number]).ms < before) yield (pending[i++] as (typeof pending)[number]).read;
      pending = pending.slice(i);
    };
    let after: [Date, string, number, string] | undefined;
    for (;;) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (options.from !== undefined) {
        params.push(new Date(options.from - (packed ? PACKED_ROW_SPAN_MS : 0)));
        where.push(`ts >= $${params.length}`);
      }
      if (options.to !== undefined) {
        params.push(new Date(options.to));
        where.push(`ts <= $${params.length}`);
      }
      if (options.decisionId !== undefined) {
        params.push(options.decisionId);
        where.push(packed ? `(decision_id = $${params.length}::uuid OR decision_ids @> ARRAY[$${params.length}::uuid])` : `decision_id = $${params.length}::uuid`);
      }
      if (after) {
        params.push(...after);
        const n = params.length;
        where.push(`(ts, writer_id, epoch, seq) > ($${n - 3}, $${n - 2}, $${n - 1}, $${n})`);
      }
      const page = await pool.query<PgEventRow & { ts: Date }>(
        `SELECT ts, writer_id, epoch, seq, hash, prev, body, ${packed ? 'records, decision_ids::text[] AS decision_ids' : '1 AS records, NULL::text[] AS decision_ids'} FROM ${tables.events}
         ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY ts, writer_id, epoch, seq LIMIT ${PG_PAGE}`,
        params,
      );
      for (const row of page.rows) {
        yield* release(row.ts.getTime());
        for (const r of recordsOfRow(row)) {
          const event = parseEvent(r.line);
          if (!event) continue;
          const ms = Date.parse(event.ts);
          if (options.from !== undefined && ms < options.from) continue;
          if (options.to !== undefined && ms > options.to) continue;
          if (options.decisionId !== undefined && (event.kind !== 'decision' || event.decisionId !== options.decisionId)) continue;
          pending.push({ ms: Number.isNaN(ms) ? row.ts.getTime() : ms, writer: row.writer_id, epoch: row.epoch, seq: r.seq, read: { event, line: r.line } });
        }
      }
      if (page.rows.length < PG_PAGE) break;
      const last = page.rows[page.rows.length - 1] as PgEventRow & { ts: Date };
      after = [last.ts, last.writer_id, last.epoch, String(last.seq)];
    }
    yield* release(Number.POSITIVE_INFINITY);
  } finally {
    if (owned) await pool.end();
  }
}

function parseEvent(line: string): AuditEvent | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditEvent>;
    if (typeof value !== 'object' || value === null || value.v !== 1 || typeof value.kind !== 'string' || typeof value.ts !== 'string') return undefined;
    return value as AuditEvent;
  } catch {
    return undefined;
  }
}

