/** What a gateway worker process and its primary say to each other over the cluster's IPC channel. */

/** The worker listens: the primary prints the start report of the first one, once all are up. */
export interface WorkerListening {
  type: 'saferoute:listening';
  url: string;
  /** What `serve` prints at start (banner on stdout, warnings on stderr). */
  report: { stdout: string; stderr: string };
}

/** A worker asks for the metrics of every worker (a scrape reaches one worker only). */
export interface MetricsRequest {
  type: 'saferoute:metrics';
  id: number;
}

export interface MetricsAnswer {
  type: 'saferoute:metrics-answer';
  id: number;
  text?: string;
  error?: string;
}

/**
 * The primary tells a worker to reload or to drain and stop. Workers take these from the primary
 * only, never from signals: a Ctrl-C or `systemctl stop` signals the whole process group, and a
 * worker must not be killed half-way through its drain by the next one.
 */
export interface WorkerCommand {
  type: 'saferoute:reload' | 'saferoute:stop';
}

const typed = (message: unknown, type: string): boolean => typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

export const isWorkerListening = (m: unknown): m is WorkerListening => typed(m, 'saferoute:listening');
export const isMetricsRequest = (m: unknown): m is MetricsRequest => typed(m, 'saferoute:metrics');
export const isMetricsAnswer = (m: unknown): m is MetricsAnswer => typed(m, 'saferoute:metrics-answer');
export const isReloadCommand = (m: unknown): m is WorkerCommand => typed(m, 'saferoute:reload');
export const isStopCommand = (m: unknown): m is WorkerCommand => typed(m, 'saferoute:stop');

/** Tells a process it is worker N (1-based) of a gateway. */
export const WORKER_INDEX_ENV = 'SAFEROUTE_WORKER_INDEX';
/** How many workers the primary runs: a worker checks the config against this, not the file's count. */
export const WORKER_COUNT_ENV = 'SAFEROUTE_WORKER_COUNT';
