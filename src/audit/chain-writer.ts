import { hostname } from 'node:os';
import type { AuditEventBody, AuditFailurePolicy, LostRecordsBody, WriterStartBody } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';
import { AuditError } from './audit-error.js';
import { prepareBody, sealRecord, type PreparedBody, type SealedRecord } from './audit-record.js';
import type { AuditAck, AuditSinkHealth, GroupCommitOptions } from './audit-sink.js';
import type { ChainHead, ChainStore, StoreWrite } from './chain-store.js';

export interface ChainWriterOptions {
  writerId: string;
  store: ChainStore;
  failurePolicy: AuditFailurePolicy;
  groupCommit?: GroupCommitOptions;
  /** Milliseconds since the epoch; injectable so tests can move the clock backwards. */
  clock?: () => number;
  /** Extra facts for the `writer-start` record. */
  startInfo?: { checkpointKeyId?: string };
  /** Turns a store error into words for the failure message (e.g. the file and errno). */
  describeError?: (err: unknown) => string;
}

export interface ChainWriter {
  readonly writerId: string;
  readonly epoch: number;
  append(body: AuditEventBody): Promise<AuditAck>;
  /** The last durable record, for checkpoints. */
  durableHead(): ChainHead | undefined;
  /** Flushes the queue and writes `writer-stop`; the store stays open for the caller to close. */
  stop(): Promise<void>;
  /** Stops accepting records without writing anything (after a fatal failure or a failed start). */
  abandon(): void;
  health(): Omit<AuditSinkHealth, 'sink' | 'checkpoints'>;
}

type WriterState = 'open' | 'stopping' | 'stopped' | 'failed';

interface Pending {
  prepared: PreparedBody;
  resolve: (ack: AuditAck) => void;
  reject: (err: unknown) => void;
}

const DEFAULTS = { maxDelayMs: 0, maxBatch: 512, maxQueue: 16_384 };
/** Records worth a batch of their own while another batch syncs. */
const OVERLAP_MIN = 32;

/**
 * The group-commit core shared by the file and PostgreSQL sinks: one writer, one gap-free chain
 * per epoch, sealed in batches. Sequence numbers and hashes are assigned only when a batch is
 * handed to the store, and rolled back if the store fails, so a failed write never leaves a gap
 * or a dangling link in the chain.
 *
 * Timestamps never go backwards within a writer (across epochs too): when the wall clock is
 * behind the last record, the record keeps the last timestamp and says by how much the clock was
 * behind (`clockSkewMs`).
 */
