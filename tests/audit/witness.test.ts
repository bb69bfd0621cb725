import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, appendFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair, loadAuditSigningKey, loadAuditVerifyKey } from '../../src/audit/audit-signing-keys.js';
import { signCheckpoint, type AuditCheckpoint } from '../../src/audit/audit-checkpoint.js';
import { createFileCheckpointWitness } from '../../src/audit/file-checkpoint-witness.js';
import { createPgCheckpointWitness } from '../../src/audit/pg-checkpoint-witness.js';
import { createHttpCheckpointWitness } from '../../src/audit/http-checkpoint-witness.js';
import { createWitnessHttpHandler } from '../../src/audit/witness-http-handler.js';
import { openCheckpointWitness } from '../../src/audit/open-checkpoint-witness.js';
import type { CheckpointWitness } from '../../src/audit/checkpoint-witness.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { AuditError } from '../../src/audit/audit-error.js';
import { GENESIS_HASH } from '../../src/audit/audit-event.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const signingKey = loadAuditSigningKey(keys.privateKeyPem);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function scratch(): Promise<string> {
  const { dir, cleanup } = await tempDir('saferoute-witness-');
  cleanups.push(cleanup);
  return dir;
}

/** A chain of signed checkpoints of one checkpointer, as a writer would publish them. */
function checkpoints(checkpointer: string, epoch: number, count: number, key = signingKey): AuditCheckpoint[] {
  const out: AuditCheckpoint[] = [];
  let prev = GENESIS_HASH;
  for (let n = 0; n < count; n++) {
    const cp = signCheckpoint(
      { v: 1, kind: 'checkpoint', checkpointer, epoch, n, ts: new Date(Date.UTC(2025, 5, 1, 0, n)).toISOString(), heads: [{ writer: checkpointer, epoch, seq: n * 10, hash: 'a'.repeat(64), ts: '2025-06-01T00:00:00.000Z' }], prev, keyId: keys.keyId },
      key,
    );
    out.push(cp);
    prev = cp.hash;
  }
  return out;
}

/** Wraps a witness so a test can make it fail on demand. */
function unreliable(inner: CheckpointWitness): CheckpointWitness & { failing: boolean; attempts: number } {
  const w = {
    failing: false,
    attempts: 0,
    kind: inner.kind,
    location: inner.location,
    ...(inner.path !== undefined ? { path: inner.path } : {}),
    async publish(cp: AuditCheckpoint) {
      w.attempts++;
      if (w.failing) throw Object.assign(new Error('ECONNREFUSED: injected'), { code: 'ECONNREFUSED' });
      return inner.publish(cp);
    },
    latest: () => inner.latest(),
    close: () => inner.close(),
  };
  return w;
}

