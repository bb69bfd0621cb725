import { hashedBytesOf, lineFromBody, statedHashOf } from './audit-record.js';
import type { PgQueryable } from '../db/pg-pool-like.js';

/**
 * Rows of the PostgreSQL audit table. Most hold one record: `body` is its hashed canonical JSON,
 * `hash` its hash and the other columns copies of its fields. A busy writer packs runs of
 * consecutive records of one month into one row (migration `0120_audit_events_packed`): `records`
 * says how many, `body` holds their stored lines (each with its hash member) joined by newlines,
 * `seq`, `ts`, `kind` and `prev` are the first record's, `hash` the last one's, `decision_id` is
 * NULL and `decision_ids` lists every record's decision id (NULL for a record without one). One
 * row is one tuple and one entry per index for several records, and its body is long enough for
 * PostgreSQL to compress: measured on a 2-core machine, runs of 8 took a third of the server CPU
 * per record that rows of one did. A row is inserted whole or not at all, so a run is never
 * half-visible either.
 */
export interface PgEventRow {
  writer_id: string;
  epoch: number;
  seq: string | number;
  prev: string;
  hash: string;
  body: string;
  kind?: string;
  decision_id?: string | null;
  /** 1 when the table predates packing (see `packedColumns`). */
  records?: number;
  decision_ids?: (string | null)[] | null;
}

/** One record of a row. */
export interface RowRecord {
  seq: number;
  /** The stored line (with its hash member). */
  line: string;
  /** The bytes the hash is over. */
  hashed: string;
  /** The hash the row states for it (the `hash` column, or the line's own hash member in a packed row). */
  statedHash: string | undefined;
  /** The columns that describe this record, to check against its body (those a packed row has no column for are left out). */
  columns: { seq: number; prev?: string; kind?: string; decisionId?: string | null; hash?: string };
  /** A packed row whose `records` disagrees with the lines it holds (reported once, on its first record). */
  recordsMismatch?: { stated: number; lines: number };
}

/**
 * What to select for `records` and `decision_ids`: the columns when the table has them, else the
 * values every row of an older table has (so readers work before `saferoute migrate` adds them).
 */
export async function packedColumns(db: PgQueryable, table: string): Promise<string> {
  return (await hasPackedColumns(db, table)) ? 'records, decision_ids::text[] AS decision_ids' : '1 AS records, NULL::text[] AS decision_ids';
}

/** Whether the events table (or one of its partitions) has the columns of migration 0120 (a writer packs rows only then). */
export async function hasPackedColumns(db: PgQueryable, table: string): Promise<boolean> {
  const res = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname IN ('records', 'decision_ids') AND NOT attisdropped`,
    [table],
  );
  return Number(res.rows[0]?.n ?? 0) === 2;
}

/** The records a row holds, in seq order. */
export function recordsOfRow(row: PgEventRow): RowRecord[] {
  const seq = Number(row.seq);
  const stated = row.records ?? 1;
  if (stated === 1 && !row.decision_ids) {
    const statedHash = /^[0-9a-f]{64}$/.test(row.hash) ? row.hash : undefined;
    return [
      {
        seq,
        line: statedHash ? lineFromBody(row.body, statedHash) : row.body,
        hashed: row.body,
        statedHash,
        columns: { seq, prev: row.prev, ...(row.kind !== undefined ? { kind: row.kind } : {}), ...(row.decision_id !== undefined ? { decisionId: row.decision_id } : {}) },
      },
    ];
  }
  const lines = row.body.split('\n');
  const out: RowRecord[] = lines.map((line, i) => {
    const statedHash = statedHashOf(line);
    const columns: RowRecord['columns'] = { seq: seq + i, decisionId: row.decision_ids?.[i] ?? null };
    if (i === 0) {
      columns.prev = row.prev;
      if (row.kind !== undefined) columns.kind = row.kind;
    }
    if (i === lines.length - 1) columns.hash = row.hash;
    return { seq: seq + i, line, hashed: statedHash ? hashedBytesOf(line) : line, statedHash, columns };
  });
  if (lines.length !== stated || (row.decision_ids && row.decision_ids.length !== lines.length)) {
    (out[0] as RowRecord).recordsMismatch = { stated, lines: lines.length };
  }
  return out;
}

/** The seq of a row's last record. */
export function lastSeqOfRow(row: { seq: string | number; records?: number }): number {
  return Number(row.seq) + (row.records ?? 1) - 1;
}

/**
 * A packed row's records lie within this long after its `ts` (its first record's): a writer seals
 * a batch in milliseconds, and cuts a run where its clock jumped further (`pgCopyBinary`).
 */
export const PACKED_ROW_MAX_SPAN_MS = 1000;

/**
 * A reader that wants records from a time on asks for rows from this much earlier (a margin over
 * `PACKED_ROW_MAX_SPAN_MS`), and then keeps the records of the window.
 */
export const PACKED_ROW_SPAN_MS = 60_000;
