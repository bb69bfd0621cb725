import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';
import { recordsOfRow, type PgEventRow } from '../../src/audit/pg-packed-rows.js';

const child = fileURLToPath(new URL('./pg-writer-child.ts', import.meta.url));
const keys = generateAuditKeyPair();

interface ChildRun {
  acked: { decisionId: string; seq: number }[];
  signal: NodeJS.Signals | null;
  code: number | null;
}

/** Runs one writer process; `killAfter` acks, it is SIGKILLed (mid-batch: 64 appenders keep batches in flight). */
function runWriter(schema: string, writerId: string, count: string, killAfter?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, PG_URL as string, schema, writerId, count, keys.privateKeyPem], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: ChildRun['acked'] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    const take = (line: string): void => {
      const m = /^ack (\S+) (\d+)$/.exec(line);
      if (m) acked.push({ decisionId: m[1] as string, seq: Number(m[2]) });
    };
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        take(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (!killed && killAfter !== undefined && acked.length >= killAfter) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.on('error', reject);
    // 'close' follows the exit and the drained pipe: every ack printed before the kill is read.
    proc.on('close', (code, signal) => {
      clearTimeout(guard);
      for (const line of buffer.split('\n')) take(line);
      if (killAfter === undefined && code !== 0) reject(new Error(`writer ${writerId} exited ${code}: ${stderr}`));
      else resolve({ acked, signal, code });
    });
  });
}

(PG_URL ? describe : describe.skip)(`PostgreSQL audit: several writer processes${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
  });
  afterAll(async () => db?.cleanup());

  it('three instances write one table; one SIGKILLed mid-batch loses nothing it acknowledged, and every chain verifies', async () => {
    const [a, b, killed] = await Promise.all([
      runWriter(db.schema, 'gw-a', '400'),
      runWriter(db.schema, 'gw-b', '400'),
      runWriter(db.schema, 'gw-killed', 'forever', 300),
    ]);
    expect(a.acked).toHaveLength(400);
    expect(b.acked).toHaveLength(400);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.acked.length).toBeGreaterThanOrEqual(300);

    const stored = await db.pool.query<PgEventRow & { seq: string; decision_id: string | null }>(
      `SELECT writer_id, epoch, seq, prev, hash, body, decision_id::text, records, decision_ids::text[] FROM ${db.schema}.saferoute_audit_events ORDER BY writer_id, epoch, seq`,
    );
    // A busy writer packs runs of records into one row: every record, with its seq and decision id.
    const rows = {
      rows: stored.rows.flatMap((row) =>
        recordsOfRow(row).map((r) => ({ writer_id: row.writer_id, seq: String(r.seq), decision_id: ((row.records ?? 1) > 1 ? r.columns.decisionId : row.decision_id) ?? null, packed: (row.records ?? 1) > 1 })),
      ),
    };
    // At these rates some batches are large enough to be packed.
    expect(rows.rows.some((r) => r.packed)).toBe(true);
    for (const [writer, run] of [['gw-a', a], ['gw-b', b], ['gw-killed', killed]] as const) {
      const mine = rows.rows.filter((r) => r.writer_id === writer);
      // Committed rows are a gap-free prefix of the chain: a batch is one transaction, never half there.
      expect(mine.map((r) => Number(r.seq))).toEqual(mine.map((_, i) => i));
      const stored = new Set(mine.map((r) => r.decision_id));
      expect(run.acked.filter((x) => !stored.has(x.decisionId))).toEqual([]);
    }
    // The killed writer may have committed a batch whose acks it never printed, never the reverse.
    const killedRows = rows.rows.filter((r) => r.writer_id === 'gw-killed' && r.decision_id !== null);
    expect(killedRows.length).toBeGreaterThanOrEqual(killed.acked.length);

    const report = await verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { publicKey: keys.publicKeyPem });
    const byWriter = (w: string) => report.findings.filter((f) => f.writer === w).map((f) => f.code);
    expect(byWriter('gw-a')).toEqual([]);
    expect(byWriter('gw-b')).toEqual([]);
    // Only what a crash leaves: no writer-stop, records after the last checkpoint — no chain damage.
    expect(new Set(byWriter('gw-killed'))).toEqual(new Set(['epoch_unterminated', 'uncovered_records']));
    expect(report.counts.writers).toBe(3);

    // `audit verify --pg URL` reads every chain of the table, and reports the crash (exit 1).
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const keyDir = await mkdtemp(join(tmpdir(), 'saferoute-pg-multi-'));
    const keyFile = join(keyDir, 'audit.pub.pem');
    await writeFile(keyFile, keys.publicKeyPem);
    const code = await auditVerifyCommand.run(['--pg', PG_URL as string, '--schema', db.schema, '--key', keyFile, '--json'], {
      stdout,
      stderr: new PassThrough(),
      cwd: '/',
      env: {},
    });
    const cli = JSON.parse(out) as AuditVerifyReport;
    expect(cli.counts.writers).toBe(3);
    expect(cli.counts.records).toBe(rows.rows.length);
    expect(cli.findings.filter((f) => f.writer !== 'gw-killed')).toEqual([]);
    expect(code).toBe(1);
    await rm(keyDir, { recursive: true, force: true });
  }, 90_000);
});
