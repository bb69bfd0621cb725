import { afterAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import type { AuditFs } from '../../src/audit/audit-fs.js';
import { nodeAuditFs } from '../../src/audit/audit-fs.js';
import { join } from 'node:path';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { queryAuditLog } from '../../src/audit/query-audit-log.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const keys = generateAuditKeyPair();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function scratch(): Promise<string> {
  const { dir, cleanup } = await tempDir('saferoute-rot-');
  cleanups.push(cleanup);
  return dir;
}

const T0 = Date.parse('2025-06-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** One writer, a record every 10 minutes for 6 hours, rotating every hour. */
async function hourlyLog(dir: string, writerId = 'w', offsetMs = 0): Promise<void> {
  let now = T0 + offsetMs;
  const sink = await createFileAuditSink({ dir, writerId, clock: () => now, rotate: { maxAgeMs: HOUR }, checkpoint: { key: keys.privateKeyPem } });
  for (let i = 0; i < 36; i++) {
    now += 10 * 60_000;
    await sink.append(sampleBody({ outcome: i % 2 ? 'block' : 'route' }));
  }
  await sink.close();
}

describe('rotation', () => {
  it('rotates by age; the chain runs on across segments', async () => {
    const dir = await scratch();
    await hourlyLog(dir);
    const files = (await readdir(join(dir, 'w'))).filter((f) => f.endsWith('.jsonl'));
    // Opened at T0; a record at 60 minutes is past maxAgeMs and starts the next segment.
    expect(files.length).toBe(7);
    const report = await verifyAuditLog({ dir }, { publicKey: keys.publicKeyPem });
    expect(report.findings).toEqual([]);
    expect(report.segments.map((s) => [s.firstSeq, s.lastSeq])).toEqual([
      [0, 5],
      [6, 11],
      [12, 17],
      [18, 23],
      [24, 29],
      [30, 35],
      [36, 37],
    ]);
    expect(report.segments.map((s) => s.firstTs?.slice(11, 16))).toEqual(['00:00', '01:00', '02:00', '03:00', '04:00', '05:00', '06:00']);
  });

  it('rotates by size, never splitting a record', async () => {
    const dir = await scratch();
    const sink = await createFileAuditSink({ dir, writerId: 's', rotate: { maxBytes: 5000 }, groupCommit: { maxBatch: 1 } });
    for (let i = 0; i < 20; i++) await sink.append(sampleBody());
    await sink.close();
    const report = await verifyAuditLog({ dir });
    expect(report.counts.errors).toBe(0);
    expect(report.segments.length).toBeGreaterThanOrEqual(5);
    expect(report.segments.reduce((n, s) => n + s.records, 0)).toBe(22);
  });
});

/**
 * The node file system, watched: how many lines each file holds durably (written before a
 * datasync that has completed started), and whether a file was ever closed while a datasync on
 * it still ran.
 */
function watchedFs(): { fs: AuditFs; durableLines: () => number; closedWhileSyncing: () => number } {
  const files: { written: number; durable: number; syncing: number }[] = [];
  let closedWhileSyncing = 0;
  const fs: AuditFs = {
    ...nodeAuditFs,
    async open(path, flags, mode) {
      const handle = await nodeAuditFs.open(path, flags, mode);
      const file = { written: 0, durable: 0, syncing: 0 };
      files.push(file);
      return {
        async write(buffer, offset, length, position) {
          const result = await handle.write(buffer, offset, length, position);
          for (let i = offset; i < offset + result.bytesWritten; i++) if (buffer[i] === 0x0a) file.written++;
          return result;
        },
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        async datasync() {
          const covers = file.written;
          file.syncing++;
          try {
            await handle.datasync();
            file.durable = Math.max(file.durable, covers);
          } finally {
            file.syncing--;
          }
        },
        sync: () => handle.sync(),
        truncate: (length) => handle.truncate(length),
        stat: () => handle.stat(),
        async close() {
          if (file.syncing > 0) closedWhileSyncing++;
          await handle.close();
        },
      };
    },
  };
  return { fs, durableLines: () => files.reduce((n, f) => n + f.durable, 0), closedWhileSyncing: () => closedWhileSyncing };
}

describe('group commit under load', () => {
  it('acknowledges a record only once a datasync covers it, across rotations, with syncs overlapping', async () => {
    const dir = await scratch();
    const watched = watchedFs();
    const sink = await createFileAuditSink({ dir, writerId: 'load', fs: watched.fs, rotate: { maxBytes: 60_000 } });
    let early = 0;
    let acked = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        for (let i = 0; i < 10; i++) {
          const ack = await sink.append(sampleBody());
          // Lines durable so far, writer-start included, must reach this record's line.
          if (!ack.durable || watched.durableLines() < ack.seq + 1) early++;
          acked++;
        }
      }),
    );
    await sink.close();
    expect(acked).toBe(2000);
    expect(early).toBe(0);
    expect(watched.closedWhileSyncing()).toBe(0);
    const report = await verifyAuditLog({ dir });
    expect(report.counts.errors).toBe(0);
    expect(report.segments.length).toBeGreaterThan(10);
    expect(report.counts.records).toBe(2002);
  });
});

describe('verify and query over a time range', () => {
  it('skips segments wholly outside the range, anchors the chain at the first one read, and reports requested vs covered', async () => {
    const dir = await scratch();
    await hourlyLog(dir);
    const report = await verifyAuditLog({ dir }, { from: new Date(T0 + 2.5 * HOUR), to: new Date(T0 + 4 * HOUR), publicKey: keys.publicKeyPem });
    expect(report.findings).toEqual([]);
    // 02:00–03:00 holds 02:30; 04:00–05:00 holds 04:00 itself; the rest is never read.
    expect(report.segments.map((s) => s.segment)).toEqual([3, 4, 5]);
    expect(report.range.requested).toEqual({ from: '2025-06-01T02:30:00.000Z', to: '2025-06-01T04:00:00.000Z' });
    expect(report.range.covered).toEqual({ from: '2025-06-01T02:30:00.000Z', to: '2025-06-01T04:00:00.000Z' });
    expect(report.counts.inRange).toBe(10);
    expect(report.counts.records).toBe(18);
  });

  it('still finds tampering inside the range', async () => {
    const dir = await scratch();
    await hourlyLog(dir);
    const { readFile, writeFile } = await import('node:fs/promises');
    const seg = join(dir, 'w', '000001-000004.jsonl');
    const lines = (await readFile(seg, 'utf8')).split('\n');
    lines.splice(2, 1);
    await writeFile(seg, lines.join('\n'));
    const report = await verifyAuditLog({ dir }, { from: '2025-06-01T03:00:00Z', to: '2025-06-01T05:00:00Z' });
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.segment, f.line])).toEqual([['seq_gap', 4, 3]]);
  });

  it('merges several writers in time order and filters by range', async () => {
    const dir = await scratch();
    await hourlyLog(dir, 'a');
    await hourlyLog(dir, 'b', 5 * 60_000);
    const seen: { writer: string; ts: string }[] = [];
    for await (const r of queryAuditLog({ dir }, { from: T0 + HOUR, to: T0 + 2 * HOUR })) seen.push({ writer: r.event.writer, ts: r.event.ts });
    expect(seen.map((s) => s.ts)).toEqual([...seen.map((s) => s.ts)].sort());
    // a: 01:00, 01:10 … 02:00 (7); b: 01:05 … 01:55 (6)
    expect(seen.length).toBe(13);
    expect(new Set(seen.map((s) => s.writer))).toEqual(new Set(['a', 'b']));
  });
});
