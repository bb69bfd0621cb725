import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayLog } from '../gateway-log.js';
import { isMetricsRequest, isWorkerListening, WORKER_COUNT_ENV, WORKER_INDEX_ENV, type MetricsAnswer, type WorkerCommand, type WorkerListening } from './worker-messages.js';

export interface GatewayPrimaryOptions {
  /** How many worker processes serve (each a whole gateway on the shared port). */
  workers: number;
  /** Added to every worker's environment (e.g. one console session secret for all). */
  env?: Readonly<Record<string, string>>;
  log: GatewayLog;
  /** All workers listen: what the first one reported, to print once. */
  onListening(first: WorkerListening): void;
  /** How long a worker may take to drain (the config's `limits.drainTimeoutMs`); after it and a grace period, what is left is killed. */
  drainTimeoutMs: number;
  /** Signals the primary handles (default true): SIGHUP reloads every worker, SIGTERM/SIGINT drain them, a second one kills them. */
  signals?: boolean;
}

export interface GatewayPrimary {
  /** Resolves with the exit code once every worker is gone: 0 after a clean drain. */
  readonly exited: Promise<number>;
  /** Tells every listening worker to re-read its config and policies. */
  reload(): void;
  /** Drains every worker and resolves when all have exited. */
  close(): Promise<number>;
}

/** More crashes of running workers than this within RESTART_WINDOW_MS stop the gateway rather than restarting forever. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 500;
/** A replacement that cannot start (a config broken since) is retried this often at most, the others serving meanwhile. */
const MAX_RETRY_DELAY_MS = 30_000;
/** Beyond the drain deadline, how long closing the audit log and stores may take before a worker is killed. */
const CLOSE_GRACE_MS = 15_000;

/**
 * The primary of `saferoute serve --workers N`. It forks the workers (the first alone, so that a
 * start problem is reported once and a port of 0 is chosen once), serves nothing itself, and:
 * turns SIGHUP into a reload of every listening worker and SIGTERM/SIGINT into a drain of every
 * worker (workers ignore signals, so a signal to the whole process group cannot kill one half-way
 * through its drain; a second signal, or the drain deadline passed, kills what is left); replaces
 * a worker that crashes, and retries with growing delays one that cannot start (the others keep
 * serving); and collects the workers' metrics for whichever worker a scrape reaches.
 */
