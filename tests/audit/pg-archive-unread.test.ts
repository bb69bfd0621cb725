import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { archiveAuditPartitions } from '../../src/audit/pg-archive.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { sampleBody } from './fixtures.js';
import { freshPgSchemaEachTest, PG_SKIP_NOTE, PG_URL, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const NOW = new Date('2027-01-15T12:00:00Z');
const BEFORE = new Date('2026-12-01T00:00:00Z');

(PG_URL ? describe : describe.skip)(`PostgreSQL audit: verify without the archive${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  let schema: string;
  freshPgSchemaEachTest((db) => ({ pool, schema } = db));

  /**
   * `long` writes from October to December (its chain in the table starts past its genesis),
   * `gone` only in October (every record archived, its checkpoints still in the table), and
   * `new` only in December (its chain starts at genesis in the table).
   */
  async function writeLog(): Promise<void> {
    let now = Date.parse('2026-10-20T12:00:00Z');
    const clock = (): number => now;
    const sink = (writerId: string) => createPgAuditSink({ pool, schema, writerId, clock, checkpoint: { key: keys.privateKeyPem } });
    const long = await sink('long');
    const gone = await sink('gone');
    for (let i = 0; i < 5; i++) await Promise.all([long.append(sampleBody()), gone.append(sampleBody())]);
    await gone.close();
    now = Date.parse('2026-11-15T12:00:00Z');
    for (let i = 0; i < 5; i++) await long.append(sampleBody());
    now = Date.parse('2026-12-10T12:00:00Z');
    const fresh = await sink('new');
    for (let i = 0; i < 5; i++) await Promise.all([long.append(sampleBody()), fresh.append(sampleBody())]);
    await long.close();
    await fresh.close();
  }

  async function cli(argv: string[]): Promise<{ code: number; out: string }> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await auditVerifyCommand.run(argv, { stdout, stderr: new PassThrough(), cwd: '/', env: { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' } });
    return { code, out };
  }

  it('warns archive_not_verified naming the writers whose chain begins past their genesis, exits 0, and --archive verifies across', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeLog();
      expect((await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem })).findings).toEqual([]);
      const archived = await archiveAuditPartitions({ pool, schema, before: BEFORE, to: join(dir, 'archive'), now: NOW });
      expect(archived.map((p) => p.partition)).toEqual(['saferoute_audit_events_p202610', 'saferoute_audit_events_p202611']);

      const report = await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });
      expect(report.findings.map((f) => [f.severity, f.code])).toEqual([['warning', 'archive_not_verified']]);
      expect(report.ok).toBe(true);
      const warning = report.findings[0];
      expect(warning?.writers).toEqual(['gone', 'long']);
      expect(warning?.message).toMatch(/chains of `gone`, `long` begin past their genesis/);
      expect(warning?.message).toContain('--archive DIR');

      const keyFile = join(dir, 'audit.pub.pem');
      await writeFile(keyFile, keys.publicKeyPem);
      const text = await cli(['--pg', PG_URL as string, '--schema', schema, '--key', keyFile]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/^warning archive_not_verified: .*`gone`, `long`/m);
      expect(text.out).toContain('result: VALID (0 errors, 1 warning)');
      const json = await cli(['--pg', PG_URL as string, '--schema', schema, '--key', keyFile, '--json']);
      expect(json.code).toBe(0);
      const parsed = JSON.parse(json.out) as { ok: boolean; warnings: { code: string; writers?: string[] }[] };
      expect(parsed.ok).toBe(true);
      expect(parsed.warnings.map((w) => [w.code, w.writers])).toEqual([['archive_not_verified', ['gone', 'long']]]);
      // --strict makes the unverified archive a failure, for those who require the whole chain.
      expect((await cli(['--pg', PG_URL as string, '--schema', schema, '--key', keyFile, '--strict'])).code).toBe(1);

      const across = await cli(['--pg', PG_URL as string, '--schema', schema, '--key', keyFile, '--archive', join(dir, 'archive'), '--json']);
      expect(across.code).toBe(0);
      const acrossReport = JSON.parse(across.out) as { findings: unknown[]; warnings: unknown[] };
      expect(acrossReport.findings).toEqual([]);
      expect(acrossReport.warnings).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('still fails for records missing after the archived months', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeLog();
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: join(dir, 'archive'), now: NOW });
      // `new` wrote only in December: its records cannot be in the archive.
      await pool.query(`DELETE FROM ${schema}.saferoute_audit_events WHERE writer_id = 'new'`);
      const report = await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });
      expect(report.ok).toBe(false);
      expect(report.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.writer])).toContainEqual(['checkpoint_beyond_log', 'new']);
      expect(report.findings.find((f) => f.code === 'archive_not_verified')?.writers).toEqual(['gone', 'long']);
    } finally {
      await cleanup();
    }
  });
});
