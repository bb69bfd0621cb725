import { parentPort } from 'node:worker_threads';
import { readArchivedPolicy } from '../audit/policy-archive.js';
import type { ResolvedPolicy } from '../policy/policy.js';
import { createReplayEngine, type ReplayFilter } from './replay-engine.js';
import { prepareReplayPolicy } from './replay-policy.js';
import { replaySegmentFiles } from './replay-segments.js';
import { ReplayAccumulator, type ReplaySummary } from './replay-summary.js';

/** A worker's share of a replay: some segment files of one log directory. */
export interface ReplayTask {
  dir: string;
  files: string[];
  policy: { id: string; revision: string; sha256: string; canonical: string };
  filter: ReplayFilter;
  sample: number;
  reclassify: boolean;
}

export type ReplayWorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; summary: ReplaySummary; deferred: string[] }
  | { type: 'error'; message: string };

parentPort?.on('message', (task: ReplayTask) => {
  const acc = new ReplayAccumulator(task.sample);
  const deferred: string[] = [];
  const next = prepareReplayPolicy({ id: task.policy.id, revision: task.policy.revision, sha256: task.policy.sha256, document: JSON.parse(task.policy.canonical) as ResolvedPolicy });
  const engine = createReplayEngine({
    next,
    acc,
    filter: task.filter,
    reclassify: task.reclassify,
    archived: async (sha) => {
      const found = await readArchivedPolicy({ dir: task.dir }, sha);
      return found.ok ? found.policy : undefined;
    },
    defer: (line) => deferred.push(line),
  });
  replaySegmentFiles(task.files, engine, (bytes) => parentPort?.postMessage({ type: 'progress', bytes } satisfies ReplayWorkerMessage)).then(
    () => parentPort?.postMessage({ type: 'done', summary: acc.summary(), deferred } satisfies ReplayWorkerMessage),
    (err: unknown) => parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ReplayWorkerMessage),
  );
});
