import type { AuditFailurePolicy } from './audit-event.js';
import { AuditError } from './audit-error.js';
import type { AuditSink, AuditSinkHealth } from './audit-sink.js';

export interface SpreadAuditSinkOptions {
  failurePolicy: AuditFailurePolicy;
  /** After every sink has closed (e.g. ends the pool they shared). */
  afterClose?: () => Promise<void>;
}

/**
 * One sink over several, each writing its own chain (its own writer id, lock, epoch and
 * checkpoints): records are dealt out in turn, and each is acknowledged by the sink that made it
 * durable (`ack.writer` names the chain). One chain's batches must commit one after another —
 * a batch may only become durable after the batch it links to — so one chain waits on one commit
 * at a time; several chains commit at once, and the database flushes their commits together.
 *
 * Fail closed as a whole: once any chain refuses a record in `fail-closed` mode, every append is
 * refused until every chain is healthy again (each retries on its own), so a decision is never
 * let through because it happened to land on a working chain while another one had failed.
 */
export function spreadAuditSink(writerId: string, sinks: readonly AuditSink[], options: SpreadAuditSinkOptions): AuditSink {
  if (sinks.length === 0) throw new AuditError(`audit writer \`${writerId}\` has no chains`);
  let turn = 0;
  let failure: unknown;
  let closed: Promise<void> | undefined;

  function stillFailed(): unknown {
    if (failure === undefined) return undefined;
    const failed = sinks.map((s) => s.health()).find((h) => h.status === 'failed' || h.status === 'closed');
    if (!failed) failure = undefined;
    return failure;
  }

  return {
    writerId,
    failurePolicy: options.failurePolicy,
    append(body) {
      if (closed) return Promise.reject(new AuditError(`audit writer \`${writerId}\` is closed`));
      const refused = stillFailed();
      if (refused !== undefined) return Promise.reject(refused);
      const sink = sinks[turn] as AuditSink;
      turn = turn + 1 === sinks.length ? 0 : turn + 1;
      const ack = sink.append(body);
      if (options.failurePolicy === 'fail-closed') {
        ack.catch((err: unknown) => {
          failure ??= err;
        });
      }
      return ack;
    },
    health() {
      const chains = sinks.map((s) => s.health());
      const first = chains[0] as AuditSinkHealth;
      const failed = chains.find((h) => h.status === 'failed');
      const status: AuditSinkHealth['status'] = chains.every((h) => h.status === 'closed')
        ? 'closed'
        : failed || chains.some((h) => h.status === 'closed') || (failure !== undefined && options.failurePolicy === 'fail-closed')
          ? 'failed'
          : chains.some((h) => h.status === 'degraded')
            ? 'degraded'
            : 'ok';
      const problem = chains.find((h) => h.failure !== undefined)?.failure ?? (failure instanceof Error ? failure.message : undefined);
      return {
        status,
        sink: first.sink,
        writer: writerId,
        epoch: first.epoch,
        failurePolicy: options.failurePolicy,
        queued: chains.reduce((n, h) => n + h.queued, 0),
        lostRecords: chains.reduce((n, h) => n + h.lostRecords, 0),
        ...(problem !== undefined ? { failure: problem } : {}),
        chains,
      };
    },
    ...(sinks[0]?.archivePolicy ? { archivePolicy: (policy) => (sinks[0] as Required<AuditSink>).archivePolicy(policy) } : {}),
    close() {
      closed ??= (async () => {
        const results = await Promise.allSettled(sinks.map((s) => s.close()));
        await options.afterClose?.();
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (rejected) throw rejected.reason;
      })();
      return closed;
    },
  };
}
