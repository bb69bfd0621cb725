import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH } from './audit-event.js';
import { signCheckpoint, type AuditCheckpoint, type CheckpointHead } from './audit-checkpoint.js';
import type { ChainHead } from './chain-store.js';
import { describeError } from './chain-writer.js';
import { AuditError } from './audit-error.js';
import type { CheckpointWitness } from './checkpoint-witness.js';

/** Where a checkpointer keeps its checkpoints (a directory of JSONL files, or a table). */
export interface CheckpointStore {
  /** The last readable checkpoint of an earlier epoch of this checkpointer, to chain to. */
  previous(): Promise<{ checkpoint?: AuditCheckpoint; unreadable?: { epoch: number; reason: string } }>;
  append(checkpoint: AuditCheckpoint): Promise<void>;
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  writerId: string;
  epoch: number;
  key: KeyObject;
  keyId: string;
  intervalMs: number;
  store: CheckpointStore;
  head: () => ChainHead | undefined;
  clock: () => number;
  onError?: (err: unknown) => void;
  /** Receives every checkpoint once the log's store holds it. */
  witness?: CheckpointWitness;
  /** How long the witness may go without accepting a checkpoint before `witnessOverdue` says so. */
  witnessMaxLagMs?: number;
}

export interface WitnessStatus {
  location: string;
  published: number;
  lastAt?: string;
  lastError?: string;
}

export interface CheckpointerStatus {
  written: number;
  lastAt?: string;
  lastError?: string;
  witness?: WitnessStatus;
}

export interface Checkpointer {
  checkpointNow(): Promise<void>;
  /**
   * Stops the timer after one last checkpoint of the final head. Rejects when the witness did not
   * accept that last checkpoint (the log's end is then not anchored outside it).
   */
  stop(): Promise<void>;
  status(): CheckpointerStatus;
  /** Set when the witness has accepted no checkpoint for longer than its allowed lag: why. */
  witnessOverdue(): string | undefined;
}

/**
 * Signs the writer's durable head at a fixed interval, also when no record was written since the
 * last one: a run of checkpoints with the same head shows the writer was alive and idle, and the
 * signed time bounds when records could have been added.
 *
 * With a witness, each checkpoint goes to the log's store first, then to the witness. A witness
 * that fails is retried with the next checkpoint (the newest one is all it needs); it must accept
 * the first checkpoint (else the sink does not start) and the last one (else closing rejects).
 */
export async function startCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  const { writerId, epoch, key, keyId, store, clock, witness } = options;
  const found = await store.previous();
  let prev = found.checkpoint?.hash ?? GENESIS_HASH;
  let lastTsMs = found.checkpoint ? Date.parse(found.checkpoint.ts) : Number.NEGATIVE_INFINITY;
  let n = 0;
  let written = 0;
  let lastAt: string | undefined;
  let lastError: string | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let pending: AuditCheckpoint | undefined;
  let published = 0;
  let witnessLastAt: string | undefined;
  let witnessError: string | undefined;
  let witnessOkMs = clock();
  const maxLagMs = options.witnessMaxLagMs ?? Math.max(5 * options.intervalMs, 60_000);

  async function publish(): Promise<void> {
    const checkpoint = pending;
    if (!witness || !checkpoint) return;
    try {
      await witness.publish(checkpoint);
    } catch (err) {
      witnessError = describeError(err);
      options.onError?.(
        new AuditError(`checkpoint ${writerId}/${epoch}#${checkpoint.n} was not accepted by the witness \`${witness.location}\`: ${witnessError}`, { cause: err }),
      );
      return;
    }
    if (pending === checkpoint) pending = undefined;
    published++;
    witnessLastAt = checkpoint.ts;
    witnessOkMs = clock();
    witnessError = undefined;
  }

  async function write(): Promise<void> {
    const head = options.head();
    const heads: CheckpointHead[] = head ? [{ writer: writerId, epoch, seq: head.seq, hash: head.hash, ts: head.ts }] : [];
    const tsMs = Math.max(clock(), lastTsMs);
    const checkpoint = signCheckpoint(
      {
        v: 1,
        kind: 'checkpoint',
        checkpointer: writerId,
        epoch,
        n,
        ts: new Date(tsMs).toISOString(),
        heads,
        prev,
        ...(n === 0 && found.unreadable ? { previousUnreadable: found.unreadable } : {}),
        keyId,
      },
      key,
    );
    try {
      await store.append(checkpoint);
    } catch (err) {
      lastError = describeError(err);
      options.onError?.(err);
      return;
    }
    prev = checkpoint.hash;
    lastTsMs = tsMs;
    n++;
    written++;
    lastAt = checkpoint.ts;
    lastError = undefined;
    pending = checkpoint;
    await publish();
  }

  function checkpointNow(): Promise<void> {
    chain = chain.then(write);
    return chain;
  }

  await checkpointNow();
  if (witness && (pending || written === 0)) {
    await store.close().catch(() => undefined);
    throw new AuditError(
      `audit writer \`${writerId}\` cannot start: its first checkpoint ${pending ? `was not accepted by the witness \`${witness.location}\`: ${witnessError ?? 'unknown error'}` : `could not be written: ${lastError ?? 'unknown error'}`}`,
    );
  }
  const timer = setInterval(() => {
    if (!stopped) void checkpointNow();
  }, Math.max(10, options.intervalMs));
  timer.unref();

  return {
    checkpointNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await checkpointNow();
      await store.close();
      if (witness && pending) {
        throw new AuditError(
          `the last checkpoint of audit writer \`${writerId}\` (${epoch}#${pending.n}) was not accepted by the witness \`${witness.location}\`: ${witnessError ?? 'unknown error'}; the end of this epoch is not anchored outside the log`,
        );
      }
    },
    status: () => ({
      written,
      ...(lastAt ? { lastAt } : {}),
      ...(lastError ? { lastError } : {}),
      ...(witness
        ? { witness: { location: witness.location, published, ...(witnessLastAt ? { lastAt: witnessLastAt } : {}), ...(witnessError ? { lastError: witnessError } : {}) } }
        : {}),
    }),
    witnessOverdue() {
      if (!witness || stopped) return undefined;
      const lag = clock() - witnessOkMs;
      if (lag <= maxLagMs) return undefined;
      return `the checkpoint witness \`${witness.location}\` has accepted no checkpoint of audit writer \`${writerId}\` for ${Math.round(lag / 1000)} s (allowed: ${Math.round(maxLagMs / 1000)} s)${witnessError ? `: ${witnessError}` : ''}`;
    },
  };
}
