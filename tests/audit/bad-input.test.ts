import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { nodeAuditFs, type AuditFileHandle, type AuditFs } from '../../src/audit/audit-fs.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { AuditConfigError, AuditError } from '../../src/audit/audit-error.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function scratch(): Promise<string> {
  const { dir, cleanup } = await tempDir('saferoute-bad-');
  cleanups.push(cleanup);
  return dir;
}

async function events(dir: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const r of readAuditRecords({ dir })) out.push(r.event);
  return out;
}

/** A small tmpfs (root only); `undefined` where this machine cannot mount one. */
async function mountTmpfs(options: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const dir = await scratch();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  cleanups.push(() => {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  });
  return dir;
}

/** Wraps the segment files' writes: `fail(bytesSoFar, length)` returns how many bytes to write before failing, or undefined to succeed. */
function failingFs(plan: { fail: (written: number, length: number) => number | undefined; code: string; truncateFails?: boolean }): AuditFs & { written: () => number } {
  let written = 0;
  return {
    ...nodeAuditFs,
    written: () => written,
    async open(path, flags, mode) {
      const handle = await nodeAuditFs.open(path, flags, mode);
      if (!/\d+-\d+\.jsonl$/.test(path)) return handle;
      const wrapped: AuditFileHandle = {
        write: async (buffer, offset, length, position) => {
          const cut = plan.fail(written, length);
          if (cut === undefined) {
            const r = await handle.write(buffer, offset, length, position);
            written += r.bytesWritten;
            return r;
          }
          if (cut > 0) await handle.write(buffer, offset, cut, position);
          throw Object.assign(new Error(`${plan.code}: injected failure, write`), { code: plan.code });
        },
        read: (...a) => handle.read(...a),
        datasync: () => handle.datasync(),
        sync: () => handle.sync(),
        truncate: async (n) => {
          if (plan.truncateFails) throw Object.assign(new Error('EIO: injected failure, truncate'), { code: 'EIO' });
          return handle.truncate(n);
        },
        stat: () => handle.stat(),
        close: () => handle.close(),
      };
      return wrapped;
    },
  };
}

const readOnly = await mountTmpfs('ro,size=1m');
const small = await mountTmpfs('size=96k');
const small2 = await mountTmpfs('size=96k');

describe('a read-only log directory', () => {
  it.skipIf(!readOnly)('refuses to start, saying why (a read-only tmpfs)', async () => {
    const err = await createFileAuditSink({ dir: readOnly as string, writerId: 'w' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect((err as AuditError).code).toBe('audit_failed');
    expect((err as AuditError).message).toMatch(/cannot start audit writer `w` in `.*`: EROFS/);
  });

  it('fails closed when the directory turns read-only while running: pending and later appends reject, nothing half-written', async () => {
    const dir = await scratch();
    let readOnlyNow = false;
    const fs = failingFs({ fail: () => (readOnlyNow ? 0 : undefined), code: 'EROFS' });
    const sink = await createFileAuditSink({ dir, writerId: 'w', fs });
    const ok = await sink.append(sampleBody());
    readOnlyNow = true;
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sink.append(sampleBody())));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const reason = (results[0] as PromiseRejectedResult).reason as AuditError;
    expect(reason).toBeInstanceOf(AuditError);
    expect(reason.message).toMatch(/audit writer `w` failed: cannot write to `.*`: EROFS.*every decision is blocked.*fail-closed/);
    await expect(sink.append(sampleBody())).rejects.toThrow(/EROFS/);
    expect(sink.health()).toMatchObject({ status: 'failed', head: { seq: ok.durable ? ok.seq : -1 } });
    await sink.close();
    const report = await verifyAuditLog({ dir });
    expect(report.counts.errors).toBe(0);
    expect(report.counts.records).toBe(2);
  });
});

