import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { queryAuditLog } from '../../src/audit/query-audit-log.js';
import { archiveAuditPartitions } from '../../src/audit/pg-archive.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { recordsOfRow } from '../../src/audit/pg-packed-rows.js';
import { AUDIT_MIGRATIONS } from '../../src/audit/pg-migrations.js';
import { sampleBody } from './fixtures.js';
import { freshPgSchemaEachTest, PG_SKIP_NOTE, PG_URL, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();

function codes(report: AuditVerifyReport, writer: string): string[] {
  return report.findings.filter((f) => f.writer === writer).map((f) => f.code);
}

(PG_URL ? describe : describe.skip)(`PostgreSQL audit: packed rows (runs of records in one row)${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  let schema: string;
  freshPgSchemaEachTest((db) => ({ pool, schema } = db));
  const events = (): string => `${schema}.saferoute_audit_events`;
  const verify = (): Promise<AuditVerifyReport> => verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });

  /** `n` appends at once: batches this large are written in packed rows. Returns the decision ids, in chain order. */
  async function burst(writerId: string, n: number, clock?: () => number): Promise<string[]> {
    const sink = await createPgAuditSink({ pool, schema, writerId, checkpoint: { key: keys.privateKeyPem }, ...(clock ? { clock } : {}) });
    const bodies = Array.from({ length: n }, () => sampleBody());
    const acks = await Promise.all(bodies.map((b) => sink.append(b)));
    await sink.close();
    return bodies
      .map((b, i) => {
        const ack = acks[i];
        return [ack?.durable ? ack.seq : -1, b.decisionId] as const;
      })
      .sort((x, y) => x[0] - y[0])
      .map(([, id]) => id);
  }

  async function packedRows(writerId: string): Promise<{ seq: number; records: number }[]> {
    const res = await pool.query<{ seq: string; records: number }>(`SELECT seq, records FROM ${events()} WHERE writer_id = $1 AND records > 1 ORDER BY seq`, [writerId]);
    return res.rows.map((r) => ({ seq: Number(r.seq), records: r.records }));
  }

  it('a burst is stored in packed rows that verify, read back in order, and are found by decision id', async () => {
    const ids = await burst('p-a', 300);
    const packed = await packedRows('p-a');
    expect(packed.length).toBeGreaterThan(10);
    expect(packed.every((r) => r.records >= 2 && r.records <= 8)).toBe(true);
    const report = await verify();
    expect(report.findings).toEqual([]);
    // writer-start, 300 decisions, writer-stop
    expect(report.counts.records).toBe(302);

    const read: AuditEvent[] = [];
    for await (const r of queryAuditLog({ pg: { pool, schema } }, { kinds: 'all' })) read.push(r.event);
    expect(read.map((e) => e.seq)).toEqual(Array.from({ length: 302 }, (_, i) => i));
    expect(read.filter((e) => e.kind === 'decision').map((e) => (e.kind === 'decision' ? e.decisionId : ''))).toEqual(ids);

    // A decision inside a packed row (not its first record) is found through decision_ids.
    const inside = (packed[1] as { seq: number }).seq + 2;
    const wanted = ids[inside - 1] as string;
    const found: string[] = [];
    for await (const r of queryAuditLog({ pg: { pool, schema } }, { decisionId: wanted })) found.push(r.event.kind === 'decision' ? r.event.decisionId : '');
    expect(found).toEqual([wanted]);
  });

  it('a writer restarted after a packed row goes on from that row\'s last record', async () => {
    await burst('p-restart', 100);
    // As if the process died right after a packed batch: its writer-stop row and checkpoints are gone.
    const last = (await packedRows('p-restart')).at(-1) as { seq: number; records: number };
    await pool.query(`DELETE FROM ${events()} WHERE writer_id = 'p-restart' AND seq > $1`, [last.seq]);
    await pool.query(`DELETE FROM ${schema}.saferoute_audit_checkpoints WHERE checkpointer = 'p-restart'`);
    const sink = await createPgAuditSink({ pool, schema, writerId: 'p-restart', checkpoint: { key: keys.privateKeyPem } });
    await sink.append(sampleBody());
    await sink.close();
    const start = await pool.query<{ body: string }>(`SELECT body FROM ${events()} WHERE writer_id = 'p-restart' AND epoch = 2 AND seq = 0`);
    const previous = (JSON.parse(start.rows[0]?.body as string) as { previous: { seq: number } }).previous;
    expect(previous.seq).toBe(last.seq + last.records - 1);
    // The new epoch names where the old one ended, so the chain verifies across them.
    expect(codes(await verify(), 'p-restart')).toEqual([]);
  });

  it('detects an edited line, a deleted packed row, and columns that disagree with the lines', async () => {
    for (const w of ['t-edit', 't-delete', 't-ids', 't-records', 't-hash']) await burst(w, 100);
    const target = async (w: string): Promise<number> => ((await packedRows(w))[2] as { seq: number }).seq;
    // The third record of a packed row, edited in place.
    const edit = await target('t-edit');
    const row = (await pool.query<{ body: string }>(`SELECT body FROM ${events()} WHERE writer_id = 't-edit' AND seq = $1`, [edit])).rows[0] as { body: string };
    const lines = row.body.split('\n');
    lines[2] = (lines[2] as string).replace('"latencyMs":0.42', '"latencyMs":0.41');
    expect(lines.join('\n')).not.toBe(row.body);
    await pool.query(`UPDATE ${events()} SET body = $1 WHERE writer_id = 't-edit' AND seq = $2`, [lines.join('\n'), edit]);
    await pool.query(`DELETE FROM ${events()} WHERE writer_id = 't-delete' AND seq = $1`, [await target('t-delete')]);
    await pool.query(`UPDATE ${events()} SET decision_ids[2] = '01900000-0000-7000-8000-000000000000' WHERE writer_id = 't-ids' AND seq = $1`, [await target('t-ids')]);
    await pool.query(`UPDATE ${events()} SET records = records + 1 WHERE writer_id = 't-records' AND seq = $1`, [await target('t-records')]);
    await pool.query(`UPDATE ${events()} SET hash = repeat('0', 64) WHERE writer_id = 't-hash' AND seq = $1`, [await target('t-hash')]);

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(codes(report, 't-edit')).toEqual(['hash_mismatch']);
    expect(codes(report, 't-delete')).toEqual(['seq_gap']);
    expect(codes(report, 't-ids')).toEqual(['column_mismatch']);
    expect(report.findings.find((f) => f.writer === 't-ids')?.message).toMatch(/the columns decision_id disagree/);
    expect(codes(report, 't-records')).toEqual(['column_mismatch']);
    expect(report.findings.find((f) => f.writer === 't-records')?.message).toMatch(/records \(\d+ stated, \d+ held\)/);
    expect(codes(report, 't-hash')).toEqual(['column_mismatch']);
  });

  it('a burst across a month boundary is cut there: each month archives its own records, and verify covers archive and table', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // The clock moves a millisecond per reading, so one batch straddles midnight of November 30th.
      let now = Date.parse('2026-11-30T23:59:59.900Z');
      await burst('p-month', 300, () => now++);
      const rows = await pool.query(`SELECT writer_id, epoch, seq, ts, prev, hash, body, records, decision_ids::text[] FROM ${events()} WHERE writer_id = 'p-month'`);
      for (const row of rows.rows as { ts: Date; records: number }[]) {
        const months = new Set(recordsOfRow(row as never).map((r) => (JSON.parse(r.line) as { ts: string }).ts.slice(0, 7)));
        expect([...months]).toEqual([row.ts.toISOString().slice(0, 7)]);
      }
      expect(rows.rows.some((r: { records: number }) => r.records > 1)).toBe(true);
      const total = (await verify()).counts.records;
      const november = rows.rows.flatMap((row) => recordsOfRow(row as never)).filter((r) => (JSON.parse(r.line) as { ts: string }).ts < '2026-12-01').length;
      expect(november).toBeGreaterThan(0);
      expect(november).toBeLessThan(total);
      const archived = await archiveAuditPartitions({ pool, schema, before: new Date('2026-12-01T00:00:00Z'), to: dir, now: new Date('2027-01-15T12:00:00Z') });
      expect(archived.map((p) => p.partition)).toEqual(['saferoute_audit_events_p202611']);
      expect(archived[0]?.records).toBe(november);
      const across = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(across.findings).toEqual([]);
      expect(across.counts.records).toBe(total);
    } finally {
      await cleanup();
    }
  });

  it('a table from before migration 0120 is written one row per record; once migrated, its old rows and new packed ones verify together', async () => {
    const old = `${schema}_old`;
    await pool.query(`CREATE SCHEMA ${old}`);
    const c = await pool.connect();
    const migrate = async (ids: (id: string) => boolean): Promise<void> => {
      await c.query(`SET search_path TO ${old}`);
      for (const m of AUDIT_MIGRATIONS.filter((x) => ids(x.id))) await c.query(m.sql);
      await c.query('RESET search_path');
    };
    try {
      await migrate((id) => id < '0120');
      const burstIn = async (writerId: string): Promise<void> => {
        const sink = await createPgAuditSink({ pool, schema: old, writerId, checkpoint: { key: keys.privateKeyPem } });
        await Promise.all(Array.from({ length: 100 }, () => sink.append(sampleBody())));
        await sink.close();
      };
      await burstIn('before');
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${old}.saferoute_audit_events WHERE writer_id = 'before'`)).rows[0].n).toBe(102);
      const oldReport = await verifyAuditLog({ pg: { pool, schema: old } }, { publicKey: keys.publicKeyPem });
      expect(oldReport.findings).toEqual([]);

      await migrate((id) => id === '0120_audit_events_packed');
      await burstIn('before');
      await burstIn('after');
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${old}.saferoute_audit_events WHERE records > 1`)).rows[0].n).toBeGreaterThan(0);
      const report = await verifyAuditLog({ pg: { pool, schema: old } }, { publicKey: keys.publicKeyPem });
      expect(report.findings).toEqual([]);
      expect(report.counts.records).toBe(3 * 102);
    } finally {
      c.release();
      await pool.query(`DROP SCHEMA ${old} CASCADE`);
    }
  });
});