/** The contract every witness keeps. */
function witnessContract(name: string, make: () => Promise<{ witness: CheckpointWitness; reopen: () => CheckpointWitness }>): void {
  describe(`checkpoint witness contract: ${name}`, () => {
    it('holds what was published, durably, and answers the newest per checkpointer', async () => {
      const { witness, reopen } = await make();
      expect(await witness.latest()).toEqual([]);
      const a = checkpoints('gw-a', 1, 3);
      const a2 = checkpoints('gw-a', 2, 2);
      const b = checkpoints('gw-b', 1, 1);
      for (const cp of [...a, ...b, ...a2]) await witness.publish(cp);
      await witness.close();
      const again = reopen();
      const latest = await again.latest();
      expect(latest).toEqual([a2[1], b[0]]);
      // Publishing the same checkpoint again (a retry after a lost answer) is harmless.
      await again.publish(a2[1] as AuditCheckpoint);
      expect(await again.latest()).toEqual([a2[1], b[0]]);
      // It only moves forward: an older checkpoint, or another one under a held number, is refused
      // (a rolled-back log restarting epoch 2, or a second log using the same writer id).
      await expect(again.publish(a[2] as AuditCheckpoint)).rejects.toThrow(/already holds checkpoint gw-a\/2#1, so it refuses gw-a\/1#2: the log of writer `gw-a` was rolled back or reset/);
      const { hash: _h, sig: _s, ...held } = a2[1] as AuditCheckpoint;
      await expect(again.publish(signCheckpoint({ ...held, ts: '2030-01-01T00:00:00.000Z' }, signingKey))).rejects.toThrow(/another one under that number/);
      expect(await again.latest()).toEqual([a2[1], b[0]]);
      await again.close();
    });
  });
}

witnessContract('directory', async () => {
  const dir = join(await scratch(), 'witness');
  return { witness: createFileCheckpointWitness({ dir }), reopen: () => createFileCheckpointWitness({ dir }) };
});

describe('the HTTP witness and its server side', () => {
  let server: Server | undefined;
  const serve = async (handler: ReturnType<typeof createWitnessHttpHandler>): Promise<string> => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cp`;
  };
  afterAll(async () => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  witnessContract('HTTP (loopback server over a directory)', async () => {
    const held = createFileCheckpointWitness({ dir: join(await scratch(), 'held') });
    const url = await serve(createWitnessHttpHandler(held));
    return { witness: createHttpCheckpointWitness({ url }), reopen: () => createHttpCheckpointWitness({ url }) };
  });

  it('refuses an older checkpoint, another one under the same number, an unsigned one, and a missing token', async () => {
    const held = createFileCheckpointWitness({ dir: join(await scratch(), 'held') });
    const handler = createWitnessHttpHandler(held, { keys: [loadAuditVerifyKey(keys.publicKeyPem)], token: 'sekret' });
    const s = createServer(handler);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
    try {
      const witness = createHttpCheckpointWitness({ url, headers: { authorization: 'Bearer sekret' } });
      const [c0, c1, c2] = checkpoints('gw', 1, 3) as [AuditCheckpoint, AuditCheckpoint, AuditCheckpoint];
      await witness.publish(c2);
      await expect(witness.publish(c1)).rejects.toThrow(/HTTP 409 .*already holds checkpoint gw\/1#2, so it refuses gw\/1#1: the log of writer `gw` was rolled back or reset/);
      await witness.publish(c2);
      const other = checkpoints('gw', 1, 3, loadAuditSigningKey(generateAuditKeyPair().privateKeyPem))[2] as AuditCheckpoint;
      await expect(witness.publish(other)).rejects.toThrow(/HTTP 403 .*not signed by an accepted key/);
      await expect(createHttpCheckpointWitness({ url }).publish(c0)).rejects.toThrow(/HTTP 401/);
      const forged = { ...c2, heads: [] };
      await expect(witness.publish(forged)).rejects.toThrow(/HTTP 400 .*not an intact checkpoint/);
      expect(await createHttpCheckpointWitness({ url }).latest()).toEqual([c2]);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('an unreachable witness is an AuditError naming it', async () => {
    const witness = createHttpCheckpointWitness({ url: 'http://127.0.0.1:9/nothing-listens-here', timeoutMs: 2000 });
    await expect(witness.latest()).rejects.toThrow(AuditError);
    await expect(witness.publish(checkpoints('gw', 1, 1)[0] as AuditCheckpoint)).rejects.toThrow(/the checkpoint witness `http:\/\/127.0.0.1:9\/nothing-listens-here` cannot be reached/);
  });

  it('credentials in the URL become basic auth and are masked in messages', async () => {
    let seen: string | undefined;
    const s = createServer((req, res) => {
      seen = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"checkpoints":[]}');
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      const witness = openCheckpointWitness(`http://auditor:p%40ss@127.0.0.1:${(s.address() as AddressInfo).port}/w`);
      expect(witness.location).toMatch(/^http:\/\/auditor:\*\*\*@127\.0\.0\.1:\d+\/w$/);
      expect(await witness.latest()).toEqual([]);
      expect(seen).toBe(`Basic ${Buffer.from('auditor:p@ss').toString('base64')}`);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});

if (PG_URL) {
  witnessContract('PostgreSQL', async () => {
    const db = await pgSchema(PG_URL as string);
    cleanups.push(db.cleanup);
    return {
      witness: createPgCheckpointWitness({ pool: db.pool, schema: db.schema }),
      reopen: () => createPgCheckpointWitness({ pool: db.pool, schema: db.schema }),
    };
  });
}

describe.skipIf(!PG_URL)(`checkpoint witness: PostgreSQL${PG_URL ? '' : ` (${PG_SKIP_NOTE})`}`, () => {
  it('holds what was published, per log, and refuses another checkpoint under a held number', async () => {
    const db = await pgSchema(PG_URL as string);
    try {
      const witness = createPgCheckpointWitness({ pool: db.pool, schema: db.schema, log: 'one' });
      const other = createPgCheckpointWitness({ pool: db.pool, schema: db.schema, log: 'two' });
      const a = checkpoints('gw-a', 1, 3);
      for (const cp of a) await witness.publish(cp);
      await witness.publish(a[2] as AuditCheckpoint);
      expect(await witness.latest()).toEqual([a[2]]);
      expect(await other.latest()).toEqual([]);
      const { hash: _h, sig: _s, ...held } = a[2] as AuditCheckpoint;
      const conflicting = signCheckpoint({ ...held, ts: '2025-06-02T00:00:00.000Z' }, signingKey);
      await expect(witness.publish(conflicting)).rejects.toThrow(/already holds checkpoint gw-a\/1#2, another one under that number/);
      const viaSpec = openCheckpointWitness(`${PG_URL as string}?schema=${db.schema}&log=one`);
      expect(await viaSpec.latest()).toEqual([a[2]]);
      expect(viaSpec.location).toContain('log `one`');
      await viaSpec.close();
    } finally {
      await db.cleanup();
    }
  });
});

describe('a sink publishing to a witness', () => {
  it('publishes every checkpoint, from the first to the one at close', async () => {
    const dir = await scratch();
    const witness = unreliable(createFileCheckpointWitness({ dir: join(dir, 'witness') }));
    const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'w', checkpoint: { key: keys.privateKeyPem, intervalMs: 60_000, witness } });
    await sink.append(sampleBody());
    await sink.close();
    expect(witness.attempts).toBe(2);
    const held = (await readFile(join(dir, 'witness', 'w.jsonl'), 'utf8')).trim().split('\n');
    const inLog = (await readFile(join(dir, 'log', 'checkpoints', 'w', '000001.jsonl'), 'utf8')).trim().split('\n');
    expect(held).toEqual(inLog);
    expect(sink.health().checkpoints?.witness).toMatchObject({ published: 2, location: join(dir, 'witness') });
  });

  it('does not start when the witness refuses the first checkpoint', async () => {
    const dir = await scratch();
    const witness = unreliable(createFileCheckpointWitness({ dir: join(dir, 'witness') }));
    witness.failing = true;
    await expect(createFileAuditSink({ dir: join(dir, 'log'), writerId: 'w', checkpoint: { key: keys.privateKeyPem, witness } })).rejects.toThrow(
      /audit writer `w` cannot start: its first checkpoint was not accepted by the witness `.*witness`: ECONNREFUSED: injected/,
    );
    // The writer's lock was released: it can start once the witness is back.
    witness.failing = false;
    const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'w', checkpoint: { key: keys.privateKeyPem, witness } });
    await sink.close();
  });

  it('a witness failing while running: the sink is degraded and says so, retries with the next checkpoint, and fails closed past the allowed lag', async () => {
    const dir = await scratch();
    const witness = unreliable(createFileCheckpointWitness({ dir: join(dir, 'witness') }));
    const errors: unknown[] = [];
    const sink = await createFileAuditSink({
      dir: join(dir, 'log'),
      writerId: 'w',
      checkpoint: { key: keys.privateKeyPem, intervalMs: 20, witness, witnessMaxLagMs: 1500 },
      onError: (err) => errors.push(err),
    });
    await sink.append(sampleBody());
    witness.failing = true;
    for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sink.health()).toMatchObject({ status: 'degraded', checkpoints: { witness: { lastError: expect.stringMatching(/ECONNREFUSED/) } } });
    expect(String(errors[0])).toMatch(/checkpoint w\/1#\d+ was not accepted by the witness/);
    // Within the allowed lag, records are still written.
    expect((await sink.append(sampleBody())).durable).toBe(true);
    for (let i = 0; i < 600 && sink.health().status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sink.health()).toMatchObject({ status: 'failed', failure: expect.stringMatching(/has accepted no checkpoint of audit writer `w` for \d+ s/) });
    await expect(sink.append(sampleBody())).rejects.toThrow(AuditError);
    witness.failing = false;
    for (let i = 0; i < 600 && sink.health().status !== 'ok'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sink.health().status).toBe('ok');
    expect((await sink.append(sampleBody())).durable).toBe(true);
    await sink.close();
    const report = await verifyAuditLog({ dir: join(dir, 'log') }, { publicKey: keys.publicKeyPem, witness });
    expect(report.findings).toEqual([]);
  });

  it('a `continue` sink keeps writing while the witness is down; closing reports the last checkpoint it refused', async () => {
    const dir = await scratch();
    const witness = unreliable(createFileCheckpointWitness({ dir: join(dir, 'witness') }));
    const sink = await createFileAuditSink({
      dir: join(dir, 'log'),
      writerId: 'w',
      failurePolicy: 'continue',
      checkpoint: { key: keys.privateKeyPem, intervalMs: 20, witness, witnessMaxLagMs: 50 },
      onError: () => undefined,
    });
    witness.failing = true;
    await new Promise((r) => setTimeout(r, 150));
    expect((await sink.append(sampleBody())).durable).toBe(true);
    expect(sink.health().status).toBe('degraded');
    await expect(sink.close()).rejects.toThrow(/the last checkpoint of audit writer `w` \(1#\d+\) was not accepted by the witness .*: ECONNREFUSED: injected; the end of this epoch is not anchored outside the log/);
    expect(sink.health().status).toBe('closed');
    // What the witness missed shows in verify: the log goes on after the newest witnessed checkpoint.
    const report = await verifyAuditLog({ dir: join(dir, 'log') }, { publicKey: keys.publicKeyPem, witness });
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.code)).toEqual(['witness_behind']);
  });
});

