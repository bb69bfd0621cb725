/**
 * Audit trail benchmark: durable records per second and acknowledgement latency (p50/p99) of the
 * file sink and the PostgreSQL sink with 1, 16 and 256 concurrent writers, side by side with the
 * naive way (`appendFile` + fsync per record), and `verify` throughput. Medians of several runs;
 * the file sink's runs and the naive peer's alternate, so that both see the same machine load.
 * A record is acknowledged (and its latency taken) only once it is durable. Every run starts a
 * fresh sink and loads it for `--warmup` seconds before timing; the p99 of that start is reported
 * apart (`startup p99`).
 *
 *   npx tsx bench/audit.bench.ts [--runs 3] [--seconds 1.5] [--warmup 0.3] [--verify-records 200000] [--quick] [--json]
 *                                [--only file,naive,pg,verify] [--writers 1,16,256]
 *
 * PostgreSQL is measured when SAFEROUTE_BENCH_PG_URL or SAFEROUTE_TEST_PG_URL is set, or when
 * postgres://postgres@127.0.0.1:5432/test answers; its tables go into a scratch schema that is
 * dropped afterwards. Beside the sink, in the same runs: the same sink on tables without
 * migration 0120 (`rows of one`: one row per record, as before packed rows) and one INSERT per
 * record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  AUDIT_MIGRATIONS,
  createAuditEvent,
  createAuditHmacKeys,
  createFileAuditSink,
  createPgAuditSink,
  generateAuditKeyPair,
  verifyAuditLog,
  type AuditSink,
  type DecisionAuditBody,
} from '../src/audit/index.js';
import type { Decision } from '../src/decision/decision.js';
import { uuidv7 } from '../src/util/uuidv7.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '1.5' },
    warmup: { type: 'string', default: '0.3' },
    'verify-records': { type: 'string', default: '200000' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string', default: 'file,naive,pg,verify' },
    writers: { type: 'string', default: '1,16,256' },
  },
});
const RUNS = args.quick ? 1 : Number(args.runs);
const SECONDS = args.quick ? 0.5 : Number(args.seconds);
const WARMUP_SECONDS = args.quick ? 0.1 : Number(args.warmup);
const VERIFY_RECORDS = args.quick ? 30_000 : Number(args['verify-records']);
const CONCURRENCY = args.writers.split(',').map(Number);
const ONLY = new Set(args.only.split(','));
const hmac = createAuditHmacKeys({ secret: randomBytes(32) });
const signing = generateAuditKeyPair();

function decision(i: number): Decision {
  const block = i % 5 === 0;
  return {
    decisionId: uuidv7(),
    stage: i % 2 ? 'output' : 'input',
    outcome: block ? 'block' : 'route',
    ...(block ? {} : { target: i % 3 ? 'sfw' : 'restricted' }),
    effective: block ? { outcome: 'block' } : { outcome: 'route', target: i % 3 ? 'sfw' : 'restricted' },
    ...(block ? { reason: 'unmet_requirements' } : {}),
    determiningRules: [block ? 'adult-needs-verified-age' : 'default-route'],
    matchedRules: block ? ['adult-needs-verified-age', 'warn-sexual'] : ['default-route'],
    unmet: block ? [{ code: 'age_verification_required', target: 'restricted', detail: 'no attestation' }] : [],
    warnings: block ? ['sexual content'] : [],
    scores: { sexual: (i % 100) / 100, violence: 0.02, hate: 0.01, 'self-harm': 0, jailbreak: 0.05 },
    evidence: [],
    classifierErrors: [],
    subject: {
      jurisdiction: { code: 'GB', row: 'GB', source: 'declared' },
      age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2025-01-01T00:00:00.000Z', issuer: 'https://idv.example', attestationId: `att-${i}` },
      consents: [{ scope: 'adult-content', version: '2.1.0', state: 'given', at: '2025-01-01T00:00:00.000Z', recordId: `c-${i}` }],
    },
    policy: { id: 'default', revision: '2025-06-01.3', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    mode: 'enforce',
    decidedAt: new Date().toISOString(),
    latencyMs: 0.31,
  };
}

/** Bodies are built before timing: the benchmark measures the sink, not `createAuditEvent`. */
function bodies(n: number): DecisionAuditBody[] {
  return Array.from({ length: n }, (_, i) => createAuditEvent(decision(i), { subjectId: `user-${i % 1000}`, text: `prompt number ${i}`, keys: hmac }));
}

