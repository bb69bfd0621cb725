import type { AuditFailurePolicy } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';
import type { ChainWriter } from './chain-writer.js';
import type { Checkpointer } from './checkpointer.js';

export interface SinkOverOptions {
  sink: 'file' | 'pg';
  failurePolicy: AuditFailurePolicy;
  /** Closes what the writer wrote to (the store, and a pool the sink owns), after the last checkpoint. */
  closeStore: () => Promise<void>;
  onError?: (err: unknown) => void;
}

/**
 * The sink made of a started chain writer and its checkpointer, as the file and PostgreSQL sinks
 * are: health is the writer's, degraded while checkpoints fail; close stops the writer (its
 * `writer-stop` record), writes the last checkpoint, then closes the store, and reports a failed
 * stop only after everything is closed.
 */
export function sinkOver(writer: ChainWriter, checkpointer: Checkpointer | undefined, options: SinkOverOptions): AuditSink {
  let closed: Promise<void> | undefined;
  return {
    writerId: writer.writerId,
    failurePolicy: options.failurePolicy,
    append: (body) => writer.append(body),
    health() {
      const h = writer.health();
      const cp = checkpointer?.status();
      return { ...h, status: h.status === 'ok' && cp?.lastError ? 'degraded' : h.status, sink: options.sink, ...(cp ? { checkpoints: cp } : {}) };
    },
    close() {
      closed ??= (async () => {
        let stopError: unknown;
        try {
          await writer.stop();
        } catch (err) {
          stopError = err;
        }
        await checkpointer?.stop().catch((err: unknown) => options.onError?.(err));
        await options.closeStore();
        if (stopError) throw stopError;
      })();
      return closed;
    },
  };
}
