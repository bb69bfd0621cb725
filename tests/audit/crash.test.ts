import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const child = fileURLToPath(new URL('./crash-writer-child.ts', import.meta.url));
const keys = generateAuditKeyPair();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** Runs the child writer and SIGKILLs it once `until` says so; resolves with every id it acknowledged. */
function runAndKill(dir: string, mode: 'load' | 'torn', until: (acks: number, line: string) => boolean): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, mode, keys.privateKeyPem], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (!killed && until(acked.length, line)) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.on('error', reject);
    // 'close' comes after the exit and after the pipe is drained: acks printed before the kill are all read.
    proc.on('close', (_code, signal) => {
      clearTimeout(guard);
      for (const line of buffer.split('\n')) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (!killed) reject(new Error(`the writer exited on its own: ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

async function decisionIds(dir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const { event } of readAuditRecords({ dir })) if (event.kind === 'decision') ids.add(event.decisionId);
  return ids;
}

describe('crash: a writer killed with SIGKILL', () => {
  it('under load: every acknowledged decision is in the log, and a restart chains on from the last intact record', async () => {
    const { dir, cleanup } = await tempDir('saferoute-crash-');
    cleanups.push(cleanup);
    const { acked, signal } = await runAndKill(dir, 'load', (n) => n >= 1500);
    expect(signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(1500);
    const inLog = await decisionIds(dir);
    const missing = acked.filter((id) => !inLog.has(id));
    expect(missing).toEqual([]);

    const report = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    // A kill can land between two writes (no torn line) or in the middle of one (a torn tail).
    // The records after the last checkpoint are signed by nothing until the writer restarts.
    const errors = report.findings.filter((f) => f.severity === 'error' && f.code !== 'uncovered_records');
    expect(errors.every((f) => f.code === 'torn_tail')).toBe(true);
    const segments = (await readdir(join(dir, 'crash'))).filter((f) => f.endsWith('.jsonl')).sort();
    for (const torn of errors) {
      expect(torn.file).toBe(join(dir, 'crash', segments.at(-1) as string));
      expect(torn.line).toBe(report.segments.at(-1)?.records);
    }

    const restarted = await createFileAuditSink({ dir, writerId: 'crash', checkpoint: { key: keys.privateKeyPem } });
    await restarted.append(sampleBody());
    await restarted.close();
    const after = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    // The restarted epoch links to the crashed one's last intact record, so its checkpoints cover that tail.
    expect(after.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(errors.map((f) => f.code));
    expect(after.counts.epochs).toBe(2);
    let start2: unknown;
    for await (const r of readAuditRecords({ dir })) if (r.event.kind === 'writer-start' && r.event.epoch === 2) start2 = r.event;
    expect(start2).toMatchObject({ previous: { epoch: 1, ...(errors.length > 0 ? { tornTail: true } : {}) } });
    expect((await stat(join(dir, 'crash', '000002-000001.jsonl'))).size).toBeGreaterThan(0);
  });

  it('killed in the middle of a write: verify names the torn line precisely and every acknowledged record is intact', async () => {
    const { dir, cleanup } = await tempDir('saferoute-torn-');
    cleanups.push(cleanup);
    const { acked } = await runAndKill(dir, 'torn', (_n, line) => line === 'torn-ready');
    expect(acked.length).toBe(50);
    const inLog = await decisionIds(dir);
    expect(acked.filter((id) => !inLog.has(id))).toEqual([]);
    const report = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    const file = join(dir, 'crash', '000001-000001.jsonl');
    const text = await readFile(file, 'utf8');
    const complete = text.split('\n').length - 1;
    const partial = Buffer.byteLength(text.slice(text.lastIndexOf('\n') + 1));
    expect(complete).toBeGreaterThanOrEqual(51);
    expect(partial).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'torn_tail', file, line: complete + 1, writer: 'crash', epoch: 1, segment: 1 }),
      expect.objectContaining({ code: 'uncovered_records', writer: 'crash', epoch: 1 }),
    ]);
    expect(report.findings[0]?.message).toBe(
      `line ${complete + 1} is a torn record (${partial} bytes, no newline): an incomplete write, most likely a crash; no acknowledged record can be in it`,
    );
    expect(report.segments[0]).toMatchObject({ status: 'invalid', firstSeq: 0, lastSeq: complete - 1, records: complete + 1 });
  });
});