/** Microseconds per `createAuditEvent` (the HMACs included), warmed up as in a running server. */
function createAuditEventMicros(): number {
  const decisions = Array.from({ length: 1000 }, (_, i) => decision(i));
  const run = (n: number): number => {
    const t = performance.now();
    for (let i = 0; i < n; i++) createAuditEvent(decisions[i % 1000] as Decision, { subjectId: `user-${i % 1000}`, text: `prompt number ${i}`, keys: hmac });
    return ((performance.now() - t) / n) * 1000;
  };
  run(5000);
  return median([run(10_000), run(10_000), run(10_000)]);
}

/**
 * Milliseconds one 4 KiB write plus `fdatasync` takes on the scratch directory's disk (p50, p99 of
 * 200): every durable record waits for one, so the sinks' figures are read against it — on a shared
 * virtual disk it moves from one hour to the next.
 */
async function fsyncMillis(): Promise<{ p50: number; p99: number }> {
  const { dir, done } = await scratchDir();
  const handle = await open(join(dir, 'probe'), 'w');
  const block = Buffer.alloc(4096, 0x61);
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await handle.write(block, 0, block.length, i * block.length);
      await handle.datasync();
      times.push(performance.now() - t);
    }
  } finally {
    await handle.close();
    await done();
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99) };
}

interface RunResult {
  records: number;
  seconds: number;
  p50: number;
  p99: number;
  /** p99 of the appends made while the fresh sink warmed up (not in the figures above). */
  startupP99: number;
  /** CPU microseconds this process spent per record in the timed window (sink and driving loop). */
  cpuUs: number;
  /** CPU microseconds per record of the server's processes that count (see `DbPids`; when /proc can be read). */
  dbCpuUs?: number;
}

/** User + system CPU clock ticks of every `postgres` process on this machine, by pid (Linux /proc), or undefined. */
function postgresCpuTicks(): Map<number, number> | undefined {
  try {
    const ticks = new Map<number, number>();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
        const fields = stat.slice(close + 2).split(' ');
        ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks;
  } catch {
    return undefined;
  }
}

/**
 * Which server processes count towards `db µs/rec`: the backends of this benchmark's own
 * connections (by `application_name`) and the server's background processes (WAL writer,
 * checkpointer, background writer, autovacuum), not other clients' backends — the server may be
 * shared, and another client's queries are not the sink's cost.
 */
type DbPids = () => Promise<Set<number>>;

/**
 * `concurrency` loops append back to back: first for `WARMUP_SECONDS` on the freshly started sink
 * (its first segment, first syncs, first checkpoint), then for `SECONDS`, timed. An append counts
 * in the window it started in; every ack's latency is kept, and an ack is only given once the
 * record is durable.
 */
