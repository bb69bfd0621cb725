import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMetricsAnswer, WORKER_INDEX_ENV, type MetricsRequest, type WorkerListening } from './worker-messages.js';

/** A gateway worker process's line to its primary. */
export interface GatewayWorkerLink {
  /** 1-based. */
  readonly index: number;
  /** Tells the primary this worker listens, with what `serve` would print at start. */
  listening(message: Omit<WorkerListening, 'type'>): void;
  /** The metrics of every worker, summed by the primary (a scrape reaches one worker only). */
  clusterMetrics(): Promise<string>;
  /** Closes the channel to the primary (after the gateway has stopped), so this process can exit. */
  disconnect(): void;
}

const METRICS_TIMEOUT_MS = 10_000;

/**
 * The link, when this process is a gateway worker (forked by `saferoute serve --workers N`);
 * `undefined` otherwise. `registry` is this worker's metrics, which the primary collects.
 */
export function gatewayWorkerLink(registry: Registry): GatewayWorkerLink | undefined {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  if (!cluster.isWorker || !Number.isInteger(index) || index < 1) return undefined;
  // Answers the primary's requests for this worker's metrics (prom-client's cluster protocol).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let next = 0;
  const onMessage = (message: unknown): void => {
    if (!isMetricsAnswer(message)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.text != null) waiting.resolve(message.text);
    else waiting.reject(new Error(`the gateway's primary process could not collect the workers' metrics: ${message.error ?? 'no answer'}`));
  };
  process.on('message', onMessage);
  const send = (message: unknown): void => {
    if (process.connected) process.send?.(message);
  };
  return {
    index,
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
    disconnect() {
      process.off('message', onMessage);
      // Told apart from a crash by the primary: this worker is done.
      if (process.connected) cluster.worker?.disconnect();
    },
  };
}