describe('a full disk', () => {
  it.skipIf(!small)('fail-closed on a real full tmpfs: every acknowledged record is intact, no torn or partial record', async () => {
    const dir = small as string;
    const sink = await createFileAuditSink({ dir, writerId: 'full', groupCommit: { maxBatch: 16 } });
    const acked: string[] = [];
    let failure: unknown;
    for (let round = 0; round < 200 && !failure; round++) {
      const bodies = Array.from({ length: 8 }, () => sampleBody());
      const results = await Promise.allSettled(bodies.map((b) => sink.append(b)));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled' && r.value.durable) acked.push((bodies[i] as { decisionId: string }).decisionId);
        else if (r.status === 'rejected') failure = r.reason;
      });
    }
    expect(failure).toBeInstanceOf(AuditError);
    expect((failure as AuditError).message).toMatch(/ENOSPC/);
    await expect(sink.append(sampleBody())).rejects.toThrow(/ENOSPC/);
    await sink.close();
    const inLog = (await events(dir)).flatMap((e) => (e.kind === 'decision' ? [e.decisionId] : []));
    expect(inLog).toEqual(acked);
    const report = await verifyAuditLog({ dir });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const text = await readFile(join(dir, 'full', '000001-000001.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('fail-closed with a write that fails halfway (ENOSPC): the partial batch is cut back off', async () => {
    const dir = await scratch();
    const fs = failingFs({ fail: (written, length) => (written + length > 6000 ? Math.floor(length / 2) : undefined), code: 'ENOSPC' });
    const sink = await createFileAuditSink({ dir, writerId: 'w', fs });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => sink.append(sampleBody())));
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
    await sink.close();
    const text = await readFile(join(dir, 'w', '000001-000001.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const report = await verifyAuditLog({ dir });
    expect(report.counts.errors).toBe(0);
    expect(report.counts.records).toBe(results.filter((r) => r.status === 'fulfilled').length + 1);
  });

  it('continue mode: decisions carry on unrecorded while the disk is full, and the log says how many were lost', async () => {
    const dir = await scratch();
    let full = false;
    const fs = failingFs({ fail: () => (full ? 0 : undefined), code: 'ENOSPC' });
    const sink = await createFileAuditSink({ dir, writerId: 'w', fs, failurePolicy: 'continue' });
    expect((await sink.append(sampleBody())).durable).toBe(true);
    full = true;
    const lost = await Promise.all(Array.from({ length: 5 }, () => sink.append(sampleBody())));
    expect(lost.every((a) => !a.durable)).toBe(true);
    expect(lost[0]).toMatchObject({ durable: false, reason: expect.stringMatching(/ENOSPC/) });
    expect(sink.health()).toMatchObject({ status: 'degraded', lostRecords: 5 });
    full = false;
    expect(await sink.append(sampleBody())).toMatchObject({ durable: true, seq: 3 });
    await sink.close();
    const kinds = (await events(dir)).map((e) => e.kind);
    expect(kinds).toEqual(['writer-start', 'decision', 'lost', 'decision', 'writer-stop']);
    const lostRecord = (await events(dir)).find((e) => e.kind === 'lost');
    expect(lostRecord).toMatchObject({ count: 5, reason: expect.stringMatching(/ENOSPC/) });
    expect((await verifyAuditLog({ dir })).counts.errors).toBe(0);
  });

  it.skipIf(!small2)('continue mode on a real full tmpfs: once space is freed the chain resumes intact', async () => {
    const dir = join(small2 as string, 'log');
    const filler = join(small2 as string, 'filler.bin');
    const sink = await createFileAuditSink({ dir, writerId: 'c', failurePolicy: 'continue' });
    let lost = 0;
    // Fill the file system, then append until records are lost.
    await writeFile(filler, Buffer.alloc(200 * 1024)).catch(() => undefined);
    for (let i = 0; i < 100 && lost === 0; i++) if (!(await sink.append(sampleBody())).durable) lost++;
    expect(lost).toBe(1);
    await writeFile(filler, '');
    expect(await sink.append(sampleBody())).toMatchObject({ durable: true });
    await sink.close();
    const report = await verifyAuditLog({ dir });
    expect(report.counts.errors).toBe(0);
    expect((await events(dir)).some((e) => e.kind === 'lost')).toBe(true);
  });

  it('a failed write that cannot be undone: the next records go to a new segment and the chain is unbroken', async () => {
    const dir = await scratch();
    let broken = false;
    const fs = failingFs({ fail: (_w, length) => (broken ? Math.floor(length / 2) : undefined), code: 'EIO', truncateFails: true });
    const sink = await createFileAuditSink({ dir, writerId: 'w', fs, failurePolicy: 'continue' });
    await sink.append(sampleBody());
    broken = true;
    expect((await sink.append(sampleBody())).durable).toBe(false);
    broken = false;
    expect((await sink.append(sampleBody())).durable).toBe(true);
    await sink.close();
    expect((await readdir(join(dir, 'w'))).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(['000001-000001.jsonl', '000001-000002.jsonl']);
    const report = await verifyAuditLog({ dir });
    // The fragment left in segment 1 is reported; segment 2 continues the chain without a gap.
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['torn_tail']);
    expect(report.findings.find((f) => f.code === 'torn_tail')).toMatchObject({ segment: 1, line: 3 });
    expect(report.segments[1]).toMatchObject({ status: 'valid', firstSeq: 2 });
  });
});

