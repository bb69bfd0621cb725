import { parentPort } from 'node:worker_threads';
import { LogVerifier, type LogVerifierOptions, type SourceSegment } from './log-verifier.js';
import { feedSegmentFile } from './verify-segment.js';

/** A task of the parallel verifier: one segment, verified from an unknown chain state. */
export interface VerifyTask {
  id: number;
  options: Pick<LogVerifierOptions, 'from' | 'to' | 'canonical'>;
  meta: SourceSegment & { live: boolean; file: string };
  claims: [number, string][];
  maxCheckpoint?: { epoch: number; seq: number; ts: string };
}

parentPort?.on('message', (task: VerifyTask) => {
  LogVerifier.summarizeSegment(task.options, task.meta, task.claims, task.maxCheckpoint, (v) => feedSegmentFile(v, task.meta.file)).then(
    (summary) => parentPort?.postMessage({ id: task.id, summary }),
    (err: unknown) => parentPort?.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
