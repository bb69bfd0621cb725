import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEvent } from './audit-event.js';
import { nodeAuditFs } from './audit-fs.js';
import { auditKeyId, loadAuditVerifyKey, type AuditKeyInput } from './audit-signing-keys.js';
import { LogVerifier, type AuditVerifyReport, type LogVerifierOptions, type SegmentSummary, type SourceSegment } from './log-verifier.js';
import type { AuditPgConnection } from './pg-tables.js';
import { readLines } from './read-lines.js';
import { redactUrl } from './redact-url.js';
import { feedSegmentFile } from './verify-segment.js';
import { verifyPg } from './verify-pg.js';
import type { VerifyTask } from './verify-worker.js';
import { segmentWindow } from './segment-window.js';
import { CHECKPOINTS_DIR_NAME, listCheckpointFiles, listSegments, listWriters, type SegmentFile } from './segment-files.js';
import { writerLockIsLive } from './writer-lock.js';
import type { AuditFindingCode } from './audit-finding.js';
import type { CheckpointWitness } from './checkpoint-witness.js';
import { assertWitnessOutside } from './witness-location.js';

/** A log to read: a directory written by the file sink, or the PostgreSQL tables. */
export type AuditLogSource =
  | { dir: string; checkpointsDir?: string }
  /** `archiveDir`: where `saferoute audit archive` moved old partitions; verified with the table. */
  | { pg: AuditPgConnection; archiveDir?: string };

export interface VerifyAuditLogOptions {
  /** Only records at or after this time are counted; segments wholly before it are skipped. */
  from?: Date | string | number;
  to?: Date | string | number;
  /**
   * Public key(s) that signed the checkpoints; matched by key id. Giving one says the log is
   * signed: a writer without checkpoints, records after the last checkpoint and a missing
   * checkpoints directory are then errors. Take the key from its owner, not from beside the log.
   */
  publicKey?: AuditKeyInput | AuditKeyInput[];
  /** The log is expected to carry no checkpoints: their absence is not reported. */
  unsigned?: boolean;
  /** The log is being written: records after the last checkpoint of a running writer are only a warning. */
  live?: boolean;
  /**
   * A witness that received the log's checkpoints (see `CheckpointWitness`): the log must still
   * hold every head of the newest checkpoint it witnessed, per writer, with the same hash.
   */
  witness?: CheckpointWitness;
  /** Also check that every record is in canonical JSON form. */
  canonical?: boolean;
  /**
   * Called for every record in range, in chain order per writer (to aggregate in the same pass),
   * with the error codes found at that record (empty when it verified).
   */
  onRecord?: (event: AuditEvent, line: string, problems: readonly AuditFindingCode[]) => void;
  /**
   * Worker threads for a directory: segments are verified in parallel and the chain is stitched
   * across them; any problem is then verified again in order, so findings are the same either way.
   * Default 1: on a machine whose cores are busy, threads cost more than they bring (measured).
   */
  workers?: number;
}

/**
 * Streams through a whole log, record by record, and reports per segment `valid` or exactly what
 * is wrong, checks the signed checkpoints against the log, and says which range it covered.
 * Never throws for a broken log (that is the report); throws only when the source cannot be read.
 */
export async function verifyAuditLog(source: AuditLogSource, options: VerifyAuditLogOptions = {}): Promise<AuditVerifyReport> {
  const from = toMs(options.from);
  const to = toMs(options.to);
  const keys = keysOf(options.publicKey);
  const verifier = new LogVerifier({
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(keys ? { keys } : {}),
    ...(keys && !options.unsigned ? { requireSignatures: true } : {}),
    ...(options.unsigned ? { unsigned: true } : {}),
    ...(options.live ? { live: true } : {}),
    ...(options.canonical ? { canonical: true } : {}),
    ...(options.onRecord ? { onRecord: options.onRecord } : {}),
  });
  if (options.witness) {
    if ('dir' in source) await assertWitnessOutside(options.witness, [source.dir, ...(source.checkpointsDir ? [source.checkpointsDir] : [])]);
    verifier.useWitness(options.witness.location);
    for (const cp of await options.witness.latest()) verifier.witnessCheckpoint(cp, options.witness.location);
  }
  if ('dir' in source) {
    const parallel: ParallelOption = {
      // A callback per record must run here, in order: no worker threads then.
      ...(options.onRecord ? { workers: 1 } : options.workers !== undefined ? { workers: options.workers } : {}),
      options: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(options.canonical ? { canonical: true } : {}) },
    };
    const used = await verifyFiles(source, verifier, from, to, parallel);
    return used.finish(source.dir);
  }
  await verifyPg(source.pg, verifier, {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    live: options.live === true,
    ...(source.archiveDir !== undefined ? { archiveDir: source.archiveDir } : {}),
  });
  return verifier.finish(source.pg.connectionString ? redactUrl(source.pg.connectionString) : 'postgresql');
}