describe('checkpoints and keys', () => {
  it('a missing or unusable signing key is a configuration error at start', async () => {
    const dir = await scratch();
    await expect(createFileAuditSink({ dir, checkpoint: { key: undefined as never } })).rejects.toThrow(AuditConfigError);
    await expect(createFileAuditSink({ dir, checkpoint: { key: undefined as never } })).rejects.toThrow(/need a signing `key`.*audit keygen/);
    await expect(createFileAuditSink({ dir, checkpoint: { key: keys.publicKeyPem } })).rejects.toThrow(/Ed25519 private key/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a corrupt checkpoint file: the writer carries on, chaining to the last intact checkpoint, and verify names the bad line', async () => {
    const dir = await scratch();
    const first = await createFileAuditSink({ dir, writerId: 'w', checkpoint: { key: keys.privateKeyPem } });
    await first.append(sampleBody());
    await first.close();
    const cpFile = join(dir, 'checkpoints', 'w', '000001.jsonl');
    const lines = (await readFile(cpFile, 'utf8')).split('\n').slice(0, -1);
    expect(lines.length).toBe(2);
    await writeFile(cpFile, `${lines[0]}\n{"v":1,"kind":"checkpoint", garbage\n`);
    const second = await createFileAuditSink({ dir, writerId: 'w', checkpoint: { key: keys.privateKeyPem } });
    await second.append(sampleBody());
    await second.close();
    const report = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    expect(report.findings.map((f) => f.code)).toEqual(['checkpoint_malformed']);
    expect(report.findings[0]).toMatchObject({ file: cpFile, line: 2, checkpointer: 'w' });
  });

  it('a checkpoint file left unwritable does not fail decisions; health says so', async () => {
    const dir = await scratch();
    await mkdir(join(dir, 'checkpoints', 'w'), { recursive: true });
    // A directory where the checkpoint file should be: every checkpoint write fails.
    await mkdir(join(dir, 'checkpoints', 'w', '000001.jsonl'));
    const errors: unknown[] = [];
    const sink = await createFileAuditSink({ dir, writerId: 'w', checkpoint: { key: keys.privateKeyPem }, onError: (e) => errors.push(e) });
    expect((await sink.append(sampleBody())).durable).toBe(true);
    expect(sink.health()).toMatchObject({ status: 'degraded', checkpoints: { written: 0, lastError: expect.stringMatching(/EISDIR/) } });
    expect(errors.length).toBeGreaterThan(0);
    await sink.close();
  });
});

describe('a clock that goes backwards', () => {
  it('holds timestamps at the last one, records the skew, across a restart too, and the log verifies', async () => {
    const dir = await scratch();
    let now = Date.parse('2025-06-01T12:00:00.000Z');
    const clock = () => now;
    const sink = await createFileAuditSink({ dir, writerId: 'w', clock, checkpoint: { key: keys.privateKeyPem } });
    await sink.append(sampleBody());
    now -= 60_000;
    await sink.append(sampleBody());
    await sink.close();
    now -= 3_600_000;
    const again = await createFileAuditSink({ dir, writerId: 'w', clock, checkpoint: { key: keys.privateKeyPem } });
    await again.append(sampleBody());
    await again.close();
    const all = await events(dir);
    const ts = all.map((e) => Date.parse(e.ts));
    expect(ts.every((t, i) => i === 0 || t >= (ts[i - 1] as number))).toBe(true);
    expect(all[2]).toMatchObject({ kind: 'decision', ts: '2025-06-01T12:00:00.000Z', clockSkewMs: 60_000 });
    const restart = all.find((e) => e.kind === 'writer-start' && e.epoch === 2);
    expect(restart).toMatchObject({ ts: '2025-06-01T12:00:00.000Z', clockSkewMs: 3_660_000 });
    const report = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    expect(report.findings).toEqual([]);
  });
});