describe('verify against a witness', () => {
  it('a witness holding nothing, a writer it never saw, and a checkpoint signed by another key', async () => {
    const dir = await scratch();
    const log = join(dir, 'log');
    const sink = await createFileAuditSink({ dir: log, writerId: 'seen', checkpoint: { key: keys.privateKeyPem, witness: createFileCheckpointWitness({ dir: join(dir, 'w') }) } });
    await sink.close();
    const unseen = await createFileAuditSink({ dir: log, writerId: 'unseen', checkpoint: { key: keys.privateKeyPem } });
    await unseen.close();
    const empty = await verifyAuditLog({ dir: log }, { publicKey: keys.publicKeyPem, witness: createFileCheckpointWitness({ dir: join(dir, 'typo') }) });
    expect(empty.findings.map((f) => [f.severity, f.code])).toEqual([['error', 'witness_empty']]);
    expect(empty.findings[0]?.message).toMatch(/holds no valid checkpoint, but the log has 2 writers: a wrong location/);
    const partial = await verifyAuditLog({ dir: log }, { publicKey: keys.publicKeyPem, witness: createFileCheckpointWitness({ dir: join(dir, 'w') }) });
    expect(partial.ok).toBe(true);
    expect(partial.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'witness_missing_writer', writer: 'unseen' })]);
    // A witnessed checkpoint the key does not verify is not evidence of anything.
    const foreign = checkpoints('seen', 9, 1, loadAuditSigningKey(generateAuditKeyPair().privateKeyPem))[0] as AuditCheckpoint;
    await appendFile(join(dir, 'w', 'seen.jsonl'), JSON.stringify(foreign) + '\n');
    const bad = await verifyAuditLog({ dir: log }, { publicKey: keys.publicKeyPem, witness: createFileCheckpointWitness({ dir: join(dir, 'w') }) });
    expect(bad.findings.map((f) => f.code)).toContain('witness_checkpoint_invalid');
    expect(bad.ok).toBe(false);
  });

  it('a torn last line in a witness file is skipped, and the next checkpoint starts a line of its own', async () => {
    const dir = join(await scratch(), 'w');
    const witness = createFileCheckpointWitness({ dir });
    const [c0, c1, c2] = checkpoints('gw', 1, 3) as [AuditCheckpoint, AuditCheckpoint, AuditCheckpoint];
    await witness.publish(c0);
    await witness.close();
    await appendFile(join(dir, 'gw.jsonl'), JSON.stringify(c1).slice(0, 50));
    expect(await createFileCheckpointWitness({ dir }).latest()).toEqual([c0]);
    const again = createFileCheckpointWitness({ dir });
    await again.publish(c2);
    await again.close();
    expect(await createFileCheckpointWitness({ dir }).latest()).toEqual([c2]);
    const lines = (await readFile(join(dir, 'gw.jsonl'), 'utf8')).split('\n');
    expect(lines.length).toBe(4);
    await writeFile(join(dir, 'gw.jsonl'), '');
  });
});
