import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayLog } from '../gateway-log.js';
import { isMetricsRequest, isWorkerListening, WORKER_INDEX_ENV, type MetricsAnswer, type WorkerListening } from './worker-messages.js';

export interface GatewayPrimaryOptions {
  /** How many worker processes serve (each a whole gateway on the shared port). */
  workers: number;
  /** Added to every worker's environment (e.g. one console session secret for all). */
  env?: Readonly<Record<string, string>>;
  log: GatewayLog;
  /** All workers listen: what the first one reported, to print once. */
  onListening(first: WorkerListening): void;
  /** Signals the primary handles (default true): SIGHUP reloads every worker, SIGTERM/SIGINT drain them. */
  signals?: boolean;
}

export interface GatewayPrimary {
  /** Resolves with the exit code once every worker is gone: 0 after a clean drain. */
  readonly exited: Promise<number>;
  /** Sends SIGHUP to every worker: each re-reads its config and policies. */
  reload(): void;
  /** Drains every worker (SIGTERM) and resolves when all have exited. */
  close(): Promise<number>;
  /** The worker processes' ids, by worker index. */
  pids(): number[];
}

/** More crashes than this within RESTART_WINDOW_MS stop the gateway rather than restarting forever. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 500;

/**
 * The primary of `saferoute serve --workers N`: forks the workers (the first alone, so that a start
 * problem is reported once and a port of 0 is chosen once), forwards SIGHUP and SIGTERM, restarts
 * a worker that crashes, and sums the workers' metrics for whichever worker a scrape reaches. It
 * serves no request itself.
 */
export function runGatewayPrimary(options: GatewayPrimaryOptions): GatewayPrimary {
  const { log } = options;
  const byIndex = new Map<number, Worker>();
  const crashes: number[] = [];
  let started = false;
  let closing = false;
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (finish = resolve));
  let exitCode = 0;
  const aggregator = new AggregatorRegistry();

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isMetricsRequest(message)) return;
    const answer = (fields: Omit<MetricsAnswer, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: 'saferoute:metrics-answer', id: message.id, ...fields } satisfies MetricsAnswer);
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  };
  cluster.on('message', onMessage);

  const fork = (index: number): Worker => {
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_ENV]: String(index) });
    byIndex.set(index, worker);
    worker.on('exit', (code, signal) => onExit(index, worker, code, signal));
    return worker;
  };

  const listeningOf = (worker: Worker): Promise<WorkerListening> =>
    new Promise((resolve, reject) => {
      const onListening = (message: unknown): void => {
        if (!isWorkerListening(message)) return;
        worker.off('message', onListening);
        worker.off('exit', onEarlyExit);
        resolve(message);
      };
      const onEarlyExit = (code: number | null, signal: string | null): void => {
        worker.off('message', onListening);
        reject(Object.assign(new Error(`worker exited before it listened (${signal ?? `exit code ${code}`})`), { exitCode: code ?? 1 }));
      };
      worker.on('message', onListening);
      worker.once('exit', onEarlyExit);
    });

  const allGone = (): boolean => [...byIndex.values()].every((w) => w.isDead());

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null): void => {
    if (byIndex.get(index) !== worker) return;
    if (closing || !started) {
      // A worker that did not drain cleanly makes the exit unclean; a crash it was replaced after
      // does not, nor one still starting that our SIGTERM stopped (it had nothing to drain).
      const stoppedByUs = closing && signal === 'SIGTERM';
      if (code !== 0 && !stoppedByUs) exitCode = exitCode || (code ?? 1);
      if (allGone()) end();
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - RESTART_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_RESTARTS) {
      log('error', `worker ${index} exited (${signal ?? `exit code ${code}`}); ${crashes.length} worker exits within ${RESTART_WINDOW_MS / 1000} s, so the gateway stops rather than restarting again — see the errors above`);
      exitCode = exitCode || 1;
      void close();
      return;
    }
    log('error', `worker ${index} exited (${signal ?? `exit code ${code}`}); starting another in its place`, { worker: index });
    setTimeout(() => {
      if (closing) return;
      listeningOf(fork(index)).then(
        () => log('info', `worker ${index} replaced: listening again`, { worker: index }),
        () => undefined, // its exit is handled (and counted) as any other
      );
    }, RESTART_DELAY_MS).unref();
  };

  const end = (): void => {
    cluster.off('message', onMessage);
    removeSignals();
    finish(exitCode);
  };

  const close = (): Promise<number> => {
    if (!closing) {
      closing = true;
      for (const w of byIndex.values()) if (!w.isDead()) w.process.kill('SIGTERM');
      if (allGone()) end();
    }
    return exited;
  };
  const reload = (): void => {
    for (const w of byIndex.values()) if (!w.isDead()) w.process.kill('SIGHUP');
  };

  const onTerm = (): void => {
    log('info', `shutting down: draining ${byIndex.size} workers`);
    void close();
  };
  const removeSignals = (): void => {
    process.off('SIGHUP', reload);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
  };
  if (options.signals !== false) {
    process.on('SIGHUP', reload);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onTerm);
  }

  void (async () => {
    try {
      const first = await listeningOf(fork(1));
      const rest = Array.from({ length: options.workers - 1 }, (_, i) => listeningOf(fork(i + 2)));
      await Promise.all(rest);
      started = true;
      if (closing) return;
      options.onListening(first);
    } catch (error) {
      exitCode = (error as { exitCode?: number }).exitCode || 1;
      void close();
    }
  })();

  return { exited, reload, close, pids: () => [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, w]) => w.process.pid ?? 0) };
}
