import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { archiveAuditPartitions } from '../../src/audit/pg-archive.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const NOW = new Date('2027-01-15T12:00:00Z');
const BEFORE = new Date('2026-12-01T00:00:00Z');

/** Attacks on `saferoute audit archive` and `audit verify --pg --archive`: each must be caught or refused. */
(PG_URL ? describe : describe.skip)(`PostgreSQL audit archive under attack${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  const dbs: Awaited<ReturnType<typeof pgSchema>>[] = [];
  let pool: pg.Pool;
  let schema: string;
  beforeEach(async () => {
    const db = await pgSchema(PG_URL as string);
    dbs.push(db);
    ({ pool, schema } = db);
  });
  afterAll(async () => {
    for (const db of dbs) await db.cleanup();
  });

  /** One writer appending five records at each of the given times (one epoch). */
  async function write(db: { pool: pg.Pool; schema: string }, writerId: string, times: string[]): Promise<void> {
    let now = Date.parse(times[0] as string);
    const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId, clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    for (const at of times) {
      now = Date.parse(at);
      for (let i = 0; i < 5; i++) await sink.append(sampleBody());
    }
    await sink.close();
  }

  const verify = (archiveDir: string) => verifyAuditLog({ pg: { pool, schema }, archiveDir }, { publicKey: keys.publicKeyPem });

  it('a partition directory the ledger does not know (another database archived with the same key) is reported, not verified as part of this log', async () => {
    const { dir, cleanup } = await tempDir();
    const { dir: otherDir, cleanup: cleanupOther } = await tempDir();
    try {
      const other = await pgSchema(PG_URL as string);
      dbs.push(other);
      await write({ pool, schema }, 'mine', ['2026-10-28T12:00:00Z', '2026-12-20T12:00:00Z']);
      await write(other, 'forged', ['2026-09-28T12:00:00Z']);
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      await archiveAuditPartitions({ pool: other.pool, schema: other.schema, before: BEFORE, to: otherDir, now: NOW });
      const clean = await verify(dir);
      expect(clean.findings).toEqual([]);

      await cp(join(otherDir, 'saferoute_audit_events_p202609'), join(dir, 'saferoute_audit_events_p202609'), { recursive: true });
      const injected = await verify(dir);
      expect(injected.ok).toBe(false);
      expect(injected.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.message])).toEqual([
        ['archive_unexpected', expect.stringContaining('saferoute_audit_events_p202609')],
      ]);
      // Its records are not counted as this log's.
      expect(injected.counts.records).toBe(clean.counts.records);
    } finally {
      await cleanup();
      await cleanupOther();
    }
  });

  it('a copy of an archived partition under another directory name is reported', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write({ pool, schema }, 'mine', ['2026-10-28T12:00:00Z', '2026-12-20T12:00:00Z']);
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      await cp(join(dir, 'saferoute_audit_events_p202610'), join(dir, 'saferoute_audit_events_p202610.bak'), { recursive: true });
      const copied = await verify(dir);
      expect(copied.ok).toBe(false);
      expect(copied.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.message])).toEqual([
        ['archive_unexpected', expect.stringContaining('saferoute_audit_events_p202610.bak')],
      ]);
    } finally {
      await cleanup();
    }
  });
});