async function verifyFiles(source: { dir: string; checkpointsDir?: string }, verifier: LogVerifier, from: number | undefined, to: number | undefined, parallel: ParallelOption): Promise<LogVerifier> {
  const fs = nodeAuditFs;
  const checkpointsDir = source.checkpointsDir ?? join(source.dir, CHECKPOINTS_DIR_NAME);
  if (!(await directoryExists(checkpointsDir))) verifier.checkpointsMissing(checkpointsDir);
  for (const file of await listCheckpointFiles(fs, checkpointsDir)) {
    for await (const line of readLines(file.path)) {
      if (line.terminated && line.bytes.length === 0) continue;
      verifier.checkpointLine(file.checkpointer, file.epoch, line.bytes.toString('utf8'), line.lineNo, line.terminated, file.path);
    }
  }
  const plan: { writer: string; all: SegmentFile[]; segments: SegmentFile[]; anchored: boolean; cut: boolean; live: boolean }[] = [];
  for (const writer of await listWriters(fs, source.dir)) {
    const all = await listSegments(fs, source.dir, writer);
    plan.push({ writer, all, ...(await segmentWindow(all, from, to)), live: await writerLockIsLive(fs, join(source.dir, writer)) });
  }
  const metaOf = (p: (typeof plan)[number], s: SegmentFile): SourceSegment => ({
    writer: p.writer,
    epoch: s.epoch,
    segment: s.segment,
    file: s.path,
    lastInEpoch: p.all[p.all.indexOf(s) + 1]?.epoch !== s.epoch,
  });

  const workers = Math.min(parallel.workers ?? 1, plan.reduce((n, p) => n + p.segments.length, 0));
  if (workers > 1) {
    const parallelVerifier = verifier.fork();
    const summaries = await summarizeInWorkers(
      plan.flatMap((p) => p.segments.map((s) => ({ meta: { ...metaOf(p, s), live: p.live, file: s.path }, ...parallelVerifier.claimsFor(p.writer, s.epoch) }))),
      parallel.options,
      workers,
    ).catch(() => undefined);
    if (summaries) {
      let i = 0;
      let exact = true;
      for (const p of plan) {
        if (!exact) break;
        parallelVerifier.beginWriter(p.writer, { live: p.live, anchored: p.anchored });
        for (const s of p.segments) {
          if (!parallelVerifier.absorbSegment(metaOf(p, s), summaries[i++] as SegmentSummary)) {
            exact = false;
            break;
          }
        }
        if (p.cut) parallelVerifier.cutWindow();
        parallelVerifier.endWriter();
      }
      // Anything but a clean log is verified again one record at a time, for exact findings.
      if (exact && parallelVerifier.errorCount() === 0) {
        parallelVerifier.workers = Math.min(workers, summaries.length);
        return parallelVerifier;
      }
    }
  }

  for (const p of plan) {
    verifier.beginWriter(p.writer, { live: p.live, anchored: p.anchored });
    for (const s of p.segments) {
      verifier.beginSegment(metaOf(p, s));
      await feedSegmentFile(verifier, s.path);
    }
    if (p.cut) verifier.cutWindow();
    verifier.endWriter();
  }
  return verifier;
}

interface ParallelOption {
  /** Worker threads; 1 (the default) verifies in this thread. */
  workers?: number;
  options: Pick<LogVerifierOptions, 'from' | 'to' | 'canonical'>;
}

function startVerifyWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./verify-worker.js', here));
  // Run from the TypeScript sources (tests, the benchmark): the worker loads them through tsx.
  const source = new URL('./verify-worker.ts', here).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/** Verifies segments in worker threads; resolves with one summary per task, in task order. */
async function summarizeInWorkers(
  tasks: { meta: VerifyTask['meta']; claims: [number, string][]; maxCheckpoint?: VerifyTask['maxCheckpoint'] }[],
  options: VerifyTask['options'],
  count: number,
): Promise<SegmentSummary[]> {
  const results: SegmentSummary[] = new Array<SegmentSummary>(tasks.length);
  const pool = Array.from({ length: Math.min(count, tasks.length) }, () => startVerifyWorker());
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= tasks.length) return resolve();
              const id = next++;
              const t = tasks[id] as (typeof tasks)[number];
              worker.postMessage({ id, options, meta: t.meta, claims: t.claims, ...(t.maxCheckpoint ? { maxCheckpoint: t.maxCheckpoint } : {}) } satisfies VerifyTask);
            };
            worker.on('message', (m: { id: number; summary?: SegmentSummary; error?: string }) => {
              if (m.error !== undefined || !m.summary) return reject(new Error(m.error ?? 'no summary'));
              results[m.id] = m.summary;
              give();
            });
            worker.on('error', reject);
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

async function directoryExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export function toMs(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`\`${value}\` is not a time`);
  return ms;
}

function keysOf(input: AuditKeyInput | AuditKeyInput[] | undefined): Map<string, KeyObject> | undefined {
  if (input === undefined) return undefined;
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) return undefined;
  const keys = new Map<string, KeyObject>();
  for (const k of list) {
    const key = loadAuditVerifyKey(k);
    keys.set(auditKeyId(key), key);
    const kid = typeof k === 'object' && k !== null && 'kid' in k ? (k as { kid?: unknown }).kid : undefined;
    if (typeof kid === 'string') keys.set(kid, key);
  }
  return keys;
}

