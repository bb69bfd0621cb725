import { AuditError } from './audit-error.js';
import type { SealedBatch } from './record-encoder.js';
import { HASH_SUFFIX_LENGTH } from './audit-record.js';
import { PACKED_ROW_MAX_SPAN_MS } from './pg-packed-rows.js';

/** The columns `pgCopyBinary` writes, in order (the `COPY` statement names them). */
export const AUDIT_COPY_COLUMNS = '(writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body)';

// PGCOPY\n\377\r\n\0, flags 0, header extension length 0 (PostgreSQL's COPY binary format).
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
const FIELDS = 9;
/** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
const PG_EPOCH_MS = 946_684_800_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns `pgCopyBinary` writes when it packs records (migration `0120_audit_events_packed`). */
export const AUDIT_PACKED_COPY_COLUMNS = '(writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body, records, decision_ids)';
const PACKED_FIELDS = 11;
/** The OID of `uuid`, the element type of `decision_ids`. */
const UUID_OID = 2950;

/**
 * A sealed batch as the rows of `COPY saferoute_audit_events … FROM STDIN (FORMAT binary)`.
 * PostgreSQL parses a text COPY byte by byte (escapes, delimiters); a binary field is taken by its
 * length, so the kilobyte-long bodies cost the server a copy instead of a scan — measured here:
 * 2.5–3× fewer server milliseconds per batch. The body bytes are taken from the batch's buffer as
 * they were hashed; nothing is decoded and re-encoded. A value PostgreSQL would refuse in a text
 * COPY (a decision id that is not a UUID, a timestamp that does not parse) is refused here, so a
 * batch fails the same way whichever format carries it.
 *
 * With `pack` > 1 (the columns `AUDIT_PACKED_COPY_COLUMNS`), runs of up to `pack` consecutive
 * records of the same month share one row (see `pg-packed-rows.ts`): `seq`, `ts`, `kind` and
 * `prev` are the first record's, `hash` the last one's, `body` their stored lines (hash members
 * included) joined by newlines, `records` their number and `decision_ids` their decision ids. A
 * run of one record is an ordinary row.
 *
 * `alloc` gives the buffer to write into (at least `size` bytes; the rows are the first `size`):
 * the chain store passes buffers it reuses (see `createCopyBuffers`).
 */