export async function startChainWriter(options: ChainWriterOptions): Promise<ChainWriter> {
  const { writerId, store, failurePolicy } = options;
  const maxBatch = Math.max(1, options.groupCommit?.maxBatch ?? DEFAULTS.maxBatch);
  const maxQueue = Math.max(maxBatch, options.groupCommit?.maxQueue ?? DEFAULTS.maxQueue);
  const maxDelayMs = Math.max(0, options.groupCommit?.maxDelayMs ?? DEFAULTS.maxDelayMs);
  const overlapMin = Math.min(maxBatch, OVERLAP_MIN);
  const clock = options.clock ?? Date.now;
  const describe = options.describeError ?? describeError;

  let state: WriterState = 'open';
  let failure: AuditError | undefined;
  let next = { seq: 0, prev: GENESIS_HASH, lastTsMs: Number.NEGATIVE_INFINITY };
  let durable: ChainHead | undefined;
  let needsRecover = false;
  const lost: { count: number; total: number; since?: string; until?: string; reason?: string } = { count: 0, total: 0 };
  const queue: Pending[] = [];
  let spaceWaiters: (() => void)[] = [];
  /** Wakes the flush loop once the queue holds `batchWaiterAt` records. */
  let batchWaiter: (() => void) | undefined;
  let batchWaiterAt = Number.POSITIVE_INFINITY;
  let flushing: Promise<void> | undefined;

  const opened = await store.open();
  const epoch = opened.epoch;
  if (opened.previous) {
    const prevTs = Date.parse(opened.previous.ts);
    next = { seq: 0, prev: opened.previous.hash, lastTsMs: Number.isFinite(prevTs) ? prevTs : Number.NEGATIVE_INFINITY };
  }

  let cachedTs = { ms: Number.NaN, iso: '' };
  function seal(prepared: PreparedBody): SealedRecord {
    const now = clock();
    let tsMs = now;
    let clockSkewMs: number | undefined;
    if (now < next.lastTsMs) {
      tsMs = next.lastTsMs;
      clockSkewMs = next.lastTsMs - now;
    }
    if (tsMs !== cachedTs.ms) cachedTs = { ms: tsMs, iso: new Date(tsMs).toISOString() };
    const record = sealRecord(prepared, {
      writer: writerId,
      epoch,
      seq: next.seq,
      ts: cachedTs.iso,
      prev: next.prev,
      ...(clockSkewMs != null ? { clockSkewMs } : {}),
    });
    next = { seq: next.seq + 1, prev: record.hash, lastTsMs: tsMs };
    return record;
  }

  function enqueue(prepared: PreparedBody): Promise<AuditAck> {
    return new Promise<AuditAck>((resolve, reject) => {
      queue.push({ prepared, resolve, reject });
      if (queue.length >= batchWaiterAt) batchWaiter?.();
      kick();
    });
  }

  function kick(): void {
    if (flushing) return;
    flushing = flushLoop().finally(() => {
      flushing = undefined;
      if (queue.length > 0) kick();
    });
  }

  interface Written {
    batch: Pending[];
    records: SealedRecord[];
    before: typeof next;
    lostCount: number;
    write: StoreWrite;
  }
  type InFlight = Written & { sync: Promise<void>; acknowledged: boolean };
  type WriteFailure = { error: unknown; batch: Pending[]; lostCount: number };

  /**
   * One batch is sealed and written while the previous batch's sync is in flight, so the CPU work
   * of sealing overlaps the disk's fsync. Acknowledgements still follow the syncs in order, and
   * only one sync runs at a time.
   */
  async function flushLoop(): Promise<void> {
    let inflight: InFlight | undefined;
    while (queue.length > 0 || inflight) {
      if (inflight) {
        // Overlap only a sizeable batch with the sync: a small one is better left to grow until the sync is done.
        if (queue.length < overlapMin && state === 'open' && !needsRecover) {
          const synced = inflight.sync.then(
            () => undefined,
            () => undefined,
          );
          batchWaiterAt = overlapMin;
          await Promise.race([synced, new Promise<void>((resolve) => (batchWaiter = resolve))]);
          batchWaiter = undefined;
          batchWaiterAt = Number.POSITIVE_INFINITY;
        }
        if (queue.length < overlapMin || needsRecover || state !== 'open') {
          await settle(inflight, undefined);
          inflight = undefined;
          continue;
        }
      }
      if (!inflight && queue.length < maxBatch && state === 'open') {
        // Let appends already on their way (callers resuming from the last acknowledgements) join
        // this batch: without it, a batch of a few records and a full one alternate.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!inflight && maxDelayMs > 0 && queue.length < maxBatch && state === 'open') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, maxDelayMs);
          function done(): void {
            clearTimeout(timer);
            batchWaiter = undefined;
            batchWaiterAt = Number.POSITIVE_INFINITY;
            resolve();
          }
          batchWaiter = done;
          batchWaiterAt = maxBatch;
        });
      }
      // With nothing in flight, a large queue is split in two so that the second half is sealed and
      // written while the first half syncs; the callers then fall into two alternating groups.
      const take = !inflight && queue.length > 2 * overlapMin ? Math.ceil(queue.length / 2) : queue.length;
      const batch = queue.splice(0, Math.min(take, maxBatch));
      wakeSpaceWaiters();
      const result = await writeBatch(batch);
      const written = result && 'write' in result ? result : undefined;
      const failed = result && 'error' in result ? result : undefined;
      if (inflight) {
        const previous = inflight;
        inflight = undefined;
        if (!(await settle(previous, written))) {
          if (failed) onFailure(failed.error, failed.batch, failed.lostCount);
          continue;
        }
      }
      if (written) {
        const sync = store.sync();
        const w: InFlight = { ...written, sync, acknowledged: false };
        // Acknowledge as soon as the sync is done, even while the next batch is being written.
        sync.then(
          () => acknowledge(w),
          () => undefined,
        );
        inflight = w;
      } else if (failed) {
        onFailure(failed.error, failed.batch, failed.lostCount);
      }
    }
  }

  function wakeSpaceWaiters(): void {
    const waiters = spaceWaiters;
    spaceWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Seals and writes a batch. A failed write is returned (the caller settles the batch before it first). */
  async function writeBatch(batch: Pending[]): Promise<Written | WriteFailure | undefined> {
    if (state === 'failed') {
      for (const p of batch) p.reject(failure);
      return undefined;
    }
    if (needsRecover) {
      try {
        const head = await store.recover(durable);
        if (head) adoptHead(head);
        needsRecover = false;
      } catch (err) {
        return { error: err, batch, lostCount: 0 };
      }
    }
    const before = next;
    const records: SealedRecord[] = [];
    const lostCount = lost.count;
    if (lostCount > 0) {
      records.push(seal(prepareBody(lostBody())));
      lost.count = 0;
    }
    for (const p of batch) records.push(seal(p.prepared));
    try {
      const write = await store.write(records);
      return { batch, records, before, lostCount, write };
    } catch (err) {
      next = before;
      return { error: err, batch, lostCount };
    }
  }

  /**
   * Waits for a batch's sync and acknowledges it. When the sync failed, that batch and the one
   * written after it (`after`) are undone and failed together, and the chain goes back to before them.
   */
  async function settle(w: InFlight, after: Written | undefined): Promise<boolean> {
    try {
      await w.sync;
    } catch (err) {
      next = w.before;
      if (after) await after.write.undo().catch(() => undefined);
      await w.write.undo().catch(() => undefined);
      onFailure(err, after ? [...w.batch, ...after.batch] : w.batch, w.lostCount + (after?.lostCount ?? 0));
      return false;
    }
    acknowledge(w);
    return true;
  }

  function acknowledge(w: InFlight): void {
    if (w.acknowledged) return;
    w.acknowledged = true;
    if (w.lostCount > 0 && lost.count === 0) {
      delete lost.since;
      delete lost.until;
      delete lost.reason;
    }
    const last = w.records[w.records.length - 1] as SealedRecord;
    durable = { seq: last.seq, hash: last.hash, ts: last.ts };
    const offset = w.records.length - w.batch.length;
    w.batch.forEach((p, i) => {
      const r = w.records[offset + i] as SealedRecord;
      p.resolve({ durable: true, writer: writerId, epoch, seq: r.seq, hash: r.hash, ts: r.ts });
    });
  }

  function adoptHead(head: ChainHead): void {
    durable = head;
    const ts = Date.parse(head.ts);
    next = { seq: head.seq + 1, prev: head.hash, lastTsMs: Math.max(next.lastTsMs, Number.isFinite(ts) ? ts : next.lastTsMs) };
  }

  function lostBody(): LostRecordsBody {
    return { kind: 'lost', count: lost.count, since: lost.since ?? '', until: lost.until ?? '', reason: lost.reason ?? '' };
  }

  function onFailure(err: unknown, batch: Pending[], lostInBatch: number): void {
    const reason = describe(err);
    lost.count += lostInBatch;
    if (state === 'failed') {
      for (const p of batch) p.reject(failure);
      return;
    }
    if (failurePolicy === 'fail-closed') {
      state = 'failed';
      failure = new AuditError(
        `audit writer \`${writerId}\` failed: ${reason}; every decision is blocked until the sink is restarted (failurePolicy fail-closed)`,
        { cause: err },
      );
      for (const p of batch) p.reject(failure);
      for (const p of queue.splice(0)) p.reject(failure);
      wakeSpaceWaiters();
      batchWaiter?.();
      return;
    }
    const now = new Date(clock()).toISOString();
    lost.count += batch.length;
    lost.total += batch.length;
    lost.since ??= now;
    lost.until = now;
    lost.reason = reason;
    needsRecover = true;
    for (const p of batch) p.resolve({ durable: false, writer: writerId, reason });
  }

  async function append(body: AuditEventBody): Promise<AuditAck> {
    if (state === 'failed') throw failure;
    if (state !== 'open') throw new AuditError(`audit writer \`${writerId}\` is closed`);
    const prepared = prepareBody(body);
    while (queue.length >= maxQueue) {
      await new Promise<void>((resolve) => spaceWaiters.push(resolve));
      // `state` may have changed while this append waited for room.
      const now = state as WriterState;
      if (now === 'failed') throw failure;
      if (now !== 'open') throw new AuditError(`audit writer \`${writerId}\` is closed`);
    }
    return enqueue(prepared);
  }

  const start: WriterStartBody = {
    kind: 'writer-start',
    sink: store.kind,
    failurePolicy,
    previous: opened.previous,
    ...(opened.previousUnreadable ? { previousUnreadable: opened.previousUnreadable } : {}),
    host: hostname(),
    pid: process.pid,
    ...(options.startInfo?.checkpointKeyId !== undefined ? { checkpointKeyId: options.startInfo.checkpointKeyId } : {}),
  };
  let startAck: AuditAck;
  try {
    startAck = await enqueue(prepareBody(start));
  } catch (err) {
    throw err instanceof AuditError ? err : new AuditError(`audit writer \`${writerId}\` could not start`, { cause: err });
  }
  if (!startAck.durable) {
    state = 'stopped';
    throw new AuditError(`audit writer \`${writerId}\` could not write its start record: ${startAck.reason}`);
  }

  return {
    writerId,
    epoch,
    append,
    durableHead: () => durable,
    async stop() {
      if (state !== 'open') return;
      state = 'stopping';
      wakeSpaceWaiters();
      batchWaiter?.();
      while (flushing) await flushing;
      if ((state as WriterState) !== 'stopping') return;
      const records = durable ? durable.seq + 2 : 1;
      const ack = await enqueue(prepareBody({ kind: 'writer-stop', reason: 'close', records }));
      while (flushing) await flushing;
      state = 'stopped';
      if (!ack.durable) throw new AuditError(`audit writer \`${writerId}\` could not write its stop record: ${ack.reason}`);
    },
    abandon() {
      if (state === 'open' || state === 'stopping') state = 'stopped';
      for (const p of queue.splice(0)) p.reject(new AuditError(`audit writer \`${writerId}\` is closed`));
      wakeSpaceWaiters();
    },
    health() {
      return {
        status: state === 'failed' ? 'failed' : state === 'open' ? (lost.count > 0 ? 'degraded' : 'ok') : 'closed',
        writer: writerId,
        epoch,
        failurePolicy,
        ...(durable ? { head: { ...durable } } : {}),
        queued: queue.length,
        lostRecords: lost.total,
        ...(failure ? { failure: failure.message } : lost.reason ? { failure: lost.reason } : {}),
      };
    },
  };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
