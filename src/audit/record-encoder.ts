import { hash } from 'node:crypto';
import { HASH_SUFFIX_LENGTH, type ChainPosition, type PreparedBody, type SealedRecord } from './audit-record.js';

/** Sealed records as a JSONL segment stores them: one line per record, each followed by a newline. */
export interface SealedBatch {
  readonly records: readonly SealedRecord[];
  /** The lines, each followed by `\n`. A view into the encoder's buffer: valid until the next batch begins. */
  readonly bytes: Buffer;
  /** The stored line of `records[i]`, without its newline. */
  line(i: number): string;
  /**
   * Where `records[i]`'s hashed bytes (its line without the hash member) lie in `bytes`: they are
   * `bytes[start, end)` followed by one `}` — the line holds the hash member in that brace's place.
   */
  hashedRange(i: number): { start: number; end: number };
}

/**
 * Seals prepared bodies straight into one reused byte buffer: each record's line is encoded once,
 * hashed from those bytes and followed by its hash suffix, so no per-record line string is kept
 * and nothing per record is left for the garbage collector but the record's small descriptor.
 */
export interface BatchEncoder {
  /** Starts a new batch (the previous batch's bytes are overwritten). */
  begin(): void;
  seal(prepared: PreparedBody, position: ChainPosition): SealedRecord;
  finish(): SealedBatch;
}

const HASH_HEAD = ',"hash":"';
/** Room for the hash suffix and newline after a record's members. */
const SUFFIX_ROOM = HASH_HEAD.length + 64 + 3;

/** The members of run `i` (those between chain keys `i - 1` and `i`). */
function run(prepared: PreparedBody, i: number): string {
  return prepared.members.slice(i === 0 ? 0 : (prepared.runEnds[i - 1] as number), prepared.runEnds[i] as number);
}

export function createBatchEncoder(initialBytes = 1 << 20): BatchEncoder {
  let buf = Buffer.allocUnsafe(initialBytes);
  let at = 0;
  let records: SealedRecord[] = [];
  let ends: number[] = [];
  let epochText = { epoch: Number.NaN, text: '' };
  let writerText = { writer: '', text: '' };

  function ensure(room: number): void {
    if (at + room <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + room));
    buf.copy(bigger, 0, 0, at);
    buf = bigger;
  }

  return {
    begin() {
      at = 0;
      records = [];
      ends = [];
    },
    seal(prepared, position) {
      if (position.epoch !== epochText.epoch) epochText = { epoch: position.epoch, text: ',"epoch":' + String(position.epoch) };
      if (position.writer !== writerText.writer) writerText = { writer: position.writer, text: ',"writer":' + JSON.stringify(position.writer) };
      // Every member starts with a comma; the first one becomes the opening brace below.
      const members =
        run(prepared, 0) +
        (position.clockSkewMs != null ? ',"clockSkewMs":' + String(position.clockSkewMs) : '') +
        run(prepared, 1) +
        epochText.text +
        run(prepared, 2) +
        ',"prev":"' +
        position.prev +
        '"' +
        run(prepared, 3) +
        ',"seq":' +
        String(position.seq) +
        run(prepared, 4) +
        ',"ts":"' +
        position.ts +
        '"' +
        run(prepared, 5) +
        ',"v":1' +
        run(prepared, 6) +
        writerText.text +
        run(prepared, 7);
      ensure(members.length * 3 + SUFFIX_ROOM);
      const start = at;
      at += buf.write(members, at, 'utf8');
      buf[start] = 0x7b; // {
      // The hashed bytes are the members closed by `}`; the stored line puts the hash before that brace.
      buf[at] = 0x7d; // }
      const digest = hash('sha256', buf.subarray(start, at + 1), 'hex');
      at += buf.write(HASH_HEAD, at, 'latin1');
      at += buf.write(digest, at, 'latin1');
      buf[at++] = 0x22; // "
      buf[at++] = 0x7d; // }
      buf[at++] = 0x0a; // \n
      ends.push(at);
      const record: SealedRecord = {
        kind: prepared.kind,
        writer: position.writer,
        epoch: position.epoch,
        seq: position.seq,
        ts: position.ts,
        prev: position.prev,
        hash: digest,
      };
      if (prepared.decisionId !== undefined) record.decisionId = prepared.decisionId;
      records.push(record);
      return record;
    },
    finish() {
      const bytes = buf.subarray(0, at);
      const lineEnds = ends;
      return {
        records,
        bytes,
        line: (i) => bytes.toString('utf8', i === 0 ? 0 : (lineEnds[i - 1] as number), (lineEnds[i] as number) - 1),
        hashedRange: (i) => ({ start: i === 0 ? 0 : (lineEnds[i - 1] as number), end: (lineEnds[i] as number) - 1 - HASH_SUFFIX_LENGTH }),
      };
    },
  };
}
