import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { AUDIT_MIGRATIONS } from '../../src/audit/pg-migrations.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { runMigrations } from '../../src/db/migrate.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL } from './helpers.js';

const keys = generateAuditKeyPair();

(PG_URL ? describe : describe.skip)(`PostgreSQL audit: monthly partitions${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let pool: pg.Pool;
  const schema = `audit_part_${process.pid}_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 6 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  });

  async function partitions(): Promise<Record<string, number>> {
    const res = await pool.query<{ name: string; n: string }>(
      `SELECT c.relname AS name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', $1::text, c.relname), false, true, '')))[1]::text AS n
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($2)`,
      [schema, `${schema}.saferoute_audit_events`],
    );
    return Object.fromEntries(res.rows.map((r) => [r.name, Number(r.n)]));
  }

  it('an existing unpartitioned log is converted month by month, keeps verifying, and a new writer gets its month', async () => {
    // The log as it was before 0102: two months of records from a writer whose clock says so.
    await runMigrations(
      pool,
      AUDIT_MIGRATIONS.filter((m) => m.id < '0102'),
      { schema },
    );
    let now = Date.parse('2026-10-30T12:00:00Z');
    const old = await createPgAuditSink({ pool, schema, writerId: 'gw-old', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    for (let i = 0; i < 5; i++) await old.append(sampleBody());
    now = Date.parse('2026-11-02T12:00:00Z');
    for (let i = 0; i < 5; i++) await old.append(sampleBody());
    await old.close();
    const before = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.saferoute_audit_events`);

    const result = await runMigrations(pool, AUDIT_MIGRATIONS, { schema });
    // 0102 and the migrations after it (the policy archive table, …), in order.
    expect(result.applied[0]).toBe('0102_audit_events_partitioned');
    expect(result.applied).toEqual(AUDIT_MIGRATIONS.filter((m) => m.id >= '0102').map((m) => m.id));
    const kind = await pool.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = to_regclass($1)`, [`${schema}.saferoute_audit_events`]);
    expect(kind.rows[0]?.relkind).toBe('p');
    expect(await partitions()).toEqual({ saferoute_audit_events_default: 0, saferoute_audit_events_p202610: 6, saferoute_audit_events_p202611: 6 });
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.saferoute_audit_events`)).rows[0]).toEqual(before.rows[0]);

    // A writer starting in December creates December's and January's partitions and writes there.
    now = Date.parse('2026-12-04T12:00:00Z');
    const next = await createPgAuditSink({ pool, schema, writerId: 'gw-old', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    for (let i = 0; i < 3; i++) await next.append(sampleBody());
    await next.close();
    expect(await partitions()).toEqual({
      saferoute_audit_events_default: 0,
      saferoute_audit_events_p202610: 6,
      saferoute_audit_events_p202611: 6,
      saferoute_audit_events_p202612: 5,
      saferoute_audit_events_p202701: 0,
    });
    const report = await verifyAuditLog({ pg: { pool, schema } }, { publicKey: keys.publicKeyPem });
    expect(report.findings).toEqual([]);
    expect(report.counts.records).toBe(17);
  });
});