async function drive(append: (b: DecisionAuditBody) => Promise<unknown>, concurrency: number, pool: DecisionAuditBody[], dbPids?: DbPids): Promise<RunResult> {
  const latencies: number[] = [];
  const startup: number[] = [];
  let next = 0;
  const measureFrom = performance.now() + WARMUP_SECONDS * 1000;
  const deadline = measureFrom + SECONDS * 1000;
  let cpuFrom = process.cpuUsage();
  let dbFrom: Map<number, number> | undefined;
  let pidsAtStart: Promise<Set<number>> | undefined;
  const startTimer = setTimeout(() => {
    cpuFrom = process.cpuUsage();
    if (!dbPids) return;
    dbFrom = postgresCpuTicks();
    pidsAtStart = dbPids();
    pidsAtStart.catch(() => undefined);
  }, WARMUP_SECONDS * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let t = performance.now(); t < deadline; t = performance.now()) {
        const body = pool[next++ % pool.length] as DecisionAuditBody;
        await append(body);
        (t < measureFrom ? startup : latencies).push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - measureFrom) / 1000;
  clearTimeout(startTimer);
  const cpu = process.cpuUsage(cpuFrom);
  const dbTo = dbPids ? postgresCpuTicks() : undefined;
  let dbMs: number | undefined;
  if (dbPids && dbFrom && dbTo && pidsAtStart) {
    // A process counts when it ran through the whole window (alive at both readings).
    const pids = new Set([...(await pidsAtStart), ...(await dbPids())]);
    let ticks = 0;
    for (const pid of pids) {
      const from = dbFrom.get(pid);
      const to = dbTo.get(pid);
      if (from !== undefined && to !== undefined) ticks += to - from;
    }
    dbMs = (ticks * 1000) / 100;
  }
  latencies.sort((a, b) => a - b);
  startup.sort((a, b) => a - b);
  const n = Math.max(1, latencies.length);
  return {
    records: latencies.length,
    seconds,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    startupP99: pct(startup, 0.99),
    cpuUs: (cpu.user + cpu.system) / n,
    ...(dbMs !== undefined ? { dbCpuUs: (dbMs * 1000) / n } : {}),
  };
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface Row {
  sink: string;
  writers: number | string;
  recordsPerSecond: number;
  p50Ms?: number;
  p99Ms?: number;
  startupP99Ms?: number;
  cpuUsPerRecord?: number;
  dbCpuUsPerRecord?: number;
  note?: string;
}

async function scratchDir(): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'saferoute-audit-bench-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

type SinkFactory = () => Promise<{ append: (b: DecisionAuditBody) => Promise<unknown>; close: () => Promise<void> }>;

/** Runs every sink `RUNS` times, alternating between them run by run, and reports the medians. */
async function measure(sinks: { name: string; make: SinkFactory }[], concurrency: number, pool: DecisionAuditBody[], dbPids?: DbPids): Promise<Row[]> {
  const runs: RunResult[][] = sinks.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    for (const [i, { make }] of sinks.entries()) {
      const sink = await make();
      runs[i]?.push(await drive(sink.append, concurrency, pool, dbPids));
      await sink.close();
    }
  }
  return sinks.map(({ name }, i) => {
    const of = runs[i] as RunResult[];
    return {
      sink: name,
      writers: concurrency,
      recordsPerSecond: median(of.map((r) => r.records / r.seconds)),
      p50Ms: median(of.map((r) => r.p50)),
      p99Ms: median(of.map((r) => r.p99)),
      startupP99Ms: median(of.map((r) => r.startupP99)),
      cpuUsPerRecord: median(of.map((r) => r.cpuUs)),
      ...(name === 'postgresql, rows of one' ? { note: 'the same sink on a table without migration 0120 (before packed rows)' } : {}),
      ...(of.every((r) => r.dbCpuUs !== undefined) ? { dbCpuUsPerRecord: median(of.map((r) => r.dbCpuUs as number)) } : {}),
    };
  });
}

function fileSink(): SinkFactory {
  return async () => {
    const { dir, done } = await scratchDir();
    const sink: AuditSink = await createFileAuditSink({ dir, writerId: 'bench', checkpoint: { key: signing.privateKeyPem, intervalMs: 1000 } });
    return {
      append: async (b) => {
        const ack = await sink.append(b);
        if (!ack.durable) throw new Error(ack.reason);
      },
      close: async () => {
        await sink.close();
        await done();
      },
    };
  };
}

/** The naive peer: one JSON line per record, appended and fsync'd on its own (no chain, no batching). */
function naiveSink(): SinkFactory {
  return async () => {
    const { dir, done } = await scratchDir();
    const handle = await open(join(dir, 'naive.jsonl'), 'a');
    return {
      append: async (b) => {
        await handle.appendFile(JSON.stringify(b) + '\n');
        await handle.datasync();
      },
      close: async () => {
        await handle.close();
        await done();
      },
    };
  };
}

