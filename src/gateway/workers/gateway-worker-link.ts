import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMetricsAnswer, isReloadCommand, isStopCommand, WORKER_COUNT_ENV, WORKER_INDEX_ENV, type MetricsRequest, type WorkerListening } from './worker-messages.js';

/** A gateway worker process's line to its primary. */
export interface GatewayWorkerLink {
  /** 1-based. */
  readonly index: number;
  /** How many workers the primary runs. */
  readonly count: number;
  /** Tells the primary this worker listens, with what `serve` would print at start. */
  listening(message: Omit<WorkerListening, 'type'>): void;
  /** The metrics of every worker, collected by the primary (a scrape reaches one worker only). */
  clusterMetrics(): Promise<string>;
  /**
   * What to do when the primary says so: `stop` also runs when the primary is gone (it crashed or
   * was killed), so the worker still drains, writes its audit writer-stop record and exits. A
   * command that came before its handler was set runs as soon as it is.
   */
  handle(handlers: { reload(): void; stop(): void }): void;
  /** Closes the channel to the primary (after the gateway has stopped), so this process can exit. */
  disconnect(): void;
}

const METRICS_TIMEOUT_MS = 10_000;

/**
 * The link, when this process is a gateway worker (forked by `saferoute serve --workers N`);
 * `undefined` otherwise. Call it first thing: from then on the worker answers the primary's metric
 * requests (of `registry`) and ignores SIGINT, SIGTERM and SIGHUP, which its primary turns into
 * commands for every worker in order.
 */
export function gatewayWorkerLink(registry: Registry): GatewayWorkerLink | undefined {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  const count = Number(process.env[WORKER_COUNT_ENV]);
  if (!cluster.isWorker || !Number.isInteger(index) || index < 1) return undefined;
  // Each worker's series apart (label `worker`): a replaced worker restarts its own counters, which
  // Prometheus reads as that series' reset, instead of making a summed counter drop.
  registry.setDefaultLabels({ worker: String(index) });
  new AggregatorRegistry(); // answers the primary's requests for this worker's metrics (prom-client's cluster protocol)
  AggregatorRegistry.setRegistries([registry]);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

  let handlers: { reload(): void; stop(): void } | undefined;
  let stopWanted = false;
  const stop = (): void => {
    stopWanted = true;
    handlers?.stop();
  };
  // Node's cluster makes a worker whose primary is gone exit at once, without draining: replaced by
  // a drain like any other stop.
  process.removeAllListeners('disconnect');
  process.on('disconnect', () => {
    if (!disconnecting) stop();
  });
  let disconnecting = false;

  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (isStopCommand(message)) return stop();
    if (isReloadCommand(message)) return handlers?.reload();
    if (!isMetricsAnswer(message)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.text != null) waiting.resolve(message.text);
    else waiting.reject(new Error(`the gateway's primary process could not collect the workers' metrics: ${message.error ?? 'no answer'}`));
  });
  const send = (message: unknown): void => {
    if (process.connected) process.send?.(message);
  };
  return {
    index,
    count: Number.isInteger(count) && count >= 1 ? count : 1,
    listening: (message) => send({ type: 'saferoute:listening', ...message } satisfies WorkerListening),
    clusterMetrics: () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the gateway's primary process did not send the workers' metrics within ${METRICS_TIMEOUT_MS} ms`));
        }, METRICS_TIMEOUT_MS);
        timer.unref();
        pending.set(id, { resolve, reject, timer });
        send({ type: 'saferoute:metrics', id } satisfies MetricsRequest);
      }),
    handle(given) {
      handlers = given;
      if (stopWanted) given.stop();
    },
    disconnect() {
      disconnecting = true;
      if (process.connected) cluster.worker?.disconnect();
    },
  };
}
