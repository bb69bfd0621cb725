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

interface MemoryStore extends ChainStore {
  records: SealedRecord[];
  batches: number[];
  failNext: number;
  failSync: number;
  gate?: Promise<void>;
}

function memoryStore(opened: ChainStoreOpened = { epoch: 1, previous: null }): MemoryStore {
  const store: MemoryStore = {
    kind: 'file',
    records: [],
    batches: [],
    failNext: 0,
    failSync: 0,
    async open() {
      return opened;
    },
    async write(records) {
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
      if (store.failSync > 0) {
        store.failSync--;
        throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      }
    },
    async recover(_head: ChainHead | undefined) {
      return null;
    },
    async close() {},
  };
  return store;
}

function expectIntactChain(records: SealedRecord[], firstPrev = GENESIS_HASH): void {
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

  it('rejects appends after stop', async () => {
    const writer = await startChainWriter({ writerId: 'w', store: memoryStore(), failurePolicy: 'fail-closed' });
    await writer.stop();
    await expect(writer.append(body(1))).rejects.toThrow(/closed/);
  });
});
