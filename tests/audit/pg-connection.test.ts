import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { SaferouteError } from '../../src/errors.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { migrateCommand } from '../../src/cli/commands/migrate.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { auditQueryCommand } from '../../src/cli/commands/audit-query.js';
import { auditReportCommand } from '../../src/cli/commands/audit-report.js';
import { auditShowCommand } from '../../src/cli/commands/audit-show.js';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { openPgPoolFromEnv, pgPoolConfigFromEnv } from '../../src/db/pg-settings.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { AuditError } from '../../src/audit/audit-error.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';

const keys = generateAuditKeyPair();

describe('PostgreSQL settings from the environment', () => {
  it('reads the pool size, timeouts and TLS settings, and names a bad one', () => {
    const config = pgPoolConfigFromEnv({
      SAFEROUTE_PG_URL: 'postgres://u@db.example:5432/app?sslmode=verify-full',
      SAFEROUTE_PG_POOL_MAX: '24',
      SAFEROUTE_PG_STATEMENT_TIMEOUT_MS: '1500',
    });
    expect(config).toMatchObject({ connectionString: 'postgres://u@db.example:5432/app?sslmode=verify-full', max: 24, statement_timeout: 1500, connectionTimeoutMillis: 5000 });
    expect(() => pgPoolConfigFromEnv({ SAFEROUTE_PG_URL: 'postgres://x/y', SAFEROUTE_PG_POOL_MAX: 'many' })).toThrow(/SAFEROUTE_PG_POOL_MAX must be a positive whole number, not `many`/);
    expect(() => pgPoolConfigFromEnv({})).toThrow(/set SAFEROUTE_PG_URL/);
    expect(() => pgPoolConfigFromEnv({ SAFEROUTE_PG_URL: 'postgres://x/y', SAFEROUTE_PG_SSL_CA: '/nonexistent/ca.pem' })).toThrow(/SAFEROUTE_PG_SSL_CA: cannot read `\/nonexistent\/ca.pem`/);
  });

  it('an unreachable database at start is a configuration error (exit 78) naming the setting', async () => {
    const env = { SAFEROUTE_PG_URL: 'postgres://postgres:secret@127.0.0.1:1/test', SAFEROUTE_PG_CONNECT_TIMEOUT_MS: '2000' };
    const err = await openPgPoolFromEnv(env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SaferouteError);
    expect((err as SaferouteError).message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test \(SAFEROUTE_PG_URL\): .*check SAFEROUTE_PG_URL/);
    expect(exitCodeFor(err as SaferouteError)).toBe(78);
    const viaCli = await migrateCommand.run([], { stdout: new PassThrough(), stderr: new PassThrough(), cwd: '/', env }).catch((e: unknown) => e);
    expect(exitCodeFor(viaCli as SaferouteError)).toBe(78);
  });

  it('every command reading a PostgreSQL audit log says so too (exit 78, --pg named), not an internal error', async () => {
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), cwd: '/', env: { SAFEROUTE_PG_CONNECT_TIMEOUT_MS: '2000' } };
    const url = 'postgres://app:secret@127.0.0.1:1/app';
    const runs: Array<[string, Promise<number>]> = [
      ['audit verify', auditVerifyCommand.run(['--pg', url], io)],
      ['audit query', auditQueryCommand.run(['--pg', url], io)],
      ['audit report', auditReportCommand.run(['--pg', url, '--out', '/nonexistent/r.html'], io)],
      ['audit show', auditShowCommand.run(['0190aaaa-0000-7000-8000-000000000000', '--pg', url], io)],
      ['replay', replayCommand.run(['--shadow', '--pg', url], io)],
    ];
    for (const [name, run] of runs) {
      const err = await run.catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(SaferouteError);
      expect((err as SaferouteError).message, name).toMatch(/^cannot reach PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app \(--pg\): .*check --pg/);
      expect(exitCodeFor(err as SaferouteError), name).toBe(78);
    }
  });
});

(PG_URL ? describe : describe.skip)(`reading an unmigrated database${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  it('says to run saferoute migrate (exit 78) instead of a missing-relation internal error', async () => {
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), cwd: '/', env: {} };
    const err = await auditVerifyCommand.run(['--pg', PG_URL as string, '--schema', 'no_such_saferoute_schema'], io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SaferouteError);
    expect((err as SaferouteError).message).toMatch(/holds no saferoute audit log \(no table "no_such_saferoute_schema"\.saferoute_audit_events\); run `saferoute migrate --pg URL --schema no_such_saferoute_schema` first/);
    expect(exitCodeFor(err as SaferouteError)).toBe(78);
  });
});

/** A TCP proxy to PostgreSQL that the test can cut (every connection dropped, new ones refused) and restore. */
async function startProxy(target: URL): Promise<{ port: number; cut: () => void; restore: () => void; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let up = true;
  const server: Server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

(PG_URL ? describe : describe.skip)(`PostgreSQL connection handling${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
  });
  afterAll(async () => db?.cleanup());

  it('a statement that runs past SAFEROUTE_PG_STATEMENT_TIMEOUT_MS is cancelled', async () => {
    const pool = await openPgPoolFromEnv({ SAFEROUTE_PG_URL: PG_URL, SAFEROUTE_PG_STATEMENT_TIMEOUT_MS: '100' });
    try {
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await pool.end();
    }
  });

  it('the database going away mid-run: appends refused with audit_failed, health failed; recovered once it returns', async () => {
    const proxy = await startProxy(new URL(PG_URL as string));
    const viaProxy = new URL(PG_URL as string);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const sink = await createPgAuditSink({
      connectionString: viaProxy.toString(),
      schema: db.schema,
      writerId: 'outage',
      retryAfterFailureMs: 100,
      checkpoint: { key: keys.privateKeyPem, intervalMs: 200 },
      onError: () => undefined,
    });
    try {
      const before = await Promise.all(Array.from({ length: 20 }, () => sink.append(sampleBody())));
      expect(before.every((a) => a.durable)).toBe(true);

      proxy.cut();
      const during = await Promise.allSettled(Array.from({ length: 20 }, () => sink.append(sampleBody())));
      expect(during.every((r) => r.status === 'rejected')).toBe(true);
      const reason = (during[0] as PromiseRejectedResult).reason as AuditError;
      expect(reason).toBeInstanceOf(AuditError);
      expect(reason.code).toBe('audit_failed');
      expect(sink.health().status).toBe('failed');
      // Still down after several recovery attempts: still refused, still not ready.
      await new Promise((r) => setTimeout(r, 400));
      await expect(sink.append(sampleBody())).rejects.toMatchObject({ code: 'audit_failed' });
      expect(sink.health().status).toBe('failed');

      proxy.restore();
      let recovered = false;
      for (let i = 0; i < 100 && !recovered; i++) {
        await new Promise((r) => setTimeout(r, 100));
        recovered = sink.health().status !== 'failed';
      }
      expect(recovered).toBe(true);
      const after = await Promise.all(Array.from({ length: 20 }, () => sink.append(sampleBody())));
      expect(after.every((a) => a.durable)).toBe(true);
      // The chain goes on without a gap: nothing refused was stored in its place.
      expect((after[19] as { seq: number }).seq).toBe(40);
    } finally {
      await sink.close();
      await proxy.close();
    }
    const report = await verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { publicKey: keys.publicKeyPem });
    expect(report.findings.filter((f) => f.writer === 'outage')).toEqual([]);
    expect(report.counts.records).toBe(42);
  }, 30_000);
});
