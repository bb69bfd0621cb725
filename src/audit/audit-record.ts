import { createHash } from 'node:crypto';
import { canonicalJsonFast, quoteKey } from './canonical-json-fast.js';
import type { AuditEventBody } from './audit-event.js';
import { CHAIN_FIELD_NAMES } from './audit-event.js';
import { AuditError } from './audit-error.js';

/**
 * The stored form of one record (a JSONL line, or the `body` + `hash` columns in PostgreSQL):
 *
 *   line = canonical JSON (RFC 8785) of the event without `hash`, with `,"hash":"<hex>"` inserted
 *          before the final `}`
 *   hash = SHA-256 hex of that canonical JSON
 *
 * So the bytes hashed are the line minus its fixed-size hash suffix: a verifier hashes them as they
 * are, and anyone can also re-derive the same bytes by parsing the line, dropping `hash` and
 * canonicalising again.
 */
export const HASH_SUFFIX_LENGTH = ',"hash":"'.length + 64 + '"}'.length;
const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

/**
 * A body canonicalised once, when it is appended. Its members are grouped into the runs that fall
 * between the chain fields' keys in sorted order, so sealing only concatenates a few strings.
 */
export interface PreparedBody {
  kind: AuditEventBody['kind'];
  decisionId?: string;
  /** `runs[i]`: the body's `,"key":value` members sorting before `CHAIN_KEYS[i]` (and after the one before). */
  runs: string[];
}

/** The chain fields' keys in canonical order. */
const CHAIN_KEYS = ['clockSkewMs', 'epoch', 'prev', 'seq', 'ts', 'v', 'writer'] as const;
const RESERVED = new Set(CHAIN_FIELD_NAMES);

export function prepareBody(body: AuditEventBody): PreparedBody {
  const obj = body as unknown as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const runs: string[] = ['', '', '', '', '', '', '', ''];
  let run = 0;
  for (const key of keys) {
    const value = obj[key];
    if (value === undefined) continue;
    if (RESERVED.has(key)) throw new AuditError(`an audit body must not set the chain field \`${key}\``);
    while (run < CHAIN_KEYS.length && key > (CHAIN_KEYS[run] as string)) run++;
    runs[run] += ',' + quoteKey(key) + ':' + canonicalJsonFast(value);
  }
  return { kind: body.kind, ...(body.kind === 'decision' ? { decisionId: body.decisionId } : {}), runs };
}

export interface ChainPosition {
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  prev: string;
  clockSkewMs?: number;
}

export interface SealedRecord {
  kind: AuditEventBody['kind'];
  decisionId?: string;
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  prev: string;
  hash: string;
  /** The stored line, without its newline; `hashedBytesOf(line)` is the canonical JSON that was hashed. */
  line: string;
}

export function sealRecord(prepared: PreparedBody, position: ChainPosition): SealedRecord {
  const r = prepared.runs;
  const members =
    r[0] +
    (position.clockSkewMs != null ? ',"clockSkewMs":' + String(position.clockSkewMs) : '') +
    r[1] +
    ',"epoch":' +
    String(position.epoch) +
    r[2] +
    ',"prev":"' +
    position.prev +
    '"' +
    r[3] +
    ',"seq":' +
    String(position.seq) +
    r[4] +
    ',"ts":"' +
    position.ts +
    '"' +
    r[5] +
    ',"v":1' +
    r[6] +
    ',"writer":' +
    JSON.stringify(position.writer) +
    r[7];
  const open = '{' + members.slice(1);
  const hash = createHash('sha256').update(open, 'utf8').update('}').digest('hex');
  return {
    kind: prepared.kind,
    ...(prepared.decisionId !== undefined ? { decisionId: prepared.decisionId } : {}),
    writer: position.writer,
    epoch: position.epoch,
    seq: position.seq,
    ts: position.ts,
    prev: position.prev,
    hash,
    line: open + ',"hash":"' + hash + '"}',
  };
}

export function lineFromBody(body: string, hash: string): string {
  return body.length <= 2 ? `{"hash":"${hash}"}` : body.slice(0, -1) + ',"hash":"' + hash + '"}';
}

/** The stated hash of a line, or `undefined` when the line does not end with a hash member. */
export function statedHashOf(line: string): string | undefined {
  return HASH_SUFFIX.exec(line.slice(-HASH_SUFFIX_LENGTH))?.[1];
}

/** The canonical JSON a line claims to hash (the line without its hash suffix). */
export function hashedBytesOf(line: string): string {
  return line.slice(0, -HASH_SUFFIX_LENGTH) + '}';
}

export function hashOfBody(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
