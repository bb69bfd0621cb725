import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH } from './audit-event.js';
import { signCheckpoint, type AuditCheckpoint, type CheckpointHead } from './audit-checkpoint.js';
import type { ChainHead } from './chain-store.js';
import { describeError } from './chain-writer.js';

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
}

export interface Checkpointer {
  checkpointNow(): Promise<void>;
  /** Stops the timer after one last checkpoint of the final head. */
  stop(): Promise<void>;
  status(): { written: number; lastAt?: string; lastError?: string };
}

/**
 * Signs the writer's durable head at a fixed interval, also when no record was written since the
 * last one: a run of checkpoints with the same head shows the writer was alive and idle, and the
 * signed time bounds when records could have been added.
 */
export async function startCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  const { writerId, epoch, key, keyId, store, clock } = options;
  const found = await store.previous();
  let prev = found.checkpoint?.hash ?? GENESIS_HASH;
  let lastTsMs = found.checkpoint ? Date.parse(found.checkpoint.ts) : Number.NEGATIVE_INFINITY;
  let n = 0;
  let written = 0;
  let lastAt: string | undefined;
  let lastError: string | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

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
  }

  function checkpointNow(): Promise<void> {
    chain = chain.then(write);
    return chain;
  }

  await checkpointNow();
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
    },
    status: () => ({ written, ...(lastAt ? { lastAt } : {}), ...(lastError ? { lastError } : {}) }),
  };
}
