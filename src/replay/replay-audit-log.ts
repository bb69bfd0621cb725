import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DecisionAuditBody } from '../audit/audit-event.js';
import { nodeAuditFs } from '../audit/audit-fs.js';
import { archivableOf, readArchivedPolicy } from '../audit/policy-archive.js';
import { readAuditRecords } from '../audit/read-audit-records.js';
import { listSegments, listWriters } from '../audit/segment-files.js';
import { segmentWindow } from '../audit/segment-window.js';
import type { AuditLogSource } from '../audit/verify-audit-log.js';
import type { Decision } from '../decision/decision.js';
import type { PolicyRuntime } from '../decision/policy-runtime.js';
import { requestFromFacts, subjectFromFacts } from '../decision/decision-facts.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { createReplayEngine, type ReplayFilter } from './replay-engine.js';
import { prepareReplayPolicy } from './replay-policy.js';
import { replaySegmentFiles } from './replay-segments.js';
import { mergeSummaries, ReplayAccumulator, type ReplaySummary } from './replay-summary.js';
import type { ReplayTask, ReplayWorkerMessage } from './replay-worker.js';

export interface ReplayOptions extends ReplayFilter {
  /** The candidate policy the recorded decisions are decided again under. */
  policy: EvaluablePolicy;
  /** The candidate bound to its classifiers, for records whose text is kept (`audit.text: full`). */
  runtime?: PolicyRuntime;
  /** Decision ids kept per transition (default 5). */
  sample?: number;
  /** Classify kept text again even where the classifiers did not change. */
  reclassify?: boolean;
  /** Worker threads for a log directory (default: the available cores, at most 4; 1 reads in this thread). */
  workers?: number;
  /** Bytes read of a directory's segments (of `total`), or records read from PostgreSQL. */
  onProgress?: (done: number, total: number | undefined) => void;
}

/** Smaller logs are replayed in this thread: starting workers costs more than they save. */
const MIN_BYTES_FOR_WORKERS = 32 * 1024 * 1024;

/** Re-decides the recorded decisions of a log under `options.policy` and summarises what changes. */
export async function replayAuditLog(source: AuditLogSource, options: ReplayOptions): Promise<ReplaySummary> {
  const sample = options.sample ?? 5;
  const next = prepareReplayPolicy(options.policy);
  const filter: ReplayFilter = { from: options.from, to: options.to, tenant: options.tenant };
  const reclassify = options.reclassify ?? false;
  const archiveCache = new Map<string, Promise<EvaluablePolicy | undefined>>();
  const archived = (sha: string): Promise<EvaluablePolicy | undefined> => {
    let p = archiveCache.get(sha);
    if (!p) {
      p = readArchivedPolicy(source, sha).then((r) => (r.ok ? r.policy : undefined));
      archiveCache.set(sha, p);
    }
    return p;
  };
  const decideText = options.runtime ? textDecider(options.runtime) : undefined;
  const acc = new ReplayAccumulator(sample);
  const engine = createReplayEngine({ next, acc, filter, reclassify, archived, ...(decideText ? { decideText } : {}) });

  if ('pg' in source) {
    let n = 0;
    for await (const { event } of readAuditRecords(source, { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) })) {
      if (event.kind !== 'decision') continue;
      const waiting = engine.handle(event);
      if (waiting) await waiting;
      if (++n % 10_000 === 0) options.onProgress?.(n, undefined);
    }
    return acc.summary();
  }

  const files: { path: string; size: number }[] = [];
  for (const writer of await listWriters(nodeAuditFs, source.dir)) {
    const { segments } = await segmentWindow(await listSegments(nodeAuditFs, source.dir, writer), options.from, options.to);
    for (const s of segments) files.push({ path: s.path, size: (await stat(s.path)).size });
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  const onBytes = (bytes: number): void => {
    done += bytes;
    options.onProgress?.(done, total);
  };
  const workers = Math.min(options.workers ?? Math.min(4, availableParallelism()), files.length);
  if (workers <= 1 || (options.workers === undefined && total < MIN_BYTES_FOR_WORKERS)) {
    await replaySegmentFiles(
      files.map((f) => f.path),
      engine,
      onBytes,
    );
    return acc.summary();
  }
  const parts = await replayInWorkers(source.dir, partition(files, workers), { policy: archivableOf(options.policy), filter, sample, reclassify }, onBytes);
  // Records a worker could only re-decide from their text come back here, where the classifiers are.
  for (const part of parts) {
    for (const line of part.deferred) await engine.handleText(JSON.parse(line) as DecisionAuditBody);
  }
  const here = acc.summary();
  return mergeSummaries([...parts.map((p) => p.summary), { ...here, records: 0 }], sample);
}

function textDecider(runtime: PolicyRuntime): (record: DecisionAuditBody) => Promise<Decision> {
  return (record) => {
    const facts = record.facts;
    const text = record.text?.mode === 'full' ? record.text.value : '';
    const subject = subjectFromFacts(facts?.subject);
    return runtime.decide({
      text,
      stage: record.stage,
      ...(subject ? { subject } : {}),
      ...(facts ? { request: requestFromFacts(facts.request) } : {}),
      ...(facts?.request.servedTarget != null ? { servedTarget: facts.request.servedTarget } : {}),
      now: record.decidedAt,
    });
  };
}

/** Files spread over `n` groups of about equal size (largest first, each to the lightest group). */
function partition(files: readonly { path: string; size: number }[], n: number): string[][] {
  const groups = Array.from({ length: n }, () => ({ size: 0, files: [] as string[] }));
  for (const f of [...files].sort((a, b) => b.size - a.size)) {
    const lightest = groups.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.size += f.size;
    lightest.files.push(f.path);
  }
  return groups.filter((g) => g.files.length > 0).map((g) => g.files);
}

function startReplayWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./replay-worker.js', here));
  // Run from the TypeScript sources (tests, the benchmark): the worker loads them through tsx.
  const src = new URL('./replay-worker.ts', here).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(src)}); });`, { eval: true });
}

async function replayInWorkers(
  dir: string,
  groups: string[][],
  common: Omit<ReplayTask, 'dir' | 'files' | 'policy'> & { policy: ReturnType<typeof archivableOf> },
  onBytes: (bytes: number) => void,
): Promise<{ summary: ReplaySummary; deferred: string[] }[]> {
  return Promise.all(
    groups.map(
      (files) =>
        new Promise<{ summary: ReplaySummary; deferred: string[] }>((resolve, reject) => {
          const worker = startReplayWorker();
          const finish = (): void => void worker.terminate();
          worker.on('message', (m: ReplayWorkerMessage) => {
            if (m.type === 'progress') onBytes(m.bytes);
            else if (m.type === 'done') {
              finish();
              resolve({ summary: m.summary, deferred: m.deferred });
            } else {
              finish();
              reject(new Error(m.message));
            }
          });
          worker.on('error', (err) => {
            finish();
            reject(err);
          });
          const { policy } = common;
          worker.postMessage({
            dir,
            files,
            policy: { id: policy.id, revision: policy.revision, sha256: policy.sha256, canonical: policy.canonical },
            filter: common.filter,
            sample: common.sample,
            reclassify: common.reclassify,
          } satisfies ReplayTask);
        }),
    ),
  );
}
