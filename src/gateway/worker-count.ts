import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MAX_WORKERS, type ConsentConfig, type IssuersConfig } from './gateway-config.js';

/**
 * `auto` is one worker per core this process may use — the cores it may run on, capped by a
 * container's CPU quota (cgroup), which Node 20 does not count: a pod limited to one CPU on a
 * 64-core node gets one worker, not 64. A number is taken as it is.
 */
export function resolveWorkerCount(workers: number | 'auto' | undefined): number {
  if (workers === 'auto') return Math.max(1, Math.min(MAX_WORKERS, availableParallelism(), cgroupCpuLimit() ?? Infinity));
  return workers ?? 1;
}

/** The CPUs a cgroup quota allows (rounded up), or undefined without a quota (or off Linux). */
export function cgroupCpuLimit(read: (path: string) => string | undefined = readQuietly): number | undefined {
  // cgroup v2: "QUOTA PERIOD" or "max PERIOD".
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2.length === 2) return v2[0] === 'max' ? undefined : cpus(Number(v2[0]), Number(v2[1]));
  // cgroup v1: a quota of -1 is none.
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 ? cpus(quota, period) : undefined;
}

const cpus = (quota: number, period: number): number | undefined => (quota > 0 && period > 0 ? Math.ceil(quota / period) : undefined);

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `--workers N|auto` as given on the command line, or why it is not a worker count. */
export function parseWorkersOption(given: string): number | 'auto' | { problem: string } {
  if (given === 'auto') return 'auto';
  const n = Number(given);
  if (Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS) return n;
  return { problem: `\`--workers ${given}\` must be a number of processes from 1 to ${MAX_WORKERS}, or \`auto\` (one per core)` };
}

export interface WorkerProblem {
  /** The config key at fault (a JSON pointer). */
  pointer: string;
  message: string;
  hint: string;
}

/**
 * What cannot be shared by several worker processes: state a single process keeps to itself. A
 * consent file is locked by one process, and single-use attestations remembered in memory would
 * count once per worker — a replay the others would accept. Both must be in PostgreSQL.
 */
export function workerProblems(workers: number, config: { consent?: ConsentConfig | undefined; issuers?: IssuersConfig | undefined }): WorkerProblem[] {
  if (workers <= 1) return [];
  const problems: WorkerProblem[] = [];
  if (config.consent && 'path' in config.consent) {
    problems.push({
      pointer: '/consent/path',
      message: `a consent file is kept by one process, and the gateway is to run ${workers} worker processes`,
      hint: 'keep consent in PostgreSQL (`"consent": { "pg": "postgres://…" }`), or run one worker',
    });
  }
  if (config.issuers && !config.issuers.replay) {
    problems.push({
      pointer: '/issuers',
      message: `single-use attestations would be remembered by each of the ${workers} worker processes apart, so a replayed token would pass once per worker`,
      hint: 'remember them in PostgreSQL (`"issuers": { …, "replay": { "pg": "postgres://…" } }`), or run one worker',
    });
  }
  return problems;
}
