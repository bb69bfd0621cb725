import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog, type AuditLogSource } from '../../src/audit/verify-audit-log.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { hashedBytesOf } from '../../src/audit/audit-record.js';
import { AuditError } from '../../src/audit/audit-error.js';
import type { AuditSink } from '../../src/audit/audit-sink.js';
import type { AuditEvent, AuditFailurePolicy } from '../../src/audit/audit-event.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from './helpers.js';

interface SinkHarness {
  make(options: { writerId: string; failurePolicy?: AuditFailurePolicy; checkpointIntervalMs?: number }): Promise<AuditSink>;
  source(): AuditLogSource;
}

const keys = generateAuditKeyPair();

async function readAll(source: AuditLogSource): Promise<{ event: AuditEvent; line: string }[]> {
  const out: { event: AuditEvent; line: string }[] = [];
  for await (const r of readAuditRecords(source)) out.push(r);
  return out;
}

/** The behaviour every audit sink must have; run against the file sink and PostgreSQL. */
function sinkContract(name: string, setup: () => Promise<{ harness: SinkHarness; cleanup: () => Promise<void> }>): void {
  describe(`audit sink contract: ${name}`, () => {
    let harness: SinkHarness;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ harness, cleanup } = await setup());
    });
    afterAll(async () => cleanup?.());

    it('acknowledges each record once durable, with a gap-free sequence, and the log verifies', async () => {
      const sink = await harness.make({ writerId: 'basic' });
      const bodies = Array.from({ length: 20 }, () => sampleBody());
      const acks = [];
      for (const b of bodies) acks.push(await sink.append(b));
      expect(acks.map((a) => (a.durable ? a.seq : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(sink.health()).toMatchObject({ status: 'ok', writer: 'basic', epoch: 1, head: { seq: 20 } });
      await sink.close();
      expect(sink.health().status).toBe('closed');
      const records = (await readAll(harness.source())).filter((r) => r.event.writer === 'basic');
      expect(records.map((r) => r.event.kind)).toEqual(['writer-start', ...Array<string>(20).fill('decision'), 'writer-stop']);
      expect(records.filter((r) => r.event.kind === 'decision').map((r) => (r.event as { decisionId: string }).decisionId)).toEqual(bodies.map((b) => b.decisionId));
      const report = await verifyAuditLog(harness.source(), { publicKey: keys.publicKeyPem });
      expect(report.findings.filter((f) => f.writer === 'basic' || !f.writer)).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('stores the same record format: the stored line is the canonical JSON of the event plus its hash', async () => {
      const records = (await readAll(harness.source())).filter((r) => r.event.writer === 'basic');
      for (const { event, line } of records) {
        const { hash: _h, ...rest } = event;
        expect(hashedBytesOf(line)).toBe(canonicalJson(rest));
      }
      const start = records[0]?.event;
      expect(start).toMatchObject({ kind: 'writer-start', failurePolicy: 'fail-closed', checkpointKeyId: keys.keyId, previous: null });
    });

    it('starts a new epoch on restart, linked to the previous epoch head', async () => {
      const first = await harness.make({ writerId: 'restart' });
      const last = await first.append(sampleBody());
      await first.close();
      const second = await harness.make({ writerId: 'restart' });
      const ack = await second.append(sampleBody());
      await second.close();
      expect(ack).toMatchObject({ durable: true, epoch: 2, seq: 1 });
      const records = (await readAll(harness.source())).filter((r) => r.event.writer === 'restart');
      const start2 = records.find((r) => r.event.kind === 'writer-start' && r.event.epoch === 2)?.event;
      const stop1 = records.find((r) => r.event.kind === 'writer-stop' && r.event.epoch === 1)?.event;
      expect(last.durable && last.seq).toBe(1);
      expect(start2).toMatchObject({ prev: stop1?.hash, previous: { epoch: 1, seq: 2, hash: stop1?.hash } });
      const report = await verifyAuditLog(harness.source(), { publicKey: keys.publicKeyPem });
      expect(report.findings.filter((f) => f.writer === 'restart')).toEqual([]);
    });

    it('keeps the chain intact under many concurrent appends', async () => {
      const sink = await harness.make({ writerId: 'concurrent' });
      const acks = await Promise.all(Array.from({ length: 300 }, () => sink.append(sampleBody())));
      await sink.close();
      const seqs = acks.map((a) => (a.durable ? a.seq : -1)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      const report = await verifyAuditLog(harness.source(), { publicKey: keys.publicKeyPem });
      expect(report.findings.filter((f) => f.writer === 'concurrent')).toEqual([]);
      expect(report.segments.filter((s) => s.writer === 'concurrent').every((s) => s.status === 'valid')).toBe(true);
    });

    it('writes checkpoints while idle and a final one at close that covers the writer-stop', async () => {
      const sink = await harness.make({ writerId: 'idle', checkpointIntervalMs: 25 });
      await sink.append(sampleBody());
      // Nothing is appended from here on; timers may run late on a busy machine, hence the poll.
      for (let i = 0; i < 200 && (sink.health().checkpoints?.written ?? 0) < 4; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sink.health().checkpoints?.written).toBeGreaterThanOrEqual(4);
      await sink.close();
      const report = await verifyAuditLog(harness.source(), { publicKey: keys.publicKeyPem });
      const idle = report.checkpoints.byCheckpointer.find((c) => c.checkpointer === 'idle');
      expect(idle?.valid).toBeGreaterThanOrEqual(5);
      expect(idle?.last?.heads).toEqual([expect.objectContaining({ writer: 'idle', epoch: 1, seq: 2 })]);
      expect(report.findings.filter((f) => f.writer === 'idle' || f.checkpointer === 'idle')).toEqual([]);
      expect(report.checkpoints.signaturesVerified).toBe(report.checkpoints.read);
    });

    it('refuses a second live writer with the same id', async () => {
      const sink = await harness.make({ writerId: 'single' });
      await expect(harness.make({ writerId: 'single' })).rejects.toThrow(/in use/);
      await sink.close();
    });

    it('rejects appends after close', async () => {
      const sink = await harness.make({ writerId: 'closed' });
      await sink.close();
      const err = await sink.append(sampleBody()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuditError);
      expect((err as AuditError).code).toBe('audit_failed');
    });
  });
}

sinkContract('file', async () => {
  const { dir, cleanup } = await tempDir();
  return {
    harness: {
      make: ({ writerId, failurePolicy, checkpointIntervalMs }) =>
        createFileAuditSink({
          dir,
          writerId,
          ...(failurePolicy ? { failurePolicy } : {}),
          checkpoint: { key: keys.privateKeyPem, intervalMs: checkpointIntervalMs ?? 60_000 },
        }),
      source: () => ({ dir }),
    },
    cleanup,
  };
});

const pgUrl = PG_URL;
if (pgUrl) {
  sinkContract('postgresql', async () => {
    const db = await pgSchema(pgUrl);
    return {
      harness: {
        make: ({ writerId, failurePolicy, checkpointIntervalMs }) =>
          createPgAuditSink({
            pool: db.pool as pg.Pool,
            schema: db.schema,
            writerId,
            ...(failurePolicy ? { failurePolicy } : {}),
            checkpoint: { key: keys.privateKeyPem, intervalMs: checkpointIntervalMs ?? 60_000 },
          }),
        source: () => ({ pg: { pool: db.pool, schema: db.schema } }),
      },
      cleanup: db.cleanup,
    };
  });
} else {
  describe.skip(`audit sink contract: postgresql — ${PG_SKIP_NOTE}`, () => {
    it('runs the contract suite against PostgreSQL', () => undefined);
  });
}
