import { checkpointHashProblem, isCheckpointShape, type AuditCheckpoint } from './audit-checkpoint.js';

/**
 * A place outside the log that keeps a copy of every signed checkpoint: another directory, a
 * PostgreSQL table, an HTTP endpoint another party runs. Whoever can write the log directory can
 * delete its newest segments together with their checkpoints, and what remains verifies clean;
 * a witness they cannot write still holds the newest checkpoint, so `verifyAuditLog` can tell
 * the log ends before it. Like CloudTrail digest files or Certificate Transparency, it proves
 * completeness up to the newest checkpoint it accepted, not beyond.
 */
export interface CheckpointWitness {
  readonly kind: 'file' | 'pg' | 'http';
  /** Where it is, for messages (a password in a URL is masked). */
  readonly location: string;
  /** A directory on this machine (file witnesses): the sink and `verify` refuse one inside the log directory. */
  readonly path?: string;
  /** Resolves once the witness holds the checkpoint durably; rejects otherwise. */
  publish(checkpoint: AuditCheckpoint): Promise<void>;
  /** The newest checkpoint (highest epoch, then number) the witness holds for each checkpointer. */
  latest(): Promise<AuditCheckpoint[]>;
  close(): Promise<void>;
}

/** `> 0` when `a` comes after `b` in one checkpointer's sequence. */
export function compareCheckpoints(a: Pick<AuditCheckpoint, 'epoch' | 'n'>, b: Pick<AuditCheckpoint, 'epoch' | 'n'>): number {
  return a.epoch - b.epoch || a.n - b.n;
}

/** Parses one stored checkpoint; `undefined` when it is not an intact checkpoint. */
export function parseWitnessedCheckpoint(text: string): AuditCheckpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isCheckpointShape(value) && !checkpointHashProblem(value) ? value : undefined;
}

/**
 * A witness only moves forward. Returns why `checkpoint` must be refused given the newest one
 * held for its checkpointer (`undefined`: accept; `'held'`: already held, nothing to do). A
 * checkpoint at or before the newest held means the log was rolled back or reset, or another log
 * publishes under the same writer id: accepting it would let the newest witnessed checkpoint move
 * back to whatever the rolled-back log still holds.
 */
export function witnessRefusal(checkpoint: AuditCheckpoint, newest: AuditCheckpoint | undefined, location: string): string | 'held' | undefined {
  if (!newest || compareCheckpoints(checkpoint, newest) > 0) return undefined;
  if (compareCheckpoints(checkpoint, newest) === 0 && checkpoint.hash === newest.hash) return 'held';
  const name = `${checkpoint.checkpointer}/${checkpoint.epoch}#${checkpoint.n}`;
  return `the witness \`${location}\` already holds checkpoint ${newest.checkpointer}/${newest.epoch}#${newest.n}${compareCheckpoints(checkpoint, newest) === 0 ? ', another one under that number' : ''}, so it refuses ${name}: the log of writer \`${checkpoint.checkpointer}\` was rolled back or reset, or another log publishes under that writer id here (give each log its own witness, or delete this one only if the log it witnessed is meant to go)`;
}

/** Keeps the newest of each checkpointer. */
export function newestPerCheckpointer(checkpoints: Iterable<AuditCheckpoint>): AuditCheckpoint[] {
  const newest = new Map<string, AuditCheckpoint>();
  for (const cp of checkpoints) {
    const seen = newest.get(cp.checkpointer);
    if (!seen || compareCheckpoints(cp, seen) > 0) newest.set(cp.checkpointer, cp);
  }
  return [...newest.values()].sort((a, b) => (a.checkpointer < b.checkpointer ? -1 : a.checkpointer > b.checkpointer ? 1 : 0));
}
