/**
 * An attacker who can write the audit log directory, but neither the signing key nor the witness,
 * removes, cuts, reorders, replaces or rolls back what the log holds. Every attack must fail
 * `verify` with the witness; the table also records which ones nothing but a witness can see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog, type VerifyAuditLogOptions } from '../../src/audit/verify-audit-log.js';
import { lineFromBody } from '../../src/audit/audit-record.js';
import { createFileCheckpointWitness } from '../../src/audit/file-checkpoint-witness.js';
import { createPgCheckpointWitness } from '../../src/audit/pg-checkpoint-witness.js';
import { createHttpCheckpointWitness } from '../../src/audit/http-checkpoint-witness.js';
import { createWitnessHttpHandler } from '../../src/audit/witness-http-handler.js';
import type { CheckpointWitness } from '../../src/audit/checkpoint-witness.js';
import type { AuditSink } from '../../src/audit/audit-sink.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import type { AuditFindingCode } from '../../src/audit/audit-finding.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { sampleBody } from '../audit/fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from '../audit/helpers.js';

const keys = generateAuditKeyPair();
let root: string;
let cleanupRoot: () => Promise<void>;
let base: string;
let witnessDir: string;
let snapshot: string;
const scratch: (() => Promise<void>)[] = [];

/** Appends `count` records, then waits until the witness has taken one more checkpoint (a mid-epoch one). */
async function appendAndCheckpoint(sink: AuditSink, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await sink.append(sampleBody({ outcome: i % 3 === 0 ? 'block' : 'route' }));
  const seen = sink.health().checkpoints?.witness?.published ?? 0;
  for (let i = 0; i < 500 && (sink.health().checkpoints?.witness?.published ?? 0) <= seen; i++) await new Promise((r) => setTimeout(r, 10));
}

async function writeEpoch(dir: string, writerId: string, witness: CheckpointWitness): Promise<void> {
  // A long interval, nudged by hand: the checkpoints fall where the test says, not where the timer does.
  const sink = await createFileAuditSink({
    dir,
    writerId,
    rotate: { maxBytes: 6_000 },
    groupCommit: { maxBatch: 1 },
    checkpoint: { key: keys.privateKeyPem, intervalMs: 40, witness },
  });
  await appendAndCheckpoint(sink, 8);
  for (let i = 0; i < 8; i++) await sink.append(sampleBody());
  await sink.close();
}

beforeAll(async () => {
  ({ dir: root, cleanup: cleanupRoot } = await tempDir('saferoute-adversarial-'));
  base = join(root, 'log');
  witnessDir = join(root, 'witness');
  snapshot = join(root, 'snapshot');
  const witness = createFileCheckpointWitness({ dir: witnessDir });
  for (let epoch = 1; epoch <= 3; epoch++) {
    await writeEpoch(base, 'gw', witness);
    if (epoch === 2) await cp(base, snapshot, { recursive: true });
  }
  await writeEpoch(base, 'gw2', witness);
  await witness.close();
}, 60_000);

afterAll(async () => {
  for (const c of scratch) await c();
  await cleanupRoot();
});

// ---- what the attacker sees and touches -------------------------------------------------------

interface Line {
  text: string;
  seq: number;
  hash: string;
}

async function copyOf(dir: string): Promise<string> {
  const { dir: copy, cleanup } = await tempDir('saferoute-attacked-');
  scratch.push(cleanup);
  await cp(dir, copy, { recursive: true });
  return copy;
}

async function segmentsOf(dir: string, writer: string, epoch: number): Promise<string[]> {
  const prefix = String(epoch).padStart(6, '0') + '-';
  return (await readdir(join(dir, writer))).filter((f) => f.startsWith(prefix)).sort().map((f) => join(dir, writer, f));
}

async function linesOf(file: string): Promise<Line[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((text) => {
      const parsed = JSON.parse(text) as { seq: number; hash: string };
      return { text, seq: parsed.seq, hash: parsed.hash };
    });
}

async function writeLines(file: string, lines: string[]): Promise<void> {
  await writeFile(file, lines.map((l) => l + '\n').join(''));
}

