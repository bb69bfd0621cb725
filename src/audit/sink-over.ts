import type { KeyObject } from 'node:crypto';
import type { AuditFailurePolicy } from './audit-event.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import type { AuditCheckpointOptions, AuditSink } from './audit-sink.js';
import { auditKeyId, loadAuditSigningKey } from './audit-signing-keys.js';
import type { ChainWriter } from './chain-writer.js';
import { startCheckpointer, type Checkpointer, type CheckpointStore } from './checkpointer.js';

const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

export interface CheckpointSigning {
  key: KeyObject;
  keyId: string;
}

/** The checkpoint signing key of a sink's options, loaded before anything is started. */
export function checkpointSigningOf(options: AuditCheckpointOptions): CheckpointSigning {
  if (options.key == null) throw new AuditConfigError('audit checkpoints need a signing `key` (see `saferoute audit keygen`)');
  const key = loadAuditSigningKey(options.key);
  return { key, keyId: options.keyId ?? auditKeyId(key) };
}

export interface SinkCheckpoints {
  signing: CheckpointSigning;
  options: AuditCheckpointOptions;
  /** Built for the writer's epoch. */
  store: (epoch: number) => CheckpointStore;
  clock: () => number;
}

/**
 * Starts the checkpointer of a started writer (when `checkpoints` is given) and returns the sink
 * over both. If the checkpointer cannot start, the writer is abandoned and the store closed.
 */
export async function startSinkOver(writer: ChainWriter, checkpoints: SinkCheckpoints | undefined, options: SinkOverOptions): Promise<AuditSink> {
  let checkpointer: Checkpointer | undefined;
  if (checkpoints) {
    try {
      checkpointer = await startCheckpointer({
        writerId: writer.writerId,
        epoch: writer.epoch,
        key: checkpoints.signing.key,
        keyId: checkpoints.signing.keyId,
        intervalMs: checkpoints.options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        store: checkpoints.store(writer.epoch),
        head: () => writer.durableHead(),
        clock: checkpoints.clock,
        ...(options.onError ? { onError: options.onError } : {}),
        ...(checkpoints.options.witness ? { witness: checkpoints.options.witness } : {}),
        ...(checkpoints.options.witnessMaxLagMs !== undefined ? { witnessMaxLagMs: checkpoints.options.witnessMaxLagMs } : {}),
      });
    } catch (err) {
      writer.abandon();
      await options.closeStore().catch(() => undefined);
      throw err;
    }
  }
  return sinkOver(writer, checkpointer, options);
}

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
function sinkOver(writer: ChainWriter, checkpointer: Checkpointer | undefined, options: SinkOverOptions): AuditSink {
  let closed: Promise<void> | undefined;
  return {
    writerId: writer.writerId,
    failurePolicy: options.failurePolicy,
    append(body) {
      // A witness that stopped accepting checkpoints leaves the log's end unanchored: past the
      // allowed lag, a fail-closed sink refuses records, and the engine blocks.
      const overdue = options.failurePolicy === 'fail-closed' ? checkpointer?.witnessOverdue() : undefined;
      return overdue ? Promise.reject(new AuditError(overdue)) : writer.append(body);
    },
    health() {
      const h = writer.health();
      const cp = checkpointer?.status();
      const overdue = h.status === 'ok' && options.failurePolicy === 'fail-closed' ? checkpointer?.witnessOverdue() : undefined;
      const status = overdue ? 'failed' : h.status === 'ok' && (cp?.lastError || cp?.witness?.lastError) ? 'degraded' : h.status;
      return { ...h, status, ...(overdue ? { failure: overdue } : {}), sink: options.sink, ...(cp ? { checkpoints: cp } : {}) };
    },
    close() {
      closed ??= (async () => {
        let stopError: unknown;
        try {
          await writer.stop();
        } catch (err) {
          stopError = err;
        }
        let witnessError: unknown;
        await checkpointer?.stop().catch((err: unknown) => {
          // The witness refusing the last checkpoint is the caller's to know; other problems were reported as they happened.
          if (err instanceof AuditError) witnessError = err;
          options.onError?.(err);
        });
        await options.closeStore();
        if (stopError) throw stopError;
        if (witnessError) throw witnessError;
      })();
      return closed;
    },
  };
}
