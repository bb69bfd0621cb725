import { describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { AuditError } from '../../src/audit/audit-error.js';
import { archiveAuditPartitions } from '../../src/audit/pg-archive.js';
import { ensureAuditPartitions } from '../../src/audit/pg-partitions.js';
import { auditPgTables } from '../../src/audit/pg-tables.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { sampleBody } from './fixtures.js';
import { freshPgSchemaEachTest, PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const NOW = new Date('2027-01-15T12:00:00Z');
const BEFORE = new Date('2026-12-01T00:00:00Z');

/** Attacks on `saferoute audit archive` and `audit verify --pg --archive`: each must be caught or refused. */
(PG_URL ? describe : describe.skip)(`PostgreSQL audit archive under attack${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  let schema: string;
  const schemas = freshPgSchemaEachTest((db) => ({ pool, schema } = db));

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
      schemas.dropAfterAll(other);
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

  it('a chain file or the checkpoints removed, or the manifest made unreadable: findings, not a crash (exit 70)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write({ pool, schema }, 'mine', ['2026-10-28T12:00:00Z', '2026-12-20T12:00:00Z']);
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      const partition = join(dir, 'saferoute_audit_events_p202610');
      const chain = join(partition, 'mine', '1.jsonl');
      const text = await readFile(chain, 'utf8');
      await rm(chain);
      const removed = await verify(dir);
      expect(removed.ok).toBe(false);
      expect(removed.findings.filter((f) => f.code === 'archive_missing').map((f) => f.message)).toEqual([expect.stringContaining(chain)]);
      await writeFile(chain, text);

      const checkpoints = join(partition, 'checkpoints.jsonl');
      const signed = await readFile(checkpoints, 'utf8');
      await rm(checkpoints);
      const noCheckpoints = await verify(dir);
      expect(noCheckpoints.ok).toBe(false);
      expect(noCheckpoints.findings.filter((f) => f.code === 'archive_missing').map((f) => f.message)).toEqual([expect.stringContaining(checkpoints)]);
      await writeFile(checkpoints, signed);
      expect((await verify(dir)).findings).toEqual([]);

      const manifest = join(partition, 'MANIFEST.json');
      await writeFile(manifest, '{"format":');
      const unreadable = await verify(dir);
      expect(unreadable.ok).toBe(false);
      expect(unreadable.findings.filter((f) => f.code === 'archive_mismatch').map((f) => f.message)).toEqual([expect.stringContaining(manifest)]);
    } finally {
      await cleanup();
    }
  });

  it('the ledger row that anchors a manifest is written once: rewriting its SHA-256, deleting it or inserting an archived row is refused by the database', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write({ pool, schema }, 'mine', ['2026-10-28T12:00:00Z', '2026-12-20T12:00:00Z']);
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      const ledger = `${schema}.saferoute_audit_archive`;
      const before = (await pool.query(`SELECT * FROM ${ledger} ORDER BY partition`)).rows;
      await expect(pool.query(`UPDATE ${ledger} SET manifest_sha256 = repeat('0', 64) WHERE partition = 'saferoute_audit_events_p202610'`)).rejects.toThrow(/written once/);
      await expect(pool.query(`UPDATE ${ledger} SET state = 'detached' WHERE partition = 'saferoute_audit_events_p202610'`)).rejects.toThrow(/written once/);
      await expect(pool.query(`DELETE FROM ${ledger}`)).rejects.toThrow(/written once/);
      await expect(pool.query(`TRUNCATE ${ledger}`)).rejects.toThrow(/written once/);
      await expect(
        pool.query(`INSERT INTO ${ledger} (partition, lower_ts, upper_ts, state, manifest_sha256) VALUES ('saferoute_audit_events_p202609', '2026-09-01Z', '2026-10-01Z', 'archived', repeat('0', 64))`),
      ).rejects.toThrow(/written once/);
      expect((await pool.query(`SELECT * FROM ${ledger} ORDER BY partition`)).rows).toEqual(before);
      expect((await verify(dir)).findings).toEqual([]);
    } finally {
      await cleanup();
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

(PG_URL ? describe : describe.skip)(`PostgreSQL audit archive refuses, or leaves alone, what it must not archive${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  let schema: string;
  const schemas = freshPgSchemaEachTest((db) => ({ pool, schema } = db));

  async function write(writerId: string): Promise<void> {
    let now = Date.parse('2026-10-28T12:00:00Z');
    const sink = await createPgAuditSink({ pool, schema, writerId, clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    for (const at of ['2026-10-28T12:00:00Z', '2026-12-20T12:00:00Z']) {
      now = Date.parse(at);
      for (let i = 0; i < 3; i++) await sink.append(sampleBody());
    }
    await sink.close();
  }
  async function state(): Promise<{ ledger: unknown[]; partitions: string[]; rows: number }> {
    const ledger = (await pool.query(`SELECT partition, state FROM ${schema}.saferoute_audit_archive`)).rows;
    const partitions = (
      await pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
        [`${schema}.saferoute_audit_events`],
      )
    ).rows.map((r) => r.name);
    const rows = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.saferoute_audit_events`)).rows[0]?.n ?? -1;
    return { ledger, partitions, rows };
  }

  it('an archive directory it cannot write: a clear audit error, and the partition is still attached, no ledger row', async () => {
    await write('w');
    const untouched = await state();
    expect(untouched.partitions).toContain('saferoute_audit_events_p202610');
    // /proc exists and is a directory, but nothing can be created in it (whoever runs the test, root included).
    const err = (await archiveAuditPartitions({ pool, schema, before: BEFORE, to: '/proc', now: NOW }).catch((e: unknown) => e)) as AuditError;
    expect(err).toBeInstanceOf(AuditError);
    expect(err.message).toContain('/proc');
    expect(await state()).toEqual(untouched);
  });

  for (const writerId of ['../../escaped', 'checkpoints.jsonl', 'MANIFEST.json']) {
    it(`records of a writer named \`${writerId}\` (not a file name inside the archive): refused before detaching, nothing written outside DIR`, async () => {
      const { dir, cleanup } = await tempDir();
      try {
        await write('w');
        // Rows as anyone with INSERT on the table could add them.
        await pool.query(
          `INSERT INTO ${schema}.saferoute_audit_events SELECT $1, epoch, seq, ts, kind, decision_id, prev, hash, body FROM ${schema}.saferoute_audit_events WHERE ts < '2026-11-01'`,
          [writerId],
        );
        const untouched = await state();
        const to = join(dir, 'a', 'b');
        const err = (await archiveAuditPartitions({ pool, schema, before: BEFORE, to, now: NOW }).catch((e: unknown) => e)) as AuditError;
        expect(err).toBeInstanceOf(AuditError);
        expect(err.message).toContain(writerId);
        expect(await state()).toEqual(untouched);
        expect(await readdir(join(dir, 'a'))).toEqual(['b']);
        expect(await readdir(to)).toEqual([]);
      } finally {
        await cleanup();
      }
    });
  }

  it('a client clock running ahead (now given as 2099): the month that is current by the database clock is never archived', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // A writer on the real clock: records in the database's current month, in its partition.
      const dbNow = (await pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now as Date;
      expect(await ensureAuditPartitions(pool, auditPgTables(schema), dbNow, 0)).toEqual([]);
      await write('w');
      const sink = await createPgAuditSink({ pool, schema, writerId: 'today', checkpoint: { key: keys.privateKeyPem } });
      await sink.append(sampleBody());
      await sink.close();
      const current = `saferoute_audit_events_p${dbNow.getUTCFullYear()}${String(dbNow.getUTCMonth() + 1).padStart(2, '0')}`;
      expect((await state()).partitions).toContain(current);

      const far = new Date('2099-01-01T00:00:00Z');
      const archived = await archiveAuditPartitions({ pool, schema, before: far, to: dir, now: far });
      expect(archived.map((p) => p.partition)).toContain('saferoute_audit_events_p202610');
      expect(archived.map((p) => p.partition)).not.toContain(current);
      expect((await state()).partitions).toContain(current);
    } finally {
      await cleanup();
    }
  });

  it('a second run while one is under way is refused with a clear error instead of taking over its detached partition', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write('w');
      let second: unknown;
      const first = await archiveAuditPartitions({
        pool,
        schema,
        before: BEFORE,
        to: dir,
        now: NOW,
        onStep: async (step) => {
          if (step !== 'detached' || second !== undefined) return;
          second = await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW }).catch((e: unknown) => e);
        },
      });
      expect(second).toBeInstanceOf(AuditError);
      expect((second as AuditError).message).toMatch(/another `saferoute audit archive`/);
      expect(first.map((p) => [p.partition, p.resumed])).toEqual([
        ['saferoute_audit_events_p202610', false],
        ['saferoute_audit_events_p202611', false],
      ]);
      expect((await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem })).findings).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('rows of a month that arrive after it was archived (a writer whose clock is behind) stay in the table: its partition is not made again, and one made by hand is left alone instead of failing every run', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write('w');
      expect((await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW })).map((p) => p.partition)).toEqual([
        'saferoute_audit_events_p202610',
        'saferoute_audit_events_p202611',
      ]);
      // A sink whose clock says October: it must not create October's (or November's) partition again.
      const late = await createPgAuditSink({ pool, schema, writerId: 'late', clock: () => Date.parse('2026-10-30T12:00:00Z'), checkpoint: { key: keys.privateKeyPem } });
      await late.append(sampleBody());
      await late.close();
      const partitions = (await state()).partitions;
      expect(partitions).not.toContain('saferoute_audit_events_p202610');
      expect(partitions).not.toContain('saferoute_audit_events_p202611');

      // One made by hand (or by an earlier version): archiving leaves it in the table rather than
      // failing on the ledger's existing row on every run.
      await pool.query(
        `CREATE TABLE ${schema}.saferoute_audit_events_p202611 PARTITION OF ${schema}.saferoute_audit_events FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')`,
      );
      expect(await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW })).toEqual([]);
      expect((await state()).partitions).toContain('saferoute_audit_events_p202611');
      const report = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(report.findings).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('two databases (or schemas) archiving to one directory: the second never replaces the first one\'s archive', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const other = await pgSchema(PG_URL as string);
      schemas.dropAfterAll(other);
      await write('w');
      expect((await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW })).map((p) => p.partition)).toContain('saferoute_audit_events_p202610');
      const mine = await readFile(join(dir, 'saferoute_audit_events_p202610', 'MANIFEST.json'), 'utf8');

      let now = Date.parse('2026-10-20T12:00:00Z');
      const sink = await createPgAuditSink({ pool: other.pool, schema: other.schema, writerId: 'w', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
      for (let i = 0; i < 3; i++) await sink.append(sampleBody());
      now = Date.parse('2026-12-20T12:00:00Z');
      await sink.close();
      const untouched = (await other.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${other.schema}.saferoute_audit_events`)).rows[0]?.n;
      const err = (await archiveAuditPartitions({ pool: other.pool, schema: other.schema, before: BEFORE, to: dir, now: NOW }).catch((e: unknown) => e)) as AuditError;
      expect(err).toBeInstanceOf(AuditError);
      expect(err.message).toContain(join(dir, 'saferoute_audit_events_p202610'));
      // Nothing detached in the other database, and this one's archive still verifies.
      expect((await other.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${other.schema}.saferoute_audit_events`)).rows[0]?.n).toBe(untouched);
      expect((await other.pool.query(`SELECT 1 FROM ${other.schema}.saferoute_audit_archive`)).rowCount).toBe(0);
      expect(await readFile(join(dir, 'saferoute_audit_events_p202610', 'MANIFEST.json'), 'utf8')).toBe(mine);
      expect((await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem })).findings).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('a stopped run resumed after another database archived the same partition name into the directory: refused, the other archive kept', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const other = await pgSchema(PG_URL as string);
      schemas.dropAfterAll(other);
      await write('w');
      let now = Date.parse('2026-10-20T12:00:00Z');
      const sink = await createPgAuditSink({ pool: other.pool, schema: other.schema, writerId: 'w', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
      for (let i = 0; i < 3; i++) await sink.append(sampleBody());
      now = Date.parse('2026-12-20T12:00:00Z');
      await sink.close();
      const stop = new Error('stopped');
      await expect(
        archiveAuditPartitions({ pool: other.pool, schema: other.schema, before: BEFORE, to: dir, now: NOW, onStep: () => Promise.reject(stop) }),
      ).rejects.toBe(stop);
      await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      const mine = await readFile(join(dir, 'saferoute_audit_events_p202610', 'MANIFEST.json'), 'utf8');

      const err = (await archiveAuditPartitions({ pool: other.pool, schema: other.schema, before: BEFORE, to: dir, now: NOW }).catch((e: unknown) => e)) as AuditError;
      expect(err).toBeInstanceOf(AuditError);
      expect(err.message).toContain(join(dir, 'saferoute_audit_events_p202610'));
      expect(await readFile(join(dir, 'saferoute_audit_events_p202610', 'MANIFEST.json'), 'utf8')).toBe(mine);
      expect((await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem })).findings).toEqual([]);
      // The other database's partition is still there, detached, for a run with its own directory.
      const ledger = await other.pool.query<{ partition: string; state: string }>(`SELECT partition, state FROM ${other.schema}.saferoute_audit_archive`);
      expect(ledger.rows).toEqual([{ partition: 'saferoute_audit_events_p202610', state: 'detached' }]);
    } finally {
      await cleanup();
    }
  });

  it('writers appending throughout the run lose nothing and see no failure; their month stays', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const dbNow = (await pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now as Date;
      expect(await ensureAuditPartitions(pool, auditPgTables(schema), dbNow, 0)).toEqual([]);
      await write('old');
      const busy = await createPgAuditSink({ pool, schema, writerId: 'busy', checkpoint: { key: keys.privateKeyPem, intervalMs: 50 } });
      let stop = false;
      let appended = 0;
      const appending = (async () => {
        while (!stop) {
          await busy.append(sampleBody());
          appended++;
        }
      })();
      await new Promise((r) => setTimeout(r, 100));
      const archived = await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      stop = true;
      await appending;
      await busy.close();
      expect(archived.map((p) => p.partition)).toContain('saferoute_audit_events_p202610');
      expect(appended).toBeGreaterThan(0);
      const report = await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem });
      expect(report.findings).toEqual([]);
      const busyRows = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.saferoute_audit_events WHERE writer_id = 'busy'`)).rows[0]?.n;
      // Every acknowledged append is there (plus the writer's start and stop records).
      expect(busyRows).toBe(appended + 2);
    } finally {
      await cleanup();
    }
  });

  it('the events table locked by another session past lock_timeout: an audit error that says so, nothing detached, no ledger row', async () => {
    await write('w');
    const untouched = await state();
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${schema}.saferoute_audit_events IN ACCESS SHARE MODE`);
      const err = (await archiveAuditPartitions({ pool, schema, before: BEFORE, to: (await tempDir()).dir, now: NOW, lockTimeoutMs: 200 }).catch((e: unknown) => e)) as AuditError;
      expect(err).toBeInstanceOf(AuditError);
      expect(err.message).toMatch(/saferoute_audit_events_p202610/);
      expect(err.message).toMatch(/lock/);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(await state()).toEqual(untouched);
  });

  it('a run killed while writing (a half-built .partial directory left behind) is finished by the next, which builds it afresh', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await write('w');
      const stop = new Error('killed while writing');
      await expect(
        archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW, onStep: (step) => (step === 'detached' ? Promise.reject(stop) : undefined) }),
      ).rejects.toBe(stop);
      // What a kill midway through writing leaves: a build directory with a truncated chain file.
      const partial = join(dir, '.partial-saferoute_audit_events_p202610');
      await mkdir(join(partial, 'w'), { recursive: true });
      await writeFile(join(partial, 'w', '1.jsonl'), '{"truncated":');
      const rerun = await archiveAuditPartitions({ pool, schema, before: BEFORE, to: dir, now: NOW });
      expect(rerun.map((p) => [p.partition, p.resumed])).toEqual([
        ['saferoute_audit_events_p202610', true],
        ['saferoute_audit_events_p202611', false],
      ]);
      expect((await readdir(dir)).sort()).toEqual(['saferoute_audit_events_p202610', 'saferoute_audit_events_p202611']);
      expect((await verifyAuditLog({ pg: { pool, schema }, archiveDir: dir }, { publicKey: keys.publicKeyPem })).findings).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