function checkpointFile(dir: string, writer: string, epoch: number): string {
  return join(dir, 'checkpoints', writer, `${String(epoch).padStart(6, '0')}.jsonl`);
}

async function checkpointsOf(dir: string, writer: string, epoch: number): Promise<{ text: string; head: number }[]> {
  return (await readFile(checkpointFile(dir, writer, epoch), 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((text) => ({ text, head: (JSON.parse(text) as { heads: { seq: number }[] }).heads[0]?.seq ?? -1 }));
}

/** The first checkpoint of the epoch that signed a decision (not just the writer-start): its head seq. */
async function midEpochCheckpoint(dir: string, writer: string, epoch: number): Promise<{ head: number; kept: string[] }> {
  const cps = await checkpointsOf(dir, writer, epoch);
  const head = cps.find((c) => c.head > 0)?.head as number;
  expect(head).toBeGreaterThan(0);
  expect(head).toBeLessThan(cps[cps.length - 1]?.head as number);
  return { head, kept: cps.filter((c) => c.head <= head).map((c) => c.text) };
}

/** Cuts the epoch back to exactly what one of its earlier checkpoints signed: later records and later checkpoint lines go. */
async function cutBackToCheckpoint(dir: string, writer: string, epoch: number): Promise<number> {
  const { head, kept } = await midEpochCheckpoint(dir, writer, epoch);
  await writeLines(checkpointFile(dir, writer, epoch), kept);
  await keepRecordsUpTo(dir, writer, epoch, head);
  return head;
}

async function keepRecordsUpTo(dir: string, writer: string, epoch: number, lastSeq: number): Promise<void> {
  for (const file of await segmentsOf(dir, writer, epoch)) {
    const lines = await linesOf(file);
    const kept = lines.filter((l) => l.seq <= lastSeq);
    if (kept.length === 0) await rm(file);
    else if (kept.length < lines.length) await writeLines(file, kept.map((l) => l.text));
  }
}

function rehash(text: string, prev: string, mutate: (event: Record<string, unknown>) => void): string {
  const { hash: _h, ...event } = JSON.parse(text) as Record<string, unknown>;
  mutate(event);
  event['prev'] = prev;
  const body = canonicalJson(event);
  return lineFromBody(body, createHash('sha256').update(body).digest('hex'));
}

// ---- verifying --------------------------------------------------------------------------------

async function verifyWith(dir: string, witness: string | undefined, extra: VerifyAuditLogOptions = {}): Promise<AuditVerifyReport> {
  const w = witness ? createFileCheckpointWitness({ dir: witness }) : undefined;
  try {
    return await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, ...(w ? { witness: w } : {}), ...extra });
  } finally {
    await w?.close();
  }
}

function errorsOf(report: AuditVerifyReport): AuditFindingCode[] {
  return report.findings.filter((f) => f.severity === 'error').map((f) => f.code);
}

/** What `verify --key` (no witness) makes of the attack. */
type WithoutWitness = 'looks complete' | 'warns' | 'fails';

interface Attack {
  name: string;
  attack: (dir: string) => Promise<void>;
  /** Error codes verify with the witness must report (at least these). */
  withWitness: AuditFindingCode[];
  /** Several when it depends on where the timer put the checkpoints. */
  withoutWitness: WithoutWitness | WithoutWitness[];
  options?: VerifyAuditLogOptions;
}