export function pgCopyBinary(writerId: string, epoch: number, batch: SealedBatch, alloc: (size: number) => Buffer = Buffer.allocUnsafe, pack = 1): Buffer {
  const writer = Buffer.from(writerId, 'utf8');
  const n = batch.records.length;
  const packed = pack > 1;
  // Where each record's hashed bytes lie in `batch.bytes`, asked once per record.
  const starts = new Array<number>(n);
  const ends = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const { start, end } = batch.hashedRange(i);
    starts[i] = start;
    ends[i] = end;
  }
  // Each record's time in milliseconds, parsed once per run of equal timestamps (a writer gives
  // many records in a row the same one: its clock is read once per millisecond).
  const times = new Array<number>(n);
  let parsedTs = '';
  let parsedMs = 0;
  for (let i = 0; i < n; i++) {
    const ts = batch.records[i]!.ts;
    if (ts !== parsedTs) {
      parsedMs = Date.parse(ts);
      if (!Number.isFinite(parsedMs)) throw new AuditError(`audit record ${writerId}/${epoch}/${batch.records[i]!.seq} has a timestamp PostgreSQL cannot store: ${JSON.stringify(ts)}`);
      parsedTs = ts;
    }
    times[i] = parsedMs;
  }
  // Rows: [first, last) record indices. A run ends at `pack` records, where the month changes (a
  // row lies in one monthly partition) or past PACKED_ROW_MAX_SPAN_MS after its first record (a
  // reader finds a row's records by the row's `ts`).
  const runEnds: number[] = [];
  let size = HEADER.length + 2;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    if (packed) {
      const month = batch.records[i]!.ts.slice(0, 7);
      const until = times[i]! + PACKED_ROW_MAX_SPAN_MS;
      while (j < n && j - i < pack && times[j]! <= until && batch.records[j]!.ts.slice(0, 7) === month) j++;
    }
    runEnds.push(j);
    const r = batch.records[i]!;
    size += 2 + FIELDS * 4 + writer.length + 4 + 8 + 8 + r.kind.length + 64 + 64;
    if (j - i === 1) {
      size += (r.decisionId === undefined ? 0 : 16) + (ends[i]! - starts[i]! + 1);
      if (packed) size += 2 * 4 + 4;
    } else {
      // body: the lines from the first record's start to the last one's hash member, newlines between
      size += ends[j - 1]! + HASH_SUFFIX_LENGTH - starts[i]!;
      size += 2 * 4 + 4 + 20;
      for (let k = i; k < j; k++) size += 4 + (batch.records[k]!.decisionId === undefined ? 0 : 16);
    }
    i = j;
  }
  const out = alloc(size).subarray(0, size);
  let at = HEADER.copy(out, 0);
  // A writer gives many records in a row the same timestamp (its clock read once per millisecond).
  let lastTs = '';
  let lastMicros = 0;
  let i = 0;
  for (const j of runEnds) {
    const r = batch.records[i]!;
    const last = batch.records[j - 1]!;
    const where = (): string => `audit record ${writerId}/${epoch}/${r.seq}`;
    at = out.writeInt16BE(packed ? PACKED_FIELDS : FIELDS, at);
    // writer_id text
    at = out.writeInt32BE(writer.length, at);
    at += writer.copy(out, at);
    // epoch integer
    at = out.writeInt32BE(4, at);
    at = out.writeInt32BE(epoch, at);
    // seq bigint
    at = out.writeInt32BE(8, at);
    at = writeInt64(out, r.seq, at);
    // ts timestamptz: microseconds since 2000-01-01 UTC
    if (r.ts !== lastTs) {
      lastTs = r.ts;
      lastMicros = (times[i]! - PG_EPOCH_MS) * 1000;
    }
    at = out.writeInt32BE(8, at);
    at = writeInt64(out, lastMicros, at);
    // kind text (ASCII: a closed list of record kinds)
    at = out.writeInt32BE(r.kind.length, at);
    at += out.write(r.kind, at, 'latin1');
    // decision_id uuid (or NULL; a packed row's are in decision_ids)
    if (r.decisionId === undefined || j - i > 1) {
      at = out.writeInt32BE(-1, at);
    } else {
      at = out.writeInt32BE(16, at);
      at = writeUuid(out, r.decisionId, at, () => `${where()} has a decision id that is not a UUID: ${JSON.stringify(r.decisionId)}`);
    }
    // prev (the first record's), hash (the last one's) char(64)
    for (let k = i; k < j; k++) {
      const x = batch.records[k]!;
      if (x.prev.length !== 64 || x.hash.length !== 64) throw new AuditError(`audit record ${writerId}/${epoch}/${x.seq} has a chain hash that is not 64 characters long`);
    }
    at = out.writeInt32BE(64, at);
    at += out.write(r.prev, at, 'latin1');
    at = out.writeInt32BE(64, at);
    at += out.write(last.hash, at, 'latin1');
    if (j - i === 1) {
      // body text: the hashed bytes, closed by the brace the stored line replaces with the hash member
      const start = starts[i]!;
      const end = ends[i]!;
      at = out.writeInt32BE(end - start + 1, at);
      at += batch.bytes.copy(out, at, start, end);
      out[at++] = 0x7d; // }
      if (packed) {
        at = out.writeInt32BE(4, at);
        at = out.writeInt32BE(1, at);
        at = out.writeInt32BE(-1, at);
      }
    } else {
      // body text: the stored lines, newline-separated
      const start = starts[i]!;
      const end = ends[j - 1]! + HASH_SUFFIX_LENGTH;
      at = out.writeInt32BE(end - start, at);
      at += batch.bytes.copy(out, at, start, end);
      // records integer
      at = out.writeInt32BE(4, at);
      at = out.writeInt32BE(j - i, at);
      // decision_ids uuid[]: one dimension, its null flag, element type, length, lower bound 1
      const lengthAt = at;
      at += 4;
      const arrayStart = at;
      at = out.writeInt32BE(1, at);
      const nullFlagAt = at;
      at = out.writeInt32BE(0, at);
      at = out.writeInt32BE(UUID_OID, at);
      at = out.writeInt32BE(j - i, at);
      at = out.writeInt32BE(1, at);
      for (let k = i; k < j; k++) {
        const id = batch.records[k]!.decisionId;
        if (id === undefined) {
          out.writeInt32BE(1, nullFlagAt);
          at = out.writeInt32BE(-1, at);
        } else {
          at = out.writeInt32BE(16, at);
          at = writeUuid(out, id, at, () => `audit record ${writerId}/${epoch}/${batch.records[k]!.seq} has a decision id that is not a UUID: ${JSON.stringify(id)}`);
        }
      }
      out.writeInt32BE(at - arrayStart, lengthAt);
    }
    i = j;
  }
  at = out.writeInt16BE(-1, at);
  if (at !== size) throw new AuditError(`internal error: a COPY batch of audit writer \`${writerId}\` came out ${at} bytes long, not ${size}`);
  return out;
}

/** The 16 bytes of a UUID in its 8-4-4-4-12 hex form, checked as PostgreSQL's uuid input would. */
function writeUuid(out: Buffer, id: string, at: number, problem: () => string): number {
  if (id.length !== 36 || !UUID.test(id)) throw new AuditError(problem());
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    out[at++] = (hexValue(id.charCodeAt(i)) << 4) | hexValue(id.charCodeAt(i + 1));
  }
  return at;
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** An integer (exact up to 2^53) as a big-endian int64. */
function writeInt64(out: Buffer, value: number, at: number): number {
  const high = Math.floor(value / 0x1_0000_0000);
  at = out.writeInt32BE(high, at);
  return out.writeUInt32BE(value - high * 0x1_0000_0000, at);
}

/**
 * Output buffers for `pgCopyBinary`, reused from batch to batch. A batch's rows are 100–700 KB: a
 * fresh buffer that size is memory the process may have to fault in page by page (malloc hands
 * large blocks back to the kernel when they are freed), and page faults are dear on a virtual
 * machine — measured on a 2-core one: filling a fresh 180 KB buffer took 300–600 µs, a reused one
 * 6 µs. A buffer is given back only once the socket has taken its bytes.
 */
export interface CopyBuffers {
  /** A buffer of at least `size` bytes, not in use by any other batch. */
  take(size: number): Buffer;
  /** `buffer` (as `take` gave it) is free again. */
  give(buffer: Buffer): void;
}

export function createCopyBuffers(keep = 8, minBytes = 1 << 20): CopyBuffers {
  const free: Buffer[] = [];
  return {
    take(size) {
      for (let i = free.length - 1; i >= 0; i--) {
        const b = free[i] as Buffer;
        if (b.length >= size) {
          free.splice(i, 1);
          return b;
        }
      }
      // None is large enough: a new one with room to grow (the smaller free ones stay for smaller batches).
      let bytes = minBytes;
      while (bytes < size) bytes *= 2;
      return Buffer.allocUnsafe(bytes);
    },
    give(buffer) {
      if (free.length < keep) free.push(buffer);
    },
  };
}
