import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { archiveAuditPartitions, type ArchiveStep } from '../../src/audit/pg-archive.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { auditArchiveCommand } from '../../src/cli/commands/audit-archive.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { writeFileSync } from 'node:fs';
import { sampleBody } from './fixtures.js';
import { freshPgSchemaEachTest, PG_SKIP_NOTE, PG_URL, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const NOW = new Date('2027-01-15T12:00:00Z');

function keyFile(dir: string): string {
  const path = join(dir, '..', `${dir.split('/').pop() ?? 'k'}.pub.pem`);
  writeFileSync(path, keys.publicKeyPem);
  return path;
}

(PG_URL ? describe : describe.skip)(`PostgreSQL audit: archive of monthly partitions${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  let schema: string;
  /** Fresh tables for each test: archiving changes them for good. */
  freshPgSchemaEachTest((db) => ({ pool, schema } = db));

  /** Two writers over October–December: each chain crosses month boundaries within one epoch. */
  async function writeThreeMonths(prefix: string): Promise<number> {
    let now = Date.parse('2026-10-28T12:00:00Z');
    const clock = (): number => now;
    const a = await createPgAuditSink({ pool, schema, writerId: `${prefix}-a`, clock, checkpoint: { key: keys.privateKeyPem } });
    const b = await createPgAuditSink({ pool, schema, writerId: `${prefix}-b`, clock, checkpoint: { key: keys.privateKeyPem } });
    let n = 0;
    for (const at of ['2026-10-28T12:00:00Z', '2026-11-10T12:00:00Z', '2026-12-20T12:00:00Z']) {
      now = Date.parse(at);
      for (let i = 0; i < 7; i++) {
        await Promise.all([a.append(sampleBody()), b.append(sampleBody())]);
        n += 2;
      }
    }
    await a.close();
    await b.close();
    return n;
  }

  async function countRows(): Promise<number> {
    return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.saferoute_audit_events`)).rows[0]?.n ?? -1;
  }

  it('moves October and November out, verify --archive covers archive and table, and the table alone says what is archived', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeThreeMonths('w1');
      const before = await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });
      expect(before.findings).toEqual([]);
      const total = before.counts.records;

      const archived = await archiveAuditPartitions({ pool, schema, before: new Date('2026-12-01T00:00:00Z'), to: dir, now: NOW });
      expect(archived.map((p) => p.partition)).toEqual(['saferoute_audit_events_p202610', 'saferoute_audit_events_p202611']);
      const moved = archived.reduce((s, p) => s + p.records, 0);
      expect(moved).toBeGreaterThan(0);
      expect(await countRows()).toBe(total - moved);
      expect((await readdir(dir)).sort()).toEqual(['saferoute_audit_events_p202610', 'saferoute_audit_events_p202611']);

      const across = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(across.findings).toEqual([]);
      expect(across.counts.records).toBe(total);

      const liveOnly = await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });
      expect(liveOnly.findings.map((f) => [f.severity, f.code])).toEqual([['warning', 'archive_not_verified']]);
      expect(liveOnly.counts.records).toBe(total - moved);

      // A rerun has nothing left to do; December (not over at `before`) stays.
      expect(await archiveAuditPartitions({ pool, schema, before: new Date('2026-12-01T00:00:00Z'), to: dir, now: NOW })).toEqual([]);

      // An archived record edited on disk breaks the chain there.
      const file = join(dir, 'saferoute_audit_events_p202611', 'w1-a', '1.jsonl');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('"kind":"decision"', '"kind":"decisiom"'));
      const tampered = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(tampered.ok).toBe(false);
      expect(tampered.findings.some((f) => f.code === 'hash_mismatch' && f.writer === 'w1-a')).toBe(true);

      // A whole archived month missing is named.
      await rename(join(dir, 'saferoute_audit_events_p202610'), join(dir, '.moved-away'));
      const missing = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(missing.findings.filter((f) => f.code === 'archive_missing').map((f) => f.message)).toEqual([expect.stringContaining('saferoute_audit_events_p202610')]);
    } finally {
      await cleanup();
    }
  });

  for (const step of ['detached', 'written', 'verified'] as ArchiveStep[]) {
    it(`a run that stops after "${step}" loses nothing, and a rerun completes it`, async () => {
      const { dir, cleanup } = await tempDir();
      try {
        await writeThreeMonths(`s-${step}`);
        const total = (await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem })).counts.records;

        const crash = new Error(`stopped after ${step}`);
        await expect(
          archiveAuditPartitions({
            pool,
            schema,
            before: new Date('2026-12-01T00:00:00Z'),
            to: dir,
            now: NOW,
            onStep: (at, partition) => {
              if (at === step && partition.endsWith('p202611')) throw crash;
            },
          }),
        ).rejects.toBe(crash);

        // Meanwhile verify says what is unfinished and still sees every record somewhere.
        const midway = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
        const errors = midway.findings.filter((f) => f.severity === 'error').map((f) => f.code);
        expect(errors[0]).toBe('archive_incomplete');
        // Detached and not yet written out, November's records are in the detached table only: the chains show the hole.
        if (step === 'detached') expect(errors).toContain('seq_gap');
        else expect(errors).toEqual(['archive_incomplete']);

        const rerun = await archiveAuditPartitions({ pool, schema, before: new Date('2026-11-01T00:00:00Z'), to: dir, now: NOW });
        expect(rerun.map((p) => [p.partition, p.resumed])).toEqual([['saferoute_audit_events_p202611', true]]);
        expect((await readdir(dir)).sort()).toEqual(['saferoute_audit_events_p202610', 'saferoute_audit_events_p202611']);
        const after = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
        expect(after.findings).toEqual([]);
        expect(after.counts.records).toBe(total);
      } finally {
        await cleanup();
      }
    });
  }

  it('saferoute audit archive and audit verify --archive from the command line', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeThreeMonths('cli');
      const run = async (command: typeof auditArchiveCommand, argv: string[]): Promise<{ code: number; out: string }> => {
        const stdout = new PassThrough();
        let out = '';
        stdout.on('data', (d: Buffer) => (out += d.toString()));
        const code = await command.run(argv, { stdout, stderr: new PassThrough(), cwd: '/', env: {} });
        return { code, out };
      };
      const archived = await run(auditArchiveCommand, ['--pg', PG_URL as string, '--schema', schema, '--before', '2026-12-01', '--to', dir]);
      expect(archived.out).toContain('archived saferoute_audit_events_p202610');
      expect(archived.out).toContain('archived saferoute_audit_events_p202611');
      expect(archived.code).toBe(0);
      const verified = await run(auditVerifyCommand, ['--pg', PG_URL as string, '--schema', schema, '--archive', dir, '--key', keyFile(dir)]);
      expect(verified.out).toContain('result: VALID (0 errors, 0 warnings)');
      expect(verified.code).toBe(0);
      await expect(run(auditArchiveCommand, ['--pg', PG_URL as string, '--schema', schema, '--before', '2999-01-01', '--to', dir])).rejects.toThrow(/--before 2999-01-01/);
    } finally {
      await cleanup();
    }
  });
});
