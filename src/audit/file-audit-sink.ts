import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AuditFailurePolicy, PreviousEpochHead } from './audit-event.js';
import { SaferouteError } from '../errors.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import type { AuditFileHandle, AuditFs } from './audit-fs.js';
import { ensureDirectory, nodeAuditFs, syncDirectory, writeFully } from './audit-fs.js';
import type { AuditCheckpointOptions, AuditSink, GroupCommitOptions } from './audit-sink.js';
import type { ChainStore, ChainStoreOpened, StoreWrite } from './chain-store.js';
import type { SealedBatch } from './record-encoder.js';
import { describeError, startChainWriter } from './chain-writer.js';
import { checkpointSigningOf, startSinkOver } from './sink-over.js';
import { createFileCheckpointStore } from './file-checkpoint-store.js';
import { CHECKPOINTS_DIR_NAME, isValidWriterId, listSegments, readTail, segmentFileName } from './segment-files.js';
import { acquireWriterLock } from './writer-lock.js';
import { assertWitnessOutside } from './witness-location.js';
import { archivePolicyFile } from './policy-archive.js';

export interface FileAuditSinkOptions {
  dir: string;
  /** Stable per process (a restart continues the same writer in a new epoch). Default: the host name. */
  writerId?: string;
  failurePolicy?: AuditFailurePolicy;
  rotate?: { maxBytes?: number; maxAgeMs?: number };
  groupCommit?: GroupCommitOptions;
  /** Signed checkpoints; `dir` defaults to `<dir>/checkpoints`. Omit to write none. */
  checkpoint?: AuditCheckpointOptions & { dir?: string };
  /** File system calls; tests inject failures here. */
  fs?: AuditFs;
  clock?: () => number;
  /** Background problems that do not fail an append (a checkpoint that could not be written). */
  onError?: (err: unknown) => void;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The embedded sink: JSONL segments per writer and epoch, group commit (one write and one fsync
 * per batch; every record of the batch is acknowledged after the fsync), rotation by size and age.
 *
 * Restart: every start is a new epoch in new segment files. Its `writer-start` record links to the
 * last intact record of the previous epoch (`prev` and `previous`), and says when that epoch ended
 * with a torn line; the torn segment is never appended to.
 */
export async function createFileAuditSink(options: FileAuditSinkOptions): Promise<AuditSink> {
  const fs = options.fs ?? nodeAuditFs;
  const writerId = options.writerId ?? defaultWriterId();
  if (!isValidWriterId(writerId)) {
    throw new AuditConfigError(`the audit writer id \`${writerId}\` must match ${'[A-Za-z0-9][A-Za-z0-9._-]*'} and not be \`checkpoints\``);
  }
  const failurePolicy = options.failurePolicy ?? 'fail-closed';
  const clock = options.clock ?? Date.now;
  const signing = options.checkpoint ? checkpointSigningOf(options.checkpoint) : undefined;
  const checkpointsDir = options.checkpoint?.dir ?? join(options.dir, CHECKPOINTS_DIR_NAME);
  if (options.checkpoint?.witness) await assertWitnessOutside(options.checkpoint.witness, [options.dir, checkpointsDir]);

  const store = createFileChainStore({
    fs,
    dir: options.dir,
    writerId,
    maxBytes: options.rotate?.maxBytes ?? DEFAULT_MAX_BYTES,
    maxAgeMs: options.rotate?.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    clock,
  });
  const writer = await startChainWriter({
    writerId,
    store,
    failurePolicy,
    ...(options.groupCommit ? { groupCommit: options.groupCommit } : {}),
    clock,
    startInfo: signing ? { checkpointKeyId: signing.keyId } : {},
    describeError: (err) => `cannot write to \`${options.dir}\`: ${describeError(err)}`,
  }).catch(async (err: unknown) => {
    await store.close().catch(() => undefined);
    if (err instanceof SaferouteError) throw err;
    throw new AuditError(`cannot start audit writer \`${writerId}\` in \`${options.dir}\`: ${describeError(err)}`, { cause: err });
  });

  const sink = await startSinkOver(
    writer,
    signing && options.checkpoint
      ? {
          signing,
          options: options.checkpoint,
          store: (epoch) => createFileCheckpointStore(fs, checkpointsDir, writerId, epoch),
          clock,
        }
      : undefined,
    { sink: 'file', failurePolicy, closeStore: () => store.close(), ...(options.onError ? { onError: options.onError } : {}) },
  );
  sink.archivePolicy = (policy) => archivePolicyFile(fs, options.dir, policy);
  return sink;
}

function defaultWriterId(): string {
  const id = hostname().replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return id.length > 0 && id !== CHECKPOINTS_DIR_NAME ? id.slice(0, 128) : 'writer';
}

interface FileChainStoreOptions {
  fs: AuditFs;
  dir: string;
  writerId: string;
  maxBytes: number;
  maxAgeMs: number;
  clock: () => number;
}

function createFileChainStore(options: FileChainStoreOptions): ChainStore {
  const { fs, writerId, maxBytes, maxAgeMs, clock } = options;
  const writerDir = join(options.dir, writerId);
  let epoch = 0;
  let segment = 0;
  let handle: AuditFileHandle | undefined;
  let size = 0;
  let openedAt = 0;
  // A write failed and could not be undone: the segment may end in a partial line, so the next
  // write goes to a fresh segment instead of following it.
  let poisoned = false;
  let releaseLock: (() => Promise<void>) | undefined;
  /** Syncs in flight (the writer runs up to two at once); a handle is closed only once none runs. */
  const syncing = new Set<Promise<void>>();
  const syncsSettled = (): Promise<unknown> => Promise.allSettled([...syncing]);
  let currentPath = '';

  async function openSegment(): Promise<void> {
    const next = segment + 1;
    const path = join(writerDir, segmentFileName(epoch, next));
    let h: AuditFileHandle;
    try {
      h = await fs.open(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Created by an earlier attempt whose directory sync failed; reuse it only while empty.
      h = await fs.open(path, 'r+');
      if ((await h.stat()).size !== 0) {
        await h.close();
        throw new AuditError(`segment \`${path}\` already holds data`, { cause: err });
      }
    }
    try {
      await syncDirectory(fs, writerDir);
    } catch (err) {
      await h.close().catch(() => undefined);
      throw err;
    }
    handle = h;
    currentPath = path;
    segment = next;
    size = 0;
    openedAt = clock();
    poisoned = false;
  }

  /** Cuts a failed write off; if even that fails, the next write starts a fresh segment. */
  async function cutBack(h: AuditFileHandle, at: number): Promise<void> {
    try {
      await h.truncate(at);
      await h.datasync();
    } catch {
      poisoned = true;
    }
  }

  async function rotate(): Promise<void> {
    const old = handle;
    handle = undefined;
    // Syncs of the old file may still run; closing waits for them.
    await syncsSettled();
    await old?.close().catch(() => undefined);
    await openSegment();
  }

  return {
    kind: 'file',
    async open(): Promise<ChainStoreOpened> {
      await ensureDirectory(fs, writerDir);
      releaseLock = await acquireWriterLock(fs, writerDir, writerId);
      try {
        const segments = await listSegments(fs, options.dir, writerId);
        const lastEpoch = segments.length > 0 ? (segments[segments.length - 1]?.epoch ?? 0) : 0;
        epoch = lastEpoch + 1;
        let previous: PreviousEpochHead | null = null;
        let previousUnreadable: { epoch: number; reason: string } | undefined;
        if (lastEpoch > 0) {
          const ofLast = segments.filter((s) => s.epoch === lastEpoch).reverse();
          let tornTail = false;
          for (const [i, s] of ofLast.entries()) {
            const tail = await readTail(fs, s.path);
            if (i === 0) tornTail = tail.tornTail;
            if (tail.record) {
              previous = { epoch: lastEpoch, ...tail.record, ...(tornTail ? { tornTail: true } : {}) };
              break;
            }
          }
          if (!previous) previousUnreadable = { epoch: lastEpoch, reason: 'no intact record in its segments' };
        }
        await openSegment();
        return { epoch, previous, ...(previousUnreadable ? { previousUnreadable } : {}) };
      } catch (err) {
        await releaseLock().catch(() => undefined);
        releaseLock = undefined;
        throw err;
      }
    },
    async write(batch: SealedBatch): Promise<StoreWrite> {
      const buf = batch.bytes;
      if (!handle || poisoned || (size > 0 && (size + buf.length > maxBytes || clock() - openedAt >= maxAgeMs))) {
        await rotate();
      }
      const h = handle as AuditFileHandle;
      const at = size;
      try {
        await writeFully(h, buf, at);
        size = at + buf.length;
      } catch (err) {
        await cutBack(h, at);
        throw err;
      }
      const path = currentPath;
      return {
        undo: async () => {
          if (handle === h) {
            size = Math.min(size, at);
            await cutBack(h, at);
            return;
          }
          // The segment was rotated away since: cut the closed file back.
          const old = await fs.open(path, 'r+');
          try {
            await old.truncate(at);
            await old.datasync();
          } finally {
            await old.close();
          }
        },
      };
    },
    sync(): Promise<void> {
      const h = handle;
      if (!h) return Promise.resolve();
      const synced = h.datasync();
      syncing.add(synced);
      const done = (): void => void syncing.delete(synced);
      synced.then(done, done);
      return synced;
    },
    async recover() {
      return null;
    },
    async close() {
      const h = handle;
      handle = undefined;
      await syncsSettled();
      await h?.close().catch(() => undefined);
      await releaseLock?.();
      releaseLock = undefined;
    },
  };
}