async function reachablePg(): Promise<string | undefined> {
  const candidates = [process.env['SAFEROUTE_BENCH_PG_URL'], process.env['SAFEROUTE_TEST_PG_URL'], 'postgres://postgres@127.0.0.1:5432/test'].filter((u): u is string => !!u);
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return url;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

async function pgSetup(url: string): Promise<{ pool: pg.Pool; url: string; schema: string; rowsSchema: string; appName: string; dbPids: DbPids; drop: () => Promise<void> }> {
  const appName = `saferoute-bench-${process.pid}`;
  const pool = new pg.Pool({ connectionString: url, max: 6, application_name: appName });
  // Its own session, so that asking which processes to count never waits for a sink's connection.
  const monitor = new pg.Client({ connectionString: url, application_name: `${appName}-monitor` });
  await monitor.connect();
  const dbPids: DbPids = async () =>
    new Set(
      (await monitor.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 OR backend_type <> 'client backend'`, [appName])).rows.map((r) => r.pid),
    );
  const schema = `audit_bench_${process.pid}`;
  // The same tables without migration 0120: the sink writes one row per record there (its peer row).
  const rowsSchema = `${schema}_rows`;
  for (const [s, migrations] of [
    [schema, AUDIT_MIGRATIONS],
    [rowsSchema, AUDIT_MIGRATIONS.filter((m) => m.id < '0120')],
  ] as const) {
    await pool.query(`CREATE SCHEMA ${s}`);
    const client = await pool.connect();
    await client.query(`SET search_path TO ${s}`);
    for (const m of migrations) await client.query(m.sql);
    await client.query('RESET search_path');
    client.release();
  }
  return {
    pool,
    url,
    schema,
    rowsSchema,
    appName,
    dbPids,
    drop: async () => {
      await pool.query(`DROP SCHEMA ${rowsSchema} CASCADE`);
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
      await monitor.end();
    },
  };
}

/** The naive PostgreSQL peer: one autocommitted INSERT per record over a 16-connection pool (no chain, no batching). */
function naivePgSink(db: Awaited<ReturnType<typeof pgSetup>>, c: number): SinkFactory {
  return async () => {
    const table = `${db.schema}.naive_${c}`;
    const naive = new pg.Pool({ connectionString: db.url, max: 16, application_name: db.appName });
    await naive.query(`CREATE TABLE IF NOT EXISTS ${table} (LIKE ${db.schema}.saferoute_audit_events INCLUDING DEFAULTS)`);
    let seq = 0;
    return {
      append: async (b) => {
        const n = seq++;
        await naive.query(`INSERT INTO ${table} (writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body) VALUES ('naive', 1, $1, now(), 'decision', $2, $3, $3, $4)`, [
          n,
          b.kind === 'decision' ? b.decisionId : null,
          '0'.repeat(64),
          JSON.stringify(b),
        ]);
      },
      close: async () => {
        await naive.query(`DROP TABLE ${table}`);
        await naive.end();
      },
    };
  };
}

async function verifyThroughput(source: Parameters<typeof verifyAuditLog>[0], expectRecords: number, workers = 1): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < Math.max(RUNS, 3); r++) {
    const t = performance.now();
    const report = await verifyAuditLog(source, { publicKey: signing.publicKeyPem, workers });
    const s = (performance.now() - t) / 1000;
    if (!report.ok || report.counts.records < expectRecords) throw new Error(`verify found problems: ${JSON.stringify(report.findings.slice(0, 3))}`);
    rates.push(report.counts.records / s);
  }
  return median(rates);
}

function log(text: string): void {
  if (!args.json) process.stderr.write(text);
}

/** Writes a log of `VERIFY_RECORDS` records and measures `verify` on it (and on the PostgreSQL table). */
async function verifyRows(pool: DecisionAuditBody[], rows: Row[], pgDb: Awaited<ReturnType<typeof pgSetup>> | undefined): Promise<void> {
  log(`writing ${VERIFY_RECORDS} records for verify…\n`);
  const { dir, done } = await scratchDir();
  const writer = await createFileAuditSink({ dir, writerId: 'verify', rotate: { maxBytes: 32 * 1024 * 1024 }, groupCommit: { maxBatch: 2048, maxQueue: 8192 }, checkpoint: { key: signing.privateKeyPem, intervalMs: 500 } });
  for (let i = 0; i < VERIFY_RECORDS; i += 2048) {
    await Promise.all(Array.from({ length: Math.min(2048, VERIFY_RECORDS - i) }, (_, k) => writer.append(pool[k % pool.length] as DecisionAuditBody)));
  }
  await writer.close();
  log(`verifying…\n`);
  rows.push({ sink: 'verify (file)', writers: '—', recordsPerSecond: await verifyThroughput({ dir }, VERIFY_RECORDS), note: `${VERIFY_RECORDS} records, 1 thread` });
  rows.push({ sink: 'verify (file, 2 workers)', writers: '—', recordsPerSecond: await verifyThroughput({ dir }, VERIFY_RECORDS, 2), note: '--workers 2' });
  await done();
  if (pgDb) {
    const total = Number((await pgDb.pool.query(`SELECT coalesce(sum(records), 0) AS n FROM ${pgDb.schema}.saferoute_audit_events`)).rows[0]?.n ?? 0);
    rows.push({ sink: 'verify (postgresql)', writers: '—', recordsPerSecond: await verifyThroughput({ pg: { pool: pgDb.pool, schema: pgDb.schema } }, total), note: `${total} records` });
    await pgDb.drop();
  }
}

async function main(): Promise<void> {
  // A small pool, reused: a large one kept alive would make the garbage collector, not the sink, the bottleneck.
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const pool = bodies(1_000);
  const avgBytes = Math.round(pool.slice(0, 200).reduce((s, b) => s + JSON.stringify(b).length, 0) / 200) + 200;
  const buildUs = createAuditEventMicros();
  const fsync = await fsyncMillis();
  const rows: Row[] = [];

  const fileRows: Row[] = [];
  const naiveRows: Row[] = [];
  const sinks = [
    ...(ONLY.has('file') ? [{ name: 'file (group commit)', make: fileSink(), rows: fileRows }] : []),
    ...(ONLY.has('naive') ? [{ name: 'naive appendFile+fsync', make: naiveSink(), rows: naiveRows }] : []),
  ];
  if (sinks.length > 0) {
    log(`warming up…\n`);
    for (const { make } of sinks) {
      const warm = await make();
      await drive(warm.append, 64, pool);
      await warm.close();
    }
  }
  for (const c of sinks.length > 0 ? CONCURRENCY : []) {
    log(`${sinks.map((k) => k.name).join(' and ')}, ${c} writer(s), runs alternating…\n`);
    const measured = await measure(sinks, c, pool);
    sinks.forEach((k, i) => k.rows.push(measured[i] as Row));
  }
  rows.push(...fileRows, ...naiveRows);

  const pgUrl = ONLY.has('pg') ? await reachablePg() : undefined;
  let pgDb: Awaited<ReturnType<typeof pgSetup>> | undefined;
  if (pgUrl) {
    pgDb = await pgSetup(pgUrl);
    const db = pgDb;
    for (const c of CONCURRENCY) {
      log(`postgresql sink, ${c} writer(s)…\n`);
      const make =
        (schema: string): SinkFactory =>
        async () => {
          const sink = await createPgAuditSink({ pool: db.pool, schema, writerId: `bench-${c}`, checkpoint: { key: signing.privateKeyPem, intervalMs: 1000 } });
          return {
            append: async (b: DecisionAuditBody) => {
              const ack = await sink.append(b);
              if (!ack.durable) throw new Error(ack.reason);
            },
            close: () => sink.close(),
          };
        };
      rows.push(
        ...(await measure(
          [
            { name: 'postgresql (group commit)', make: make(db.schema) },
            { name: 'postgresql, rows of one', make: make(db.rowsSchema) },
            { name: 'naive pg INSERT per record', make: naivePgSink(db, c) },
          ],
          c,
          pool,
          db.dbPids,
        )),
      );
    }
  } else if (ONLY.has('pg')) {
    rows.push({ sink: 'postgresql (group commit)', writers: '—', recordsPerSecond: Number.NaN, note: 'not reachable: set SAFEROUTE_BENCH_PG_URL' });
  }

  if (ONLY.has('verify')) await verifyRows(pool, rows, pgDb);
  else await pgDb?.drop();

  const meta = {
    runs: RUNS,
    secondsPerRun: SECONDS,
    warmupSecondsPerRun: WARMUP_SECONDS,
    recordBytes: avgBytes,
    createAuditEventUs: Number(buildUs.toFixed(1)),
    fsyncMs: { p50: Number(fsync.p50.toFixed(3)), p99: Number(fsync.p99.toFixed(3)) },
    cpus: cpus().length,
    loadavgAtStart: loadAtStart,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
  };
  if (args.json) {
    process.stdout.write(JSON.stringify({ meta, rows }, null, 2) + '\n');
    return;
  }
  const fmt = (n: number | undefined, d = 0) => (n == null || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const lines = [
    `audit benchmark: median of ${RUNS} run(s) of ${SECONDS} s, each on a fresh sink after ${WARMUP_SECONDS} s of load; records ≈ ${avgBytes} B; ${meta.cpus} cpu(s), load ${meta.loadavgAtStart.join(' ')} at start, ${meta.loadavg.join(' ')} at end; node ${meta.node}`,
    `createAuditEvent: ${meta.createAuditEventUs} µs per decision, warmed up (not included below); 4 KiB write + fdatasync on this disk: p50 ${fmt(fsync.p50, 2)} ms, p99 ${fmt(fsync.p99, 2)} ms`,
    '',
    `${'sink'.padEnd(28)}${'writers'.padStart(8)}${'records/s'.padStart(12)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'startup p99'.padStart(13)}${'cpu µs/rec'.padStart(12)}${'db µs/rec'.padStart(11)}  note`,
    ...rows.map(
      (r) =>
        `${r.sink.padEnd(28)}${String(r.writers).padStart(8)}${fmt(r.recordsPerSecond).padStart(12)}${fmt(r.p50Ms, 2).padStart(9)}${fmt(r.p99Ms, 2).padStart(9)}${fmt(r.startupP99Ms, 2).padStart(13)}${fmt(r.cpuUsPerRecord, 1).padStart(12)}${fmt(r.dbCpuUsPerRecord, 1).padStart(11)}  ${r.note ?? ''}`,
    ),
    '',
    'targets: file and PostgreSQL sinks with 256 writers ≥ 20,000 durable records/s and p99 < 10 ms; verify ≥ 100,000 records/s',
  ];
  const file256 = rows.find((r) => r.sink.startsWith('file') && r.writers === 256);
  const verify = rows.filter((r) => r.sink.startsWith('verify (file')).sort((a, b) => b.recordsPerSecond - a.recordsPerSecond)[0];
  // A part left out with --only is said to be not measured, not to miss its target.
  const verdict = (measured: boolean, ok: boolean): string => (!measured ? 'not measured in this run' : ok ? 'meets' : 'MISSES');
  const parts: string[] = [];
  if (file256) {
    parts.push(
      `file 256: ${fmt(file256.recordsPerSecond)} records/s (${verdict(true, file256.recordsPerSecond >= 20_000)}), ` +
        `p99 ${fmt(file256.p99Ms, 2)} ms (${verdict(file256.p99Ms != null, (file256.p99Ms ?? Infinity) < 10)})`,
    );
  } else parts.push(`file 256: ${verdict(false, false)}`);
  const pg256 = rows.find((r) => r.sink.startsWith('postgresql') && r.writers === 256);
  const naivePg256 = rows.find((r) => r.sink.startsWith('naive pg') && r.writers === 256);
  const rowsPg256 = rows.find((r) => r.sink === 'postgresql, rows of one' && r.writers === 256);
  if (pg256 && !Number.isNaN(pg256.recordsPerSecond)) {
    parts.push(
      `postgresql 256: ${fmt(pg256.recordsPerSecond)} records/s (${verdict(true, pg256.recordsPerSecond >= 20_000)}), ` +
        `p99 ${fmt(pg256.p99Ms, 2)} ms (${verdict(pg256.p99Ms != null, (pg256.p99Ms ?? Infinity) < 10)})` +
        (naivePg256 ? `, ${fmt(pg256.recordsPerSecond / naivePg256.recordsPerSecond, 1)}× naive INSERT` : '') +
        (rowsPg256 ? `, ${fmt(pg256.recordsPerSecond / rowsPg256.recordsPerSecond, 2)}× rows of one (p99 ${fmt(rowsPg256.p99Ms, 2)} ms)` : ''),
    );
  } else parts.push(`postgresql 256: ${verdict(false, false)}`);
  parts.push(verify ? `verify ${fmt(verify.recordsPerSecond)} records/s (${verdict(true, verify.recordsPerSecond >= 100_000)})` : `verify: ${verdict(false, false)}`);
  lines.push(parts.join('; '));
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