const ATTACKS: Attack[] = [
  {
    name: 'the newest epoch deleted whole, its segments and its checkpoint file',
    attack: async (dir) => {
      for (const f of await segmentsOf(dir, 'gw', 3)) await rm(f);
      await rm(checkpointFile(dir, 'gw', 3));
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    withoutWitness: 'looks complete',
  },
  {
    name: 'the newest segment deleted together with the checkpoints that signed it',
    attack: async (dir) => {
      const segs = await segmentsOf(dir, 'gw', 3);
      const last = segs[segs.length - 1] as string;
      const firstGone = ((await linesOf(last))[0] as Line).seq;
      await rm(last);
      const cps = await checkpointsOf(dir, 'gw', 3);
      await writeLines(checkpointFile(dir, 'gw', 3), cps.filter((c) => c.head < firstGone).map((c) => c.text));
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    // Records left after the last checkpoint kept fail it; with none left, the missing writer-stop still shows.
    withoutWitness: ['fails', 'warns'],
  },
  {
    name: 'the newest epoch cut back to one of its own checkpoints, with the later checkpoint lines',
    attack: async (dir) => void (await cutBackToCheckpoint(dir, 'gw', 3)),
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    withoutWitness: 'warns',
  },
  {
    name: 'a whole writer deleted, its directory and its checkpoints',
    attack: async (dir) => {
      await rm(join(dir, 'gw2'), { recursive: true });
      await rm(join(dir, 'checkpoints', 'gw2'), { recursive: true });
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    withoutWitness: 'looks complete',
  },
  {
    name: 'the whole log directory rolled back to an older copy',
    attack: async (dir) => {
      await rm(dir, { recursive: true });
      await cp(snapshot, dir, { recursive: true });
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    withoutWitness: 'looks complete',
  },
  {
    name: 'only the checkpoints rolled back to an older copy',
    attack: async (dir) => {
      await rm(join(dir, 'checkpoints', 'gw'), { recursive: true });
      await cp(join(snapshot, 'checkpoints', 'gw'), join(dir, 'checkpoints', 'gw'), { recursive: true });
    },
    withWitness: ['witness_checkpoint_missing'],
    withoutWitness: 'fails',
  },
  {
    name: 'the tail after a checkpoint re-written with re-hashed records and the later checkpoints dropped',
    attack: async (dir) => {
      const { head: from, kept } = await midEpochCheckpoint(dir, 'gw', 3);
      await writeLines(checkpointFile(dir, 'gw', 3), kept);
      let prev: string | undefined;
      for (const file of await segmentsOf(dir, 'gw', 3)) {
        const out: string[] = [];
        for (const l of await linesOf(file)) {
          if (l.seq <= from) {
            out.push(l.text);
            prev = l.hash;
            continue;
          }
          const forged = rehash(l.text, prev as string, (e) => {
            if (e['kind'] === 'decision') {
              e['outcome'] = 'block';
              e['effective'] = { outcome: 'block' };
            }
          });
          out.push(forged);
          prev = (JSON.parse(forged) as { hash: string }).hash;
        }
        await writeLines(file, out);
      }
    },
    withWitness: ['witness_mismatch', 'witness_checkpoint_missing'],
    withoutWitness: 'fails',
  },
  {
    name: 'the checkpoints directory deleted and the log cut back',
    attack: async (dir) => {
      await cutBackToCheckpoint(dir, 'gw', 3);
      await rm(join(dir, 'checkpoints'), { recursive: true });
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing', 'checkpoints_missing'],
    withoutWitness: 'fails',
  },
  {
    name: 'a lock faked so the writer looks live, the tail torn and its checkpoints dropped (verified with `live`)',
    attack: async (dir) => {
      const head = await cutBackToCheckpoint(dir, 'gw', 3);
      const segs = await segmentsOf(dir, 'gw', 3);
      const last = segs[segs.length - 1] as string;
      // Two more records (unsigned), the second torn, as a writer in the middle of a write.
      const lines = await linesOf(last);
      const original: Line[] = [];
      for (const f of await segmentsOf(base, 'gw', 3)) original.push(...(await linesOf(f)));
      const next = [head + 1, head + 2].map((seq) => original.find((l) => l.seq === seq)?.text as string);
      await writeFile(last, [...lines.map((l) => l.text), ...next].join('\n').slice(0, -20));
      await writeFile(join(dir, 'gw', 'writer.lock'), JSON.stringify({ pid: 1, host: 'another-host', since: new Date().toISOString() }) + '\n');
    },
    withWitness: ['witness_beyond_log', 'witness_checkpoint_missing'],
    withoutWitness: 'warns',
    options: { live: true },
  },
  {
    name: 'the middle epoch deleted with its checkpoints',
    attack: async (dir) => {
      for (const f of await segmentsOf(dir, 'gw', 2)) await rm(f);
      await rm(checkpointFile(dir, 'gw', 2));
    },
    withWitness: ['missing_epoch'],
    withoutWitness: 'fails',
  },
  {
    name: 'two segments of the newest epoch swapped',
    attack: async (dir) => {
      const segs = await segmentsOf(dir, 'gw', 3);
      await rename(segs[0] as string, join(dir, 'swap'));
      await rename(segs[1] as string, segs[0] as string);
      await rename(join(dir, 'swap'), segs[1] as string);
    },
    withWitness: ['seq_gap'],
    withoutWitness: 'fails',
  },
  {
    name: 'an older epoch replayed as the newest (epoch 2 copied over epoch 3)',
    attack: async (dir) => {
      for (const f of await segmentsOf(dir, 'gw', 3)) await rm(f);
      for (const f of await segmentsOf(dir, 'gw', 2)) await cp(f, f.replace(/000002-(\d+)\.jsonl$/, '000003-$1.jsonl'));
      await cp(checkpointFile(dir, 'gw', 2), checkpointFile(dir, 'gw', 3));
    },
    withWitness: ['misplaced_record'],
    withoutWitness: 'fails',
  },
  {
    name: 'unsigned records appended after the last checkpoint',
    attack: async (dir) => {
      const segs = await segmentsOf(dir, 'gw2', 1);
      const last = segs[segs.length - 1] as string;
      const lines = await linesOf(last);
      const tail = lines[lines.length - 1] as Line;
      const extra = rehash(lines[lines.length - 2]?.text as string, tail.hash, (e) => {
        e['seq'] = tail.seq + 1;
        e['decisionId'] = '01900000-0000-7000-8000-000000000000';
      });
      await writeLines(last, [...lines.map((l) => l.text), extra]);
    },
    withWitness: ['uncovered_records'],
    withoutWitness: 'fails',
  },
];

describe('adversarial: an attacker who can write the log directory, not the key or the witness', () => {
  it('the untouched log verifies clean, with the witness and without', async () => {
    const report = await verifyWith(base, witnessDir);
    expect(report.findings).toEqual([]);
    expect(report.witness?.byCheckpointer.map((c) => c.checkpointer)).toEqual(['gw', 'gw2']);
    expect((await verifyWith(base, undefined)).findings).toEqual([]);
    expect((await segmentsOf(base, 'gw', 3)).length).toBeGreaterThanOrEqual(3);
    expect((await checkpointsOf(base, 'gw', 3)).length).toBeGreaterThanOrEqual(3);
  });

  for (const a of ATTACKS) {
    it(`${a.name}: verify with the witness fails (${a.withWitness.join(', ')}); without it, the log ${[a.withoutWitness].flat().join(' or ')}`, async () => {
      const dir = await copyOf(base);
      await a.attack(dir);
      const withWitness = await verifyWith(dir, witnessDir, a.options);
      expect(withWitness.ok).toBe(false);
      expect(errorsOf(withWitness), JSON.stringify(withWitness.findings, null, 1)).toEqual(expect.arrayContaining(a.withWitness));
      const without = await verifyWith(dir, undefined, a.options);
      const seen: WithoutWitness = !without.ok ? 'fails' : without.counts.warnings > 0 ? 'warns' : 'looks complete';
      expect([a.withoutWitness].flat(), JSON.stringify(without.findings, null, 1)).toContain(seen);
    });
  }

  it('verifying in worker threads finds the same', async () => {
    const dir = await copyOf(base);
    for (const f of await segmentsOf(dir, 'gw', 3)) await rm(f);
    await rm(checkpointFile(dir, 'gw', 3));
    const strip = (r: AuditVerifyReport) => ({ ...r, elapsedMs: 0, workers: 0 });
    const threaded = await verifyWith(dir, witnessDir, { workers: 2 });
    expect(threaded.workers).toBe(2);
    expect(strip(threaded)).toEqual(strip(await verifyWith(dir, witnessDir, { workers: 1 })));
    expect(errorsOf(threaded)).toEqual(expect.arrayContaining(['witness_beyond_log', 'witness_checkpoint_missing']));
  });

  it('the findings say what is missing: the witnessed head, and where the log ends', async () => {
    const dir = await copyOf(base);
    for (const f of await segmentsOf(dir, 'gw', 3)) await rm(f);
    await rm(checkpointFile(dir, 'gw', 3));
    const report = await verifyWith(dir, witnessDir);
    const beyond = report.findings.find((f) => f.code === 'witness_beyond_log');
    expect(beyond).toMatchObject({ severity: 'error', writer: 'gw', epoch: 3 });
    expect(beyond?.message).toMatch(/^checkpoint gw\/3#\d+ \(.*\) held by the witness signed writer `gw` epoch 3 seq \d+, which is not in the log \(the log of `gw` ends at epoch 2 seq \d+\): records were removed or the log was cut short$/);
    const missing = report.findings.find((f) => f.code === 'witness_checkpoint_missing');
    expect(missing?.message).toMatch(/holds checkpoint gw\/3#\d+ .*, but the log's checkpoints of `gw` end at 2#\d+: the newest checkpoints were removed/);
  });

  it('the CLI: `verify --key --strict` passes a log missing its newest epoch; `--witness` fails it, and says why', async () => {
    const dir = await copyOf(base);
    for (const f of await segmentsOf(dir, 'gw', 3)) await rm(f);
    await rm(checkpointFile(dir, 'gw', 3));
    const pub = join(root, 'audit.pub.pem');
    await writeFile(pub, keys.publicKeyPem);
    const env = { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };
    const blind = await runCliInProcess(['audit', 'verify', dir, '--key', pub, '--strict'], { env });
    expect(blind.code).toBe(0);
    expect(blind.stdout).toMatch(/^witness: none: a log cut back to one of its checkpoints, or missing its newest epoch or a whole writer together with their checkpoints, would look complete \(give --witness\)$/m);
    const seen = await runCliInProcess(['audit', 'verify', dir, '--key', pub, '--witness', witnessDir], { env });
    expect(seen.code).toBe(1);
    expect(seen.stdout).toMatch(/^witness: .*witness: newest checkpoint gw 3#\d+ \(epoch 3 seq \d+, .*\); gw2 1#\d+/m);
    expect(seen.stdout).toMatch(/^error witness_beyond_log: checkpoint gw\/3#\d+/m);
    expect(seen.stdout).toMatch(/^result: INVALID/m);
  });

  it('a rolled-back log cannot take its witness back with it: its writer does not start', async () => {
    const dir = await copyOf(snapshot);
    const witness = createFileCheckpointWitness({ dir: await copyOf(witnessDir) });
    await expect(createFileAuditSink({ dir, writerId: 'gw', checkpoint: { key: keys.privateKeyPem, witness } })).rejects.toThrow(
      /cannot start: its first checkpoint was not accepted by the witness .*already holds checkpoint gw\/3#\d+, so it refuses gw\/3#0: the log of writer `gw` was rolled back or reset/,
    );
    await witness.close();
  });

  it('a witness inside the log directory is refused by the sink and by verify', async () => {
    const dir = await copyOf(base);
    const inside = createFileCheckpointWitness({ dir: join(dir, 'witness') });
    await expect(createFileAuditSink({ dir, writerId: 'x', checkpoint: { key: keys.privateKeyPem, witness: inside } })).rejects.toThrow(/is inside the audit log directory/);
    await mkdir(join(dir, 'witness'));
    await expect(verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, witness: inside })).rejects.toThrow(/is inside the audit log directory/);
    const viaLink = join(root, 'link-to-log');
    await import('node:fs/promises').then((fs) => fs.symlink(dir, viaLink));
    await expect(verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, witness: createFileCheckpointWitness({ dir: join(viaLink, 'w') }) })).rejects.toThrow(/inside the audit log directory/);
  });
});

describe('adversarial: an HTTP witness another party runs', () => {
  let server: Server;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    const { dir: d, cleanup } = await tempDir('saferoute-http-witness-');
    scratch.push(cleanup);
    dir = d;
    const store = createFileCheckpointWitness({ dir: join(dir, 'held') });
    server = createServer(createWitnessHttpHandler(store));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`;
    const witness = createHttpCheckpointWitness({ url });
    for (let i = 0; i < 2; i++) await writeEpoch(join(dir, 'log'), 'api', witness);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('holds the newest checkpoint, and a log missing its newest epoch fails against it', async () => {
    const witness = createHttpCheckpointWitness({ url });
    const clean = await verifyAuditLog({ dir: join(dir, 'log') }, { publicKey: keys.publicKeyPem, witness });
    expect(clean.findings).toEqual([]);
    expect(clean.witness?.location).toBe(url);
    const attacked = await copyOf(join(dir, 'log'));
    for (const f of await segmentsOf(attacked, 'api', 2)) await rm(f);
    await rm(checkpointFile(attacked, 'api', 2));
    expect(errorsOf(await verifyAuditLog({ dir: attacked }, { publicKey: keys.publicKeyPem, witness }))).toEqual(
      expect.arrayContaining(['witness_beyond_log', 'witness_checkpoint_missing']),
    );
    const cli = await runCliInProcess(['audit', 'verify', attacked, '--witness', url], { env: { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' } });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/error witness_beyond_log/);
  });
});

describe.skipIf(!PG_URL)(`adversarial: the PostgreSQL sink with a PostgreSQL witness${PG_URL ? '' : ` (${PG_SKIP_NOTE})`}`, () => {
  it('deleting the newest epoch rows and their checkpoint rows is caught by the witness table', async () => {
    const db = await pgSchema(PG_URL as string);
    const wdb = await pgSchema(PG_URL as string);
    try {
      const witness = createPgCheckpointWitness({ pool: wdb.pool, schema: wdb.schema, log: 'gateway' });
      for (let epoch = 1; epoch <= 2; epoch++) {
        const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'pg-gw', checkpoint: { key: keys.privateKeyPem, witness } });
        for (let i = 0; i < 5; i++) await sink.append(sampleBody());
        await sink.close();
      }
      const source = { pg: { pool: db.pool, schema: db.schema } };
      expect((await verifyAuditLog(source, { publicKey: keys.publicKeyPem, witness })).findings).toEqual([]);
      await db.pool.query(`DELETE FROM ${db.schema}.saferoute_audit_events WHERE epoch = 2`);
      await db.pool.query(`DELETE FROM ${db.schema}.saferoute_audit_checkpoints WHERE epoch = 2`);
      expect((await verifyAuditLog(source, { publicKey: keys.publicKeyPem })).ok).toBe(true);
      const report = await verifyAuditLog(source, { publicKey: keys.publicKeyPem, witness });
      expect(errorsOf(report)).toEqual(expect.arrayContaining(['witness_beyond_log', 'witness_checkpoint_missing']));
      // The spec string the CLI takes reaches the same table.
      const cli = await runCliInProcess(
        ['audit', 'verify', '--pg', PG_URL as string, '--schema', db.schema, '--witness', `${PG_URL as string}?schema=${wdb.schema}&log=gateway`],
        { env: { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' } },
      );
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/error witness_beyond_log/);
      // The witness table refuses to forget.
      await expect(wdb.pool.query(`DELETE FROM ${wdb.schema}.saferoute_audit_witness`)).rejects.toThrow(/append-only/);
      await expect(wdb.pool.query(`UPDATE ${wdb.schema}.saferoute_audit_witness SET n = n + 100`)).rejects.toThrow(/append-only/);
      await expect(wdb.pool.query(`TRUNCATE ${wdb.schema}.saferoute_audit_witness`)).rejects.toThrow(/append-only/);
    } finally {
      await db.cleanup();
      await wdb.cleanup();
    }
  });
});