export function runGatewayPrimary(options: GatewayPrimaryOptions): GatewayPrimary {
  const { log } = options;
  const byIndex = new Map<number, Worker>();
  const listened = new WeakSet<Worker>();
  const crashes: number[] = [];
  const retryDelay = new Map<number, number>();
  let started = false;
  let closing = false;
  let killTimer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (finish = resolve));
  let exitCode = 0;
  const aggregator = new AggregatorRegistry();

  const command = (worker: Worker, type: WorkerCommand['type']): void => {
    if (worker.isConnected()) worker.send({ type } satisfies WorkerCommand);
  };

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

  /** Forks worker `index`; resolves when it listens, rejects with its exit code if it exits first. */
  const fork = (index: number): Promise<void> => {
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_ENV]: String(index), [WORKER_COUNT_ENV]: String(options.workers) });
    byIndex.set(index, worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: unknown) => {
        if (!isWorkerListening(message) || listened.has(worker)) return;
        listened.add(worker);
        if (index === 1 && !started) firstReport = message;
        resolve();
      });
      worker.on('exit', (code, signal) => {
        if (!listened.has(worker)) reject(Object.assign(new Error(`worker ${index} exited before it listened (${signal ?? `exit code ${code}`})`), { exitCode: code || 1 }));
        onExit(index, worker, code, signal);
      });
    });
  };
  let firstReport: WorkerListening | undefined;

  const allGone = (): boolean => [...byIndex.values()].every((w) => w.isDead());

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null): void => {
    if (byIndex.get(index) !== worker) return;
    const how = signal ?? `exit code ${code}`;
    if (closing) {
      // A worker that did not drain cleanly makes the exit unclean.
      if (code !== 0) exitCode = exitCode || code || 1;
      if (allGone()) end();
      return;
    }
    if (!listened.has(worker)) {
      // Failed to start: the start fails (reported by the start), or a replacement waits longer.
      if (started) retry(index, how);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - RESTART_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_RESTARTS) {
      log('error', `worker ${index} exited (${how}); ${crashes.length} worker crashes within ${RESTART_WINDOW_MS / 1000} s, so the gateway stops rather than restarting again — see the errors above`);
      exitCode = exitCode || 1;
      void close();
      return;
    }
    log('error', `worker ${index} exited (${how}); starting another in its place`, { worker: index });
    replace(index, RESTART_DELAY_MS);
  };

  const replace = (index: number, delay: number): void => {
    setTimeout(() => {
      if (closing) return;
      fork(index).then(
        () => {
          retryDelay.delete(index);
          log('info', `worker ${index} replaced: listening again`, { worker: index });
        },
        () => undefined, // its exit is handled by onExit
      );
    }, delay).unref();
  };

  const retry = (index: number, how: string): void => {
    const delay = Math.min(MAX_RETRY_DELAY_MS, (retryDelay.get(index) ?? RESTART_DELAY_MS) * 2);
    retryDelay.set(index, delay);
    const serving = [...byIndex.values()].filter((w) => !w.isDead() && listened.has(w)).length;
    log('error', `worker ${index} could not start (${how}; its error is above); ${serving} of ${options.workers} workers serve; trying again in ${Math.round(delay / 1000)} s`, { worker: index });
    replace(index, delay);
  };

  const end = (): void => {
    clearTimeout(killTimer);
    cluster.off('message', onMessage);
    removeSignals();
    finish(exitCode);
  };

  const killAll = (why: string): void => {
    const left = [...byIndex.values()].filter((w) => !w.isDead());
    if (left.length === 0) return;
    log('error', `${why}: killing ${left.length} ${left.length === 1 ? 'worker' : 'workers'} still running; their audit logs end without a writer-stop record`);
    exitCode = exitCode || 1;
    for (const w of left) w.process.kill('SIGKILL');
  };

  const close = (): Promise<number> => {
    if (!closing) {
      closing = true;
      for (const w of byIndex.values()) if (!w.isDead()) command(w, 'saferoute:stop');
      killTimer = setTimeout(() => killAll(`workers still running ${Math.round((options.drainTimeoutMs + CLOSE_GRACE_MS) / 1000)} s after the stop`), options.drainTimeoutMs + CLOSE_GRACE_MS);
      killTimer.unref();
      if (allGone()) end();
    }
    return exited;
  };
  const reload = (): void => {
    // A worker still starting reads the current config anyway.
    for (const w of byIndex.values()) if (!w.isDead() && listened.has(w)) command(w, 'saferoute:reload');
  };

  const onTerm = (): void => {
    if (closing) return killAll('a second stop signal');
    const running = [...byIndex.values()].filter((w) => !w.isDead()).length;
    log('info', `shutting down: draining ${running} ${running === 1 ? 'worker' : 'workers'} (a second signal kills them)`);
    void close();
  };
  const onHup = (): void => reload();
  const removeSignals = (): void => {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
  };
  if (options.signals !== false) {
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onTerm);
  }

  void (async () => {
    try {
      await fork(1);
      await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => fork(i + 2)));
      // A worker that crashed after it listened, while the others started, has been replaced by now or is being.
      started = true;
      if (closing) return;
      options.onListening(firstReport!);
    } catch (error) {
      if (closing) return;
      log('error', `the gateway did not start: ${(error as Error).message}; stopping the other workers`);
      exitCode = (error as { exitCode?: number }).exitCode || 1;
      void close();
    }
  })();

  return { exited, reload, close };
}
