import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { AUDIT_MIGRATIONS } from '../../src/audit/pg-migrations.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { queryAuditLog } from '../../src/audit/query-audit-log.js';
import { AuditConfigError, AuditError } from '../../src/audit/audit-error.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';
import { uuidv7 } from '../../src/util/uuidv7.js';

const keys = generateAuditKeyPair();

async function sessionPidOf(pool: pg.Pool, writerId: string): Promise<number> {
  const res = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid::bigint = (hashtext($2)::bigint & 4294967295)`,
    [0x5afe_a0d, writerId],
  );
  const pid = res.rows[0]?.pid;
  if (pid === undefined) throw new Error(`no session holds the lock of ${writerId}`);
  return pid;
}

/** Terminates the session holding a writer's lock and waits until the server has closed it. */
async function killWriterSession(pool: pg.Pool, writerId: string): Promise<void> {
  const pid = await sessionPidOf(pool, writerId);
  await pool.query('SELECT pg_terminate_backend($1)', [pid]);
  for (let i = 0; i < 100; i++) {
    const res = await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (res.rowCount === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // The client hears of the closed socket on a later turn of the event loop; give a loaded machine time.
  await new Promise((r) => setTimeout(r, 250));
}

function codes(report: AuditVerifyReport, writer: string): string[] {
  return report.findings.filter((f) => f.writer === writer).map((f) => f.code);
}

(PG_URL ? describe : describe.skip)(`PostgreSQL audit sink${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  let events: string;
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
    events = `${db.schema}.saferoute_audit_events`;
  });
  afterAll(async () => db?.cleanup());

  async function writeLog(writerId: string, n: number): Promise<void> {
    const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId, checkpoint: { key: keys.privateKeyPem } });
    for (let i = 0; i < n; i++) await sink.append(sampleBody({ outcome: i % 2 ? 'block' : 'route' }));
    await sink.close();
  }

  const verify = () => verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { publicKey: keys.publicKeyPem });

  it('the migrations can be applied again without effect', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`SET search_path TO ${db.schema}`);
      for (const m of AUDIT_MIGRATIONS) await client.query(m.sql);
      await client.query('RESET search_path');
    } finally {
      client.release();
    }
    expect(AUDIT_MIGRATIONS.map((m) => m.id)).toEqual(['0100_audit_events', '0101_audit_witness', '0102_audit_events_partitioned', '0103_audit_archive_ledger', '0104_audit_archive_ledger_write_once', '0110_audit_policy_archive', '0120_audit_events_packed']);
  });

  it('several instances write their own chains into one table; queries merge them in time order', async () => {
    const a = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'gw-a', checkpoint: { key: keys.privateKeyPem } });
    const b = await createPgAuditSink({ connectionString: PG_URL as string, schema: db.schema, writerId: 'gw-b', checkpoint: { key: keys.privateKeyPem } });
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).append(sampleBody())));
    await Promise.all([a.close(), b.close()]);
    const report = await verify();
    expect(codes(report, 'gw-a')).toEqual([]);
    expect(codes(report, 'gw-b')).toEqual([]);
    const ts: string[] = [];
    for await (const r of queryAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { kinds: 'all' })) if (r.event.writer.startsWith('gw-')) ts.push(r.event.ts);
    expect(ts).toHaveLength(64);
    expect([...ts].sort()).toEqual(ts);
    const one: string[] = [];
    const wanted = (await db.pool.query<{ decision_id: string }>(`SELECT decision_id::text FROM ${events} WHERE writer_id = 'gw-a' AND seq = 3`)).rows[0]?.decision_id as string;
    for await (const r of queryAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { decisionId: wanted })) one.push(r.event.kind === 'decision' ? r.event.decisionId : '');
    expect(one).toEqual([wanted]);
    for await (const r of queryAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { decisionId: 'not-a-uuid' })) one.push(r.event.ts);
    expect(one).toHaveLength(1);
  });

  it('detects an edited body, a deleted row, a cut-off tail, a column that disagrees and a re-hashed forgery', async () => {
    await writeLog('t-edit', 10);
    await db.pool.query(`UPDATE ${events} SET body = replace(body, '"latencyMs":0.42', '"latencyMs":0.41') WHERE writer_id = 't-edit' AND seq = 3`);
    await writeLog('t-delete', 10);
    await db.pool.query(`DELETE FROM ${events} WHERE writer_id = 't-delete' AND seq = 4`);
    await writeLog('t-cut', 10);
    await db.pool.query(`DELETE FROM ${events} WHERE writer_id = 't-cut' AND seq >= 9`);
    await writeLog('t-column', 10);
    await db.pool.query(`UPDATE ${events} SET decision_id = '01900000-0000-7000-8000-000000000000' WHERE writer_id = 't-column' AND seq = 5`);
    await writeLog('t-forge', 10);
    const rows = await db.pool.query<{ seq: string; body: string; prev: string }>(`SELECT seq, body, prev FROM ${events} WHERE writer_id = 't-forge' ORDER BY seq`);
    let prev = '';
    for (const row of rows.rows) {
      const seq = Number(row.seq);
      if (seq < 5) continue;
      const event = JSON.parse(row.body) as Record<string, unknown>;
      if (seq === 5) event['outcome'] = event['outcome'] === 'route' ? 'block' : 'route';
      if (seq > 5) event['prev'] = prev;
      const body = canonicalJson(event);
      prev = createHash('sha256').update(body).digest('hex');
      await db.pool.query(`UPDATE ${events} SET body = $1, hash = $2, prev = $3 WHERE writer_id = 't-forge' AND seq = $4`, [body, prev, event['prev'], seq]);
    }

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(codes(report, 't-edit')).toEqual(['hash_mismatch']);
    expect(report.findings.find((f) => f.writer === 't-edit')?.message).toMatch(/^row 4 \(seq 3\): hash mismatch/);
    expect(codes(report, 't-delete')).toEqual(['seq_gap']);
    expect(codes(report, 't-cut')).toEqual(['epoch_unterminated', 'checkpoint_beyond_log']);
    expect(codes(report, 't-column')).toEqual(['column_mismatch']);
    expect(report.findings.find((f) => f.writer === 't-column')?.message).toMatch(/the columns decision_id disagree with the record body/);
    expect(new Set(codes(report, 't-forge'))).toEqual(new Set(['checkpoint_mismatch']));
  });

  it('fail-closed: when its session is killed, appends reject with the reason', async () => {
    const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'kill-closed' });
    await sink.append(sampleBody());
    await killWriterSession(db.pool, 'kill-closed');
    const err = await sink.append(sampleBody()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect((err as AuditError).message).toMatch(/audit writer `kill-closed` failed: cannot write to PostgreSQL: .*fail-closed/);
    await expect(sink.append(sampleBody())).rejects.toBe(err);
    await sink.close();
  });

  it('continue: a killed session loses the batch, then the writer reconnects and records the loss in its chain', async () => {
    const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'kill-continue', failurePolicy: 'continue' });
    await sink.append(sampleBody());
    await killWriterSession(db.pool, 'kill-continue');
    expect(await sink.append(sampleBody())).toMatchObject({ durable: false });
    expect(await sink.append(sampleBody())).toMatchObject({ durable: true, seq: 3 });
    await sink.close();
    const report = await verify();
    expect(codes(report, 'kill-continue').filter((c) => c !== 'no_checkpoints')).toEqual([]);
    const kinds: string[] = [];
    for await (const r of queryAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { kinds: 'all' })) if (r.event.writer === 'kill-continue') kinds.push(r.event.kind);
    expect(kinds).toEqual(['writer-start', 'decision', 'lost', 'decision', 'writer-stop']);
  });

  it('a batch the server refuses fails with the batches copied beside it: none half-visible, none acknowledged, the chain goes on gap-free', async () => {
    const poison = uuidv7();
    const lonePoison = uuidv7();
    await db.pool.query(`CREATE FUNCTION ${db.schema}.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.decision_id IN ('${poison}', '${lonePoison}') THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await db.pool.query(`CREATE TRIGGER refuse_poison BEFORE INSERT ON ${events} FOR EACH ROW EXECUTE FUNCTION ${db.schema}.refuse_poison()`);
    try {
      const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'refused', failurePolicy: 'continue', groupCommit: { maxBatch: 16 } });
      const bodies = Array.from({ length: 200 }, (_, i) => sampleBody(i === 100 ? { decisionId: poison } : {}));
      const lockSession = await sessionPidOf(db.pool, 'refused');
      const acks = await Promise.all(bodies.map((b) => sink.append(b)));
      const after = await sink.append(sampleBody());
      // A lone record goes as one INSERT statement rather than a COPY: refused the same way.
      const lone = sampleBody({ decisionId: lonePoison });
      expect(await sink.append(lone)).toMatchObject({ durable: false });
      expect(await sink.append(sampleBody())).toMatchObject({ durable: true });
      // A refused batch costs no lock: the session holding the writer's lock was kept (dropping it
      // and locking again raced the server's exit of the old backend and found the writer "in use").
      expect(await sessionPidOf(db.pool, 'refused')).toBe(lockSession);
      await sink.close();
      const lostIds = bodies.filter((_, i) => !acks[i]?.durable).map((b) => b.decisionId);
      expect(lostIds).toContain(poison);
      expect(after).toMatchObject({ durable: true });
      // Nothing of a failed batch is in the table; everything acknowledged is.
      const stored = await db.pool.query<{ decision_id: string }>(`SELECT decision_id FROM ${events} WHERE writer_id = 'refused' AND decision_id IS NOT NULL`);
      const storedIds = new Set(stored.rows.map((r) => r.decision_id));
      expect(lostIds.filter((id) => storedIds.has(id))).toEqual([]);
      expect(storedIds.has(lonePoison)).toBe(false);
      expect(bodies.filter((_, i) => acks[i]?.durable).every((b) => storedIds.has(b.decisionId))).toBe(true);
      const report = await verify();
      expect(codes(report, 'refused').filter((c) => c !== 'no_checkpoints')).toEqual([]);
    } finally {
      await db.pool.query(`DROP TRIGGER refuse_poison ON ${events}`);
    }
  });

  it('refuses a pool of one connection at start (the writer lock would hold it, and every batch would wait forever)', async () => {
    const one = new pg.Pool({ connectionString: PG_URL as string, max: 1 });
    try {
      const err = await createPgAuditSink({ pool: one, schema: db.schema, writerId: 'one-connection' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuditConfigError);
      expect((err as Error).message).toMatch(/allows 1 connection; the sink needs at least 2 .* max ≥ 2/);
    } finally {
      await one.end();
    }
  });

  it('closing a sink takes its listener off the pool connection that held the writer lock', async () => {
    const two = new pg.Pool({ connectionString: PG_URL as string, max: 2 });
    try {
      const before = await two.connect();
      const baseline = before.listenerCount('error');
      before.release();
      for (let i = 0; i < 12; i++) await (await createPgAuditSink({ pool: two, schema: db.schema, writerId: 'reopened' })).close();
      const a = await two.connect();
      const b = await two.connect();
      const most = Math.max(a.listenerCount('error'), b.listenerCount('error'));
      a.release();
      b.release();
      // The batches' connections keep one no-op listener each (added once per connection).
      expect(most).toBeLessThanOrEqual(baseline + 1);
    } finally {
      await two.end();
    }
  });

  it('saferoute audit verify --pg reads the tables', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await auditVerifyCommand.run(['--pg', PG_URL as string, '--schema', db.schema, '--json'], { stdout, stderr: new PassThrough(), cwd: '/', env: {} });
    const report = JSON.parse(out) as AuditVerifyReport;
    expect(code).toBe(1);
    expect(report.counts.writers).toBeGreaterThanOrEqual(7);
    expect(report.source).toMatch(/^postgres:\/\//);
  });
});
