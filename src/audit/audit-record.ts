import { hash } from 'node:crypto';
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
 * A body canonicalised once, when it is appended: its members, in canonical order, as one flat
 * string, cut into the runs that fall between the chain fields' keys, so sealing only concatenates
 * a few slices. One flat string (not a tree of concatenations) is the least a queued record keeps
 * alive for the garbage collector to copy.
 */
export interface PreparedBody {
  kind: AuditEventBody['kind'];
  decisionId?: string;
  /** The body's `,"key":value` members. */
  members: string;
  /** `members.slice(runEnds[i - 1] ?? 0, runEnds[i])`: the members sorting before `CHAIN_KEYS[i]` (and after the one before). */
  runEnds: number[];
}

/** The chain fields' keys in canonical order. */
const CHAIN_KEYS = ['clockSkewMs', 'epoch', 'prev', 'seq', 'ts', 'v', 'writer'] as const;
const RESERVED = new Set(CHAIN_FIELD_NAMES);

export function prepareBody(body: AuditEventBody): PreparedBody {
  const obj = body as unknown as Record<string, unknown>;
  const keys = Object.keys(obj);
  // createAuditEvent lists its keys in canonical order already; sorting is then only a check.
  if (!isSorted(keys)) keys.sort();
  const parts: string[] = [];
  const runEnds: number[] = [];
  let length = 0;
  for (const key of keys) {
    const value = obj[key];
    if (value === undefined) continue;
    if (RESERVED.has(key)) throw new AuditError(`an audit body must not set the chain field \`${key}\``);
    while (runEnds.length < CHAIN_KEYS.length && key > (CHAIN_KEYS[runEnds.length] as string)) runEnds.push(length);
    const member = ',' + quoteKey(key) + ':' + canonicalJsonFast(value);
    parts.push(member);
    length += member.length;
  }
  while (runEnds.length <= CHAIN_KEYS.length) runEnds.push(length);
  const prepared: PreparedBody = { kind: body.kind, members: parts.join(''), runEnds };
  if (body.kind === 'decision') prepared.decisionId = body.decisionId;
  return prepared;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!((keys[i - 1] as string) < (keys[i] as string))) return false;
  return true;
}

export interface ChainPosition {
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  prev: string;
  clockSkewMs?: number;
}

/** A record once chained: where it sits in the chain and its hash (its bytes are in a `SealedBatch`). */
export interface SealedRecord {
  kind: AuditEventBody['kind'];
  decisionId?: string;
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  prev: string;
  hash: string;
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
  return hash('sha256', body, 'hex');
}
