import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.js';

/** Where one writer's chain stood when a checkpoint was signed. */
export interface CheckpointHead {
  writer: string;
  epoch: number;
  seq: number;
  hash: string;
  ts: string;
}

/**
 * A signed statement of the writers' heads. Checkpoints form their own chain per checkpointer
 * (`prev` is the hash of the previous checkpoint, across epochs), so a verifier holding them can
 * tell a log that was cut short or rewritten after the fact, even if every record was re-hashed.
 *
 *   hash = SHA-256 hex of the canonical JSON without `hash` and `sig`
 *   sig  = Ed25519 signature (base64url) over the same canonical JSON
 */
export interface AuditCheckpoint {
  v: 1;
  kind: 'checkpoint';
  checkpointer: string;
  epoch: number;
  /** Numbered from 0 within the checkpointer's epoch. */
  n: number;
  ts: string;
  heads: CheckpointHead[];
  prev: string;
  /** Set when the previous checkpoint could not be read, so `prev` is the genesis hash. */
  previousUnreadable?: { epoch: number; reason: string };
  keyId: string;
  hash: string;
  sig: string;
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'hash' | 'sig'>;

export function signCheckpoint(unsigned: UnsignedCheckpoint, key: KeyObject): AuditCheckpoint {
  const bytes = Buffer.from(canonicalJson(unsigned), 'utf8');
  return {
    ...unsigned,
    hash: createHash('sha256').update(bytes).digest('hex'),
    sig: sign(null, bytes, key).toString('base64url'),
  };
}

export function checkpointLine(checkpoint: AuditCheckpoint): string {
  return canonicalJson(checkpoint);
}

/** Recomputes the hash; `undefined` when the stated one matches. */
export function checkpointHashProblem(checkpoint: AuditCheckpoint): string | undefined {
  const { hash, sig: _sig, ...unsigned } = checkpoint;
  const actual = createHash('sha256').update(canonicalJson(unsigned), 'utf8').digest('hex');
  return actual === hash ? undefined : `hash is ${actual}, the checkpoint states ${hash}`;
}

export function checkpointSignatureValid(checkpoint: AuditCheckpoint, key: KeyObject): boolean {
  const { hash: _hash, sig, ...unsigned } = checkpoint;
  try {
    return verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key, Buffer.from(sig, 'base64url'));
  } catch {
    return false;
  }
}

/** Shape check for a parsed checkpoint line (it came from a file anyone could have edited). */
export function isCheckpointShape(value: unknown): value is AuditCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c['v'] === 1 &&
    c['kind'] === 'checkpoint' &&
    typeof c['checkpointer'] === 'string' &&
    Number.isInteger(c['epoch']) &&
    Number.isInteger(c['n']) &&
    typeof c['ts'] === 'string' &&
    Array.isArray(c['heads']) &&
    (c['heads'] as unknown[]).every(
      (h) =>
        typeof h === 'object' &&
        h !== null &&
        typeof (h as CheckpointHead).writer === 'string' &&
        Number.isInteger((h as CheckpointHead).epoch) &&
        Number.isInteger((h as CheckpointHead).seq) &&
        typeof (h as CheckpointHead).hash === 'string',
    ) &&
    typeof c['prev'] === 'string' &&
    typeof c['keyId'] === 'string' &&
    typeof c['hash'] === 'string' &&
    typeof c['sig'] === 'string'
  );
}
