import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair, loadAuditSigningKey } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { lineFromBody } from '../../src/audit/audit-record.js';
import { signCheckpoint, checkpointLine, type AuditCheckpoint } from '../../src/audit/audit-checkpoint.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
let base: string;
let cleanupBase: () => Promise<void>;
const scratch: (() => Promise<void>)[] = [];

/** The three segments of writer `w` (epoch 1), each about 10 records. */
async function segments(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'w'))).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, 'w', f));
}

async function copyOfLog(): Promise<string> {
  const { dir, cleanup } = await tempDir('saferoute-tamper-');
  scratch.push(cleanup);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function readLinesOf(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').slice(0, -1);
}

async function writeLinesOf(file: string, lines: string[]): Promise<void> {
  await writeFile(file, lines.map((l) => l + '\n').join(''));
}

function rehash(line: string, mutate: (event: Record<string, unknown>) => void, prev?: string): string {
  const { hash: _h, ...event } = JSON.parse(line) as Record<string, unknown>;
  mutate(event);
  if (prev !== undefined) event['prev'] = prev;
  const body = canonicalJson(event);
  return lineFromBody(body, createHash('sha256').update(body).digest('hex'));
}

function hashOf(line: string): string {
  return (JSON.parse(line) as { hash: string }).hash;
}

async function verify(dir: string, publicKey: string | undefined = keys.publicKeyPem): Promise<AuditVerifyReport> {
  return verifyAuditLog({ dir }, publicKey ? { publicKey } : {});
}

function codes(report: AuditVerifyReport): string[] {
  return report.findings.map((f) => f.code);
}

beforeAll(async () => {
  ({ dir: base, cleanup: cleanupBase } = await tempDir('saferoute-tamper-base-'));
  const sink = await createFileAuditSink({
    dir: base,
    writerId: 'w',
    rotate: { maxBytes: 12_000 },
    groupCommit: { maxBatch: 1 },
    checkpoint: { key: keys.privateKeyPem, intervalMs: 60_000 },
  });
  for (let i = 0; i < 28; i++) await sink.append(sampleBody({ outcome: i % 3 === 0 ? 'block' : 'route' }));
  await sink.close();
});

afterAll(async () => {
  for (const c of scratch) await c();
  await cleanupBase();
});

describe('tamper evidence (file sink)', () => {
  it('the untouched log verifies clean, over several segments', async () => {
    const report = await verify(base);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect((await segments(base)).length).toBeGreaterThanOrEqual(3);
    expect(report.counts).toMatchObject({ records: 30, decisions: 28, writers: 1, epochs: 1, errors: 0, warnings: 0 });
    expect(report.segments.every((s) => s.status === 'valid')).toBe(true);
  });

  it('an edited byte: hash mismatch at exactly that line, nothing else', async () => {
    const dir = await copyOfLog();
    const [first] = await segments(dir);
    const lines = await readLinesOf(first as string);
    lines[4] = (lines[4] as string).replace('"latencyMs":0.42', '"latencyMs":0.43');
    await writeLinesOf(first as string, lines);
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'hash_mismatch', severity: 'error', file: first, line: 5, seq: 4 })]);
    expect(report.findings[0]?.message).toMatch(/line 5 \(seq 4\): hash mismatch/);
    expect(report.segments[0]?.status).toBe('invalid');
    expect(report.segments.slice(1).every((s) => s.status === 'valid')).toBe(true);
  });

  it('a record re-stored in a non-canonical form with a matching hash: --canonical names it', async () => {
    const variants: ((event: Record<string, unknown>) => string)[] = [
      (event) => JSON.stringify(event).replace('"kind":"decision"', '"kind": "decision"'),
      (event) => {
        const { kind, ...rest } = event;
        return JSON.stringify({ kind, ...rest });
      },
      (event) => JSON.stringify(event).replace('"latencyMs":0.42', '"latencyMs":0.420'),
    ];
    expect((await verifyAuditLog({ dir: base }, { publicKey: keys.publicKeyPem, canonical: true })).findings).toEqual([]);
    for (const rewrite of variants) {
      const dir = await copyOfLog();
      const [first] = await segments(dir);
      const lines = await readLinesOf(first as string);
      const { hash: _h, ...event } = JSON.parse(lines[4] as string) as Record<string, unknown>;
      const body = rewrite(event);
      expect(body).not.toBe(canonicalJson(event));
      lines[4] = lineFromBody(body, createHash('sha256').update(body).digest('hex'));
      await writeLinesOf(first as string, lines);
      const plain = await verify(dir);
      expect(codes(plain)).not.toContain('not_canonical');
      expect(codes(plain)).not.toContain('hash_mismatch');
      const strict = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, canonical: true });
      expect(strict.findings.filter((f) => f.code === 'not_canonical')).toEqual([expect.objectContaining({ file: first, line: 5, seq: 4 })]);
      // The rest is the same either way: the next record no longer links to it.
      expect(codes(strict).filter((c) => c !== 'not_canonical')).toEqual(codes(plain));
    }
  });

  it('a deleted line: a sequence gap naming the missing seq', async () => {
    const dir = await copyOfLog();
    const [first] = await segments(dir);
    const lines = await readLinesOf(first as string);
    lines.splice(4, 1);
    await writeLinesOf(first as string, lines);
    const report = await verify(dir);
    expect(codes(report)).toEqual(['seq_gap']);
    expect(report.findings[0]).toMatchObject({ file: first, line: 5, seq: 5 });
    expect(report.findings[0]?.message).toMatch(/expected seq 4, got 5 \(seq 4 is missing; its prev does not link/);
  });

  it('two swapped lines: both out-of-order positions are reported', async () => {
    const dir = await copyOfLog();
    const [first] = await segments(dir);
    const lines = await readLinesOf(first as string);
    [lines[4], lines[5]] = [lines[5] as string, lines[4] as string];
    await writeLinesOf(first as string, lines);
    const report = await verify(dir);
    // The swapped timestamps may also run backwards; that is reported too.
    expect(codes(report).filter((c) => c !== 'ts_decreased')).toEqual(['seq_gap', 'seq_gap']);
    expect(report.findings.filter((f) => f.code === 'seq_gap').map((f) => f.line)).toEqual([5, 6]);
    expect(report.findings[1]?.message).toMatch(/expected seq 6, got 4: a duplicate or a record out of order/);
  });

  it('truncated mid-record: the torn final line, and the signed head that is gone', async () => {
    const dir = await copyOfLog();
    const last = (await segments(dir)).at(-1) as string;
    const text = await readFile(last, 'utf8');
    const lines = text.split('\n').slice(0, -1);
    await truncate(last, text.length - 40);
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'torn_tail', file: last, line: lines.length }),
      expect.objectContaining({ code: 'checkpoint_beyond_log' }),
    ]);
    expect(errors[0]?.message).toMatch(/torn record \(\d+ bytes, no newline\)/);
    expect(errors[1]?.message).toMatch(/signed writer `w` epoch 1 seq 29, which is not in the log .* ends at epoch 1 seq 28/);
    // The writer-stop record went with the tail.
    expect(codes(report)).toContain('epoch_unterminated');
  });

  it('truncated at a record boundary: only the signed checkpoint can tell, and it does', async () => {
    const dir = await copyOfLog();
    const last = (await segments(dir)).at(-1) as string;
    const lines = await readLinesOf(last);
    await writeLinesOf(last, lines.slice(0, -3));
    expect(codes(await verify(dir))).toEqual(['epoch_unterminated', 'checkpoint_beyond_log']);
  });

  it('a whole segment replaced by a re-hashed forgery: the chain checks out, the checkpoint signature does not', async () => {
    const dir = await copyOfLog();
    const files = await segments(dir);
    const middle = files[1] as string;
    const prevLast = (await readLinesOf(files[0] as string)).at(-1) as string;
    // The forger flips every block to a route in the middle segment and re-hashes it and every later record.
    let prev = hashOf(prevLast);
    for (const file of files.slice(1)) {
      const forged = (await readLinesOf(file)).map((line) => {
        const out = rehash(
          line,
          (e) => {
            if (file === middle && e['outcome'] === 'block') {
              e['outcome'] = 'route';
              e['effective'] = { outcome: 'route', target: 'restricted' };
            }
          },
          prev,
        );
        prev = hashOf(out);
        return out;
      });
      await writeLinesOf(file, forged);
    }
    const unsigned = await verifyAuditLog({ dir, checkpointsDir: join(dir, 'no-checkpoints-here') });
    expect(unsigned.counts.errors).toBe(0);
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(new Set(codes(report))).toEqual(new Set(['checkpoint_mismatch']));
    expect(report.findings[0]?.message).toMatch(/signed seq \d+ of epoch 1 with hash .* but the log has .*: the log was rewritten after the checkpoint/);
  });

  it('a missing segment file', async () => {
    const dir = await copyOfLog();
    const files = await segments(dir);
    await rm(files[1] as string);
    const report = await verify(dir);
    expect(codes(report)).toEqual(['missing_segment', 'seq_gap']);
    expect(report.findings[0]?.message).toMatch(/segment 2 is missing from epoch 1 of writer `w` \(the chain stops at seq \d+\)/);
  });

  it('a checkpoint edited, re-hashed, or re-signed with another key', async () => {
    const dir = await copyOfLog();
    const cpFile = join(dir, 'checkpoints', 'w', '000001.jsonl');
    const original = await readLinesOf(cpFile);
    const last = JSON.parse(original.at(-1) as string) as AuditCheckpoint;
    const head = last.heads[0] as AuditCheckpoint['heads'][number];

    await writeLinesOf(cpFile, [...original.slice(0, -1), JSON.stringify({ ...last, heads: [{ ...head, seq: 10 }] })]);
    expect(codes(await verify(dir))).toContain('checkpoint_hash_mismatch');

    const { hash: _h, sig: _s, ...unsigned } = last;
    const forgedKey = generateAuditKeyPair();
    const resigned = signCheckpoint({ ...unsigned, heads: [{ ...head, seq: 10 }], keyId: keys.keyId }, loadAuditSigningKey(forgedKey.privateKeyPem));
    await writeLinesOf(cpFile, [...original.slice(0, -1), checkpointLine(resigned)]);
    const report = await verify(dir);
    // With the last checkpoint rejected, the records it covered are reported as not yet covered.
    expect(codes(report)).toEqual(['checkpoint_bad_signature', 'uncovered_records']);
    expect(report.findings[0]?.message).toMatch(/the signature does not verify with key/);
  });

  it('checked with the wrong public key, or with none', async () => {
    const wrong = await verify(base, generateAuditKeyPair().publicKeyPem);
    expect(wrong.ok).toBe(false);
    expect(new Set(codes(wrong))).toEqual(new Set(['checkpoint_bad_signature', 'no_checkpoints']));
    const none = await verify(base, '');
    expect(none.ok).toBe(true);
    expect(codes(none)).toEqual(['signatures_not_checked']);
  });

  it('a missing epoch between two others', async () => {
    const { dir, cleanup } = await tempDir('saferoute-epochs-');
    scratch.push(cleanup);
    for (let epoch = 1; epoch <= 3; epoch++) {
      const sink = await createFileAuditSink({ dir, writerId: 'e', checkpoint: { key: keys.privateKeyPem } });
      await sink.append(sampleBody());
      await sink.close();
    }
    expect((await verify(dir)).findings).toEqual([]);
    await rm(join(dir, 'e', '000002-000001.jsonl'));
    const report = await verify(dir);
    expect(codes(report)).toEqual(['missing_epoch', 'checkpoint_beyond_log', 'checkpoint_beyond_log']);
    expect(report.findings[0]?.message).toMatch(/epochs 2–2 of writer `e` are missing/);
  });

  it('verifying segments in worker threads gives the same report, clean or tampered', async () => {
    const strip = (r: AuditVerifyReport) => ({ ...r, elapsedMs: 0, workers: 0 });
    const clean = await verifyAuditLog({ dir: base }, { publicKey: keys.publicKeyPem, workers: 2 });
    expect(clean.workers).toBe(2);
    expect(strip(clean)).toEqual(strip(await verifyAuditLog({ dir: base }, { publicKey: keys.publicKeyPem, workers: 1 })));
    const dir = await copyOfLog();
    const files = await segments(dir);
    const lines = await readLinesOf(files[1] as string);
    lines.splice(0, 1);
    await writeLinesOf(files[1] as string, lines);
    const tampered = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, workers: 2 });
    expect(codes(tampered)).toEqual(['seq_gap']);
    expect(tampered.workers).toBe(1);
    expect(strip(tampered)).toEqual(strip(await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, workers: 1 })));
  });

  it('records written after the last checkpoint: an error with a key, a warning for a running writer with `live`', async () => {
    const { dir, cleanup } = await tempDir('saferoute-live-');
    scratch.push(cleanup);
    const sink = await createFileAuditSink({ dir, writerId: 'live', checkpoint: { key: keys.privateKeyPem, intervalMs: 600_000 } });
    for (let i = 0; i < 5; i++) await sink.append(sampleBody());
    const signed = await verify(dir);
    expect(signed.ok).toBe(false);
    expect(signed.findings).toEqual([expect.objectContaining({ code: 'uncovered_records', severity: 'error' })]);
    expect(signed.findings[0]?.message).toMatch(/5 records of writer `live` from epoch 1 seq 1 come after its last checkpoint \(epoch 1 seq 0.*not covered by a signature: anyone who can write the log could have added or changed them \(the writer is running: `--live`/);
    const live = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem, live: true });
    expect(live.ok).toBe(true);
    expect(live.findings).toEqual([expect.objectContaining({ code: 'uncovered_records', severity: 'warning' })]);
    expect(live.findings[0]?.message).toMatch(/are not yet covered by a signature$/);
    await sink.close();
    expect((await verify(dir)).findings).toEqual([]);
  });
});
