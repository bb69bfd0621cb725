import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { AuditConfigError, AuditError } from '../../src/audit/audit-error.js';
import type { AuditAck } from '../../src/audit/audit-sink.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';

const keys = generateAuditKeyPair();

/** Terminates the session holding a writer's advisory lock. */
async function killWriterSession(pool: pg.Pool, writerId: string): Promise<void> {
  const res = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid::bigint = (hashtext($2)::bigint & 4294967295)`,
    [0x5afe_a0d, writerId],
  );
  const pid = res.rows[0]?.pid;
  if (pid === undefined) throw new Error(`no session holds the lock of ${writerId}`);
  await pool.query('SELECT pg_terminate_backend($1)', [pid]);
  await new Promise((r) => setTimeout(r, 250));
}

(PG_URL ? describe : describe.skip)(`PostgreSQL audit sink writing several chains${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
  });
  afterAll(async () => db?.cleanup());

  it('deals records over `<writerId>.0` … `.n-1`, each a gap-free chain with its checkpoints; verify --pg verifies them all', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL as string, max: 9 });
    try {
      const sink = await createPgAuditSink({ pool, schema: db.schema, writerId: 'gw', chains: 3, checkpoint: { key: keys.privateKeyPem } });
      const acks = await Promise.all(Array.from({ length: 300 }, () => sink.append(sampleBody())));
      expect(acks.every((a) => a.durable)).toBe(true);
      const perChain = new Map<string, number[]>();
      for (const a of acks as Extract<AuditAck, { durable: true }>[]) perChain.set(a.writer, [...(perChain.get(a.writer) ?? []), a.seq]);
      expect([...perChain.keys()].sort()).toEqual(['gw.0', 'gw.1', 'gw.2']);
      // In turn: a hundred each, and within a chain the sequence numbers follow one another.
      for (const seqs of perChain.values()) {
        expect(seqs).toHaveLength(100);
        const sorted = [...seqs].sort((a, b) => a - b);
        expect(sorted.at(-1)! - sorted[0]!).toBe(99);
      }
      const health = sink.health();
      expect(health).toMatchObject({ status: 'ok', sink: 'pg', writer: 'gw', queued: 0 });
      expect(health.chains?.map((c) => c.writer)).toEqual(['gw.0', 'gw.1', 'gw.2']);
      await sink.close();
      expect(sink.health().status).toBe('closed');
      await expect(sink.append(sampleBody())).rejects.toThrow(/`gw` is closed/);
      const report = await verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { publicKey: keys.publicKeyPem });
      expect(report.findings.filter((f) => f.writer?.startsWith('gw.'))).toEqual([]);
      const rows = await db.pool.query<{ writer_id: string; n: string; last: string }>(
        `SELECT writer_id, count(*) AS n, max(seq) AS last FROM ${db.schema}.saferoute_audit_events WHERE writer_id LIKE 'gw.%' GROUP BY writer_id ORDER BY writer_id`,
      );
      // Each chain: writer-start, its hundred decisions, writer-stop — seq 0 … 101, no gap.
      expect(rows.rows.map((r) => [r.writer_id, Number(r.n), Number(r.last)])).toEqual([
        ['gw.0', 102, 101],
        ['gw.1', 102, 101],
        ['gw.2', 102, 101],
      ]);
    } finally {
      await pool.end();
    }
  });

  it('fail-closed as a whole: one chain losing its session refuses every append, on every chain, until it has recovered', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL as string, max: 9 });
    pool.on('error', () => undefined);
    try {
      const sink = await createPgAuditSink({ pool, schema: db.schema, writerId: 'fc', chains: 3, retryAfterFailureMs: 300 });
      await Promise.all(Array.from({ length: 6 }, () => sink.append(sampleBody())));
      await killWriterSession(pool, 'fc.1');
      const settled = await Promise.allSettled(Array.from({ length: 6 }, () => sink.append(sampleBody())));
      const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]?.reason).toBeInstanceOf(AuditError);
      expect(String(refused[0]?.reason.message)).toMatch(/audit writer `fc\.1` failed/);
      // Every later record is refused, whichever chain it would go to.
      const later = await Promise.allSettled(Array.from({ length: 6 }, () => sink.append(sampleBody())));
      expect(later.every((s) => s.status === 'rejected')).toBe(true);
      expect(sink.health().status).toBe('failed');
      // The chain recovers on its own (a new session); then the sink takes records again.
      let ack: AuditAck | undefined;
      for (let i = 0; i < 50 && !ack; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ack = await sink.append(sampleBody()).catch(() => undefined);
      }
      expect(ack?.durable).toBe(true);
      await Promise.all(Array.from({ length: 6 }, () => sink.append(sampleBody())));
      expect(sink.health().status).toBe('ok');
      await sink.close();
      const report = await verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { unsigned: true });
      expect(report.findings.filter((f) => f.writer?.startsWith('fc.') && f.severity === 'error')).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('refuses a chains value out of range, and a pool too small for one lock per chain', async () => {
    for (const chains of [0, 1.5, 33]) {
      await expect(createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'bad', chains })).rejects.toBeInstanceOf(AuditConfigError);
    }
    const small = new pg.Pool({ connectionString: PG_URL as string, max: 3 });
    try {
      const err = await createPgAuditSink({ pool: small, schema: db.schema, writerId: 'small', chains: 3 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuditConfigError);
      expect((err as Error).message).toMatch(/allows 3 connections; 3 chains need at least 4/);
    } finally {
      await small.end();
    }
  });
});
