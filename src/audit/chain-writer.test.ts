import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { hashedBytesOf, type SealedRecord } from './audit-record.js';
import type { ChainHead, ChainStore, ChainStoreOpened } from './chain-store.js';
import { startChainWriter } from './chain-writer.js';
import { AuditError } from './audit-error.js';
import type { DecisionAuditBody } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';

function body(i: number): DecisionAuditBody {
  return {
    kind: 'decision',
    decisionId: `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    decidedAt: '2025-06-01T00:00:00.000Z',
    stage: 'input',
    outcome: 'route',
    target: 'sfw',
    effective: { outcome: 'route', target: 'sfw' },
    mode: 'enforce',
    policy: { id: 'p', revision: '1', sha256: 'a'.repeat(64) },
    determiningRules: [],
    matchedRules: [],
    scores: {},
    unmet: [],
    warnings: [],
    evidence: { consents: [] },
    classifierErrors: [],
    latencyMs: 0.1,
  };
}

type StoredRecord = SealedRecord & { line: string };

interface MemoryStore extends ChainStore {
  records: StoredRecord[];
  batches: number[];
  failNext: number;
  failSync: number;
  gate?: Promise<void>;
  writeCalls: number;
  /** Awaited at the start of every write (call 0 writes the writer-start record). */
  beforeWrite?: (call: number) => Promise<void> | undefined;
  /** Awaited inside every sync, after it took note of what it covers. */
  syncGate?: () => Promise<void>;
  /** Records made durable by the syncs that completed (those written before the sync started). */
  durableCount: number;
  events: string[];
}

function memoryStore(opened: ChainStoreOpened = { epoch: 1, previous: null }): MemoryStore {
  const store: MemoryStore = {
    kind: 'file',
    records: [],
    batches: [],
    failNext: 0,
    failSync: 0,
    durableCount: 0,
    events: [],
    writeCalls: 0,
    async open() {
      return opened;
    },
    async write(batch) {
      // The batch's bytes are reused after this write: keep copies, as a real store does.
      const records = batch.records.map((r, i) => ({ ...r, line: batch.line(i) }));
      const call = store.writeCalls++;
      await store.beforeWrite?.(call);
      if (store.gate) await store.gate;
      if (store.failNext > 0) {
        store.failNext--;
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      }
      store.batches.push(records.length);
      store.records.push(...records);
      return {
        undo: async () => {
          store.records.splice(store.records.length - records.length, records.length);
        },
      };
    },
    async sync() {
      const covers = store.records.length;
      store.events.push(`sync ${covers}`);
      if (store.syncGate) await store.syncGate();
      if (store.failSync > 0) {
        store.failSync--;
        throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      }
      store.durableCount = Math.max(store.durableCount, covers);
    },
    async recover(_head: ChainHead | undefined) {
      return null;
    },
    async close() {},
  };
  return store;
}

function expectIntactChain(records: StoredRecord[], firstPrev = GENESIS_HASH): void {
  let prev = firstPrev;
  records.forEach((r, i) => {
    expect(r.seq).toBe(i);
    expect(r.prev).toBe(prev);
    expect(createHash('sha256').update(hashedBytesOf(r.line)).digest('hex')).toBe(r.hash);
    prev = r.hash;
  });
}

describe('chain writer', () => {
  it('starts with writer-start, acknowledges after the store wrote the batch, and links every record', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed' });
    const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(body(i))));
    await writer.stop();
    expect(store.records[0]?.kind).toBe('writer-start');
    expect(store.records.at(-1)?.kind).toBe('writer-stop');
    expect(acks.map((a) => (a.durable ? a.seq : -1))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expectIntactChain(store.records);
    expect(JSON.parse(store.records.at(-1)?.line ?? '{}')).toMatchObject({ records: 52 });
  });

  it('groups concurrent appends into batches no larger than maxBatch', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', groupCommit: { maxBatch: 8 } });
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    const pending = Array.from({ length: 30 }, (_, i) => writer.append(body(i)));
    await new Promise((r) => setTimeout(r, 10));
    release();
    delete store.gate;
    await Promise.all(pending);
    // Everything queued behind the held write goes out 8 at a time (the first may go alone).
    const batches = store.batches.slice(1);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...batches)).toBe(8);
    expect(batches.length).toBeLessThanOrEqual(5);
    expectIntactChain(store.records);
    await writer.stop();
  });

  it('waits with maxDelayMs to fill a batch', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', groupCommit: { maxBatch: 100, maxDelayMs: 20 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.append(body(i))));
    expect(store.batches.slice(1)).toEqual([10]);
    await writer.stop();
  });

  it('applies back-pressure: append waits while the queue is full', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', groupCommit: { maxBatch: 2, maxQueue: 4 } });
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    const first = writer.append(body(0));
    await new Promise((r) => setTimeout(r, 5));
    let enqueued = 0;
    const rest = Array.from({ length: 8 }, (_, i) =>
      (async () => {
        const p = writer.append(body(i + 1));
        enqueued++;
        return p;
      })(),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(writer.health().queued).toBe(4);
    release();
    delete store.gate;
    await Promise.all([first, ...rest]);
    expect(enqueued).toBe(8);
    expect(store.records.length).toBe(10);
    expectIntactChain(store.records);
    await writer.stop();
  });

  it('fail-closed: a failed write rejects its batch, everything queued and every later append, and leaves no gap', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', groupCommit: { maxBatch: 4 } });
    await writer.append(body(0));
    store.failNext = 1;
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writer.append(body(i + 1))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const reason = (results[0] as PromiseRejectedResult).reason as AuditError;
    expect(reason).toBeInstanceOf(AuditError);
    expect(reason.code).toBe('audit_failed');
    expect(reason.message).toMatch(/ENOSPC.*fail-closed/);
    await expect(writer.append(body(99))).rejects.toBe(reason);
    expect(writer.health()).toMatchObject({ status: 'failed', head: { seq: 1 } });
    expectIntactChain(store.records);
  });

  it('continue: a failed batch resolves not durable, the next batch records the loss, the chain stays intact', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'continue' });
    store.failNext = 1;
    const lost = await writer.append(body(1));
    expect(lost).toMatchObject({ durable: false, reason: expect.stringMatching(/no space/) });
    const ok = await writer.append(body(2));
    expect(ok).toMatchObject({ durable: true, seq: 2 });
    expect(store.records.map((r) => r.kind)).toEqual(['writer-start', 'lost', 'decision']);
    expect(JSON.parse(store.records[1]?.line ?? '{}')).toMatchObject({ kind: 'lost', count: 1 });
    expectIntactChain(store.records);
    expect(writer.health().lostRecords).toBe(1);
    await writer.stop();
  });

  it('a failed sync fails its batch and the batch written after it, and the chain resumes from before them', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'continue', groupCommit: { maxBatch: 4 } });
    store.failSync = 1;
    const acks = await Promise.all(Array.from({ length: 8 }, (_, i) => writer.append(body(i))));
    expect(acks.filter((a) => !a.durable).length).toBeGreaterThanOrEqual(4);
    const after = await writer.append(body(99));
    expect(after.durable).toBe(true);
    await writer.stop();
    expectIntactChain(store.records);
    const lostRecord = store.records.find((r) => r.kind === 'lost');
    expect(JSON.parse(lostRecord?.line ?? '{}')).toMatchObject({ count: acks.filter((a) => !a.durable).length });
  });

  it('never lets timestamps go backwards and records by how much the clock was behind', async () => {
    const store = memoryStore();
    let now = Date.parse('2025-06-01T12:00:10.000Z');
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', clock: () => now });
    await writer.append(body(1));
    now -= 5000;
    await writer.append(body(2));
    now += 10_000;
    await writer.append(body(3));
    await writer.stop();
    const lines = store.records.map((r) => JSON.parse(r.line) as { ts: string; clockSkewMs?: number });
    expect(lines[1]?.ts).toBe('2025-06-01T12:00:10.000Z');
    expect(lines[2]).toMatchObject({ ts: '2025-06-01T12:00:10.000Z', clockSkewMs: 5000 });
    expect(lines[3]).toMatchObject({ ts: '2025-06-01T12:00:15.000Z' });
    expect(lines[3]?.clockSkewMs).toBeUndefined();
  });

  it('continues the previous epoch: the start record links to its head and time does not go back', async () => {
    const previous = { epoch: 4, seq: 99, hash: 'd'.repeat(64), ts: '2030-01-01T00:00:00.000Z' };
    const store = memoryStore({ epoch: 5, previous });
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'continue' });
    await writer.stop();
    const start = JSON.parse(store.records[0]?.line ?? '{}') as Record<string, unknown>;
    expect(start).toMatchObject({ kind: 'writer-start', epoch: 5, seq: 0, prev: previous.hash, previous, failurePolicy: 'continue', ts: previous.ts });
    expectIntactChain(store.records, previous.hash);
  });

  it('acknowledges a record only after a sync that started once its write was done, under any timing', async () => {
    const store = memoryStore();
    let seed = 11;
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pause = (): Promise<void> => new Promise((r) => (random() < 0.5 ? setImmediate(r) : setTimeout(r, Math.floor(random() * 3))));
    store.syncGate = pause;
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed', groupCommit: { maxBatch: 48 } });
    let early = 0;
    let acked = 0;
    await Promise.all(
      Array.from({ length: 80 }, async (_, c) => {
        for (let i = 0; i < 15; i++) {
          const ack = await writer.append(body(c * 100 + i));
          if (!ack.durable || ack.seq >= store.durableCount) early++;
          acked++;
          if (random() < 0.3) await pause();
        }
      }),
    );
    await writer.stop();
    expect(acked).toBe(1200);
    expect(early).toBe(0);
    expect(store.batches.length).toBeGreaterThan(10);
    expectIntactChain(store.records);
  });

  it('syncs the next batch alongside the one in flight and acknowledges in chain order', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'fail-closed' });
    const releases: (() => void)[] = [];
    store.syncGate = () => new Promise<void>((r) => releases.push(r));
    store.events.length = 0;
    // 100 records at once: half is written and syncs, the other half is written and syncs meanwhile.
    const appends = Array.from({ length: 100 }, (_, i) => writer.append(body(i)).then(() => store.events.push(`ack ${i}`)));
    await new Promise((r) => setTimeout(r, 20));
    expect(store.events).toEqual(['sync 51', 'sync 101']);
    // The second sync ends first: its batch still waits for the first one.
    releases[1]?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.events).toHaveLength(2);
    releases[0]?.();
    await Promise.all(appends);
    expect(store.events.slice(2)).toEqual(Array.from({ length: 100 }, (_, i) => `ack ${i}`));
    delete store.syncGate;
    await writer.stop();
  });

  it('a later sync that fails undoes only its batch when the earlier one succeeds', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'continue' });
    const releases: (() => void)[] = [];
    store.syncGate = () => new Promise<void>((r) => releases.push(r));
    const acks = Array.from({ length: 100 }, (_, i) => writer.append(body(i)));
    await new Promise((r) => setTimeout(r, 20));
    expect(releases).toHaveLength(2);
    store.failSync = 1;
    releases[1]?.();
    await new Promise((r) => setTimeout(r, 20));
    releases[0]?.();
    const results = await Promise.all(acks);
    delete store.syncGate;
    expect(results.slice(0, 50).every((a) => a.durable)).toBe(true);
    expect(results.slice(50).every((a) => !a.durable)).toBe(true);
    expect(await writer.append(body(999))).toMatchObject({ durable: true, seq: 52 });
    await writer.stop();
    expect(store.records.map((r) => r.kind).slice(50)).toEqual(['decision', 'lost', 'decision', 'writer-stop']);
    expectIntactChain(store.records);
  });

  it('a sync that fails while the next batch is being written fails both and undoes both', async () => {
    const store = memoryStore();
    const writer = await startChainWriter({ writerId: 'w', store, failurePolicy: 'continue' });
    let releaseWrite!: () => void;
    let endSync!: () => void;
    store.beforeWrite = (call) => (call === 2 ? new Promise<void>((r) => (releaseWrite = r)) : undefined);
    store.syncGate = () => new Promise<void>((r) => (endSync = r));
    // 100 records: the first half is written and syncs, the second half's write is held.
    const acks = Array.from({ length: 100 }, (_, i) => writer.append(body(i)));
    await new Promise((r) => setTimeout(r, 20));
    expect(store.writeCalls).toBe(3);
    expect(store.records.length).toBe(51);
    store.failSync = 1;
    endSync();
    await new Promise((r) => setTimeout(r, 20));
    delete store.syncGate;
    releaseWrite();
    const results = await Promise.all(acks);
    expect(results.every((a) => !a.durable)).toBe(true);
    const after = await writer.append(body(999));
    expect(after).toMatchObject({ durable: true, seq: 2 });
    await writer.stop();
    expect(store.records.map((r) => r.kind)).toEqual(['writer-start', 'lost', 'decision', 'writer-stop']);
    expect(JSON.parse(store.records[1]?.line ?? '{}')).toMatchObject({ count: 100 });
    expectIntactChain(store.records);
  });

  it('rejects appends after stop', async () => {
    const writer = await startChainWriter({ writerId: 'w', store: memoryStore(), failurePolicy: 'fail-closed' });
    await writer.stop();
    await expect(writer.append(body(1))).rejects.toThrow(/closed/);
  });
});
