import type { AuditFailurePolicy } from './audit-event.js';
import { SaferouteError } from '../errors.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import { checkpointHashProblem, checkpointLine, isCheckpointShape, type AuditCheckpoint } from './audit-checkpoint.js';
import type { AuditCheckpointOptions, AuditSink, GroupCommitOptions } from './audit-sink.js';
import { describeError, startChainWriter } from './chain-writer.js';
import type { CheckpointStore } from './checkpointer.js';
import { checkpointSigningOf, startSinkOver } from './sink-over.js';
import type { PgPoolLike } from '../db/pg-pool-like.js';
import { createPgChainStore } from './pg-chain-store.js';
import { ensureAuditPartitions } from './pg-partitions.js';
import { auditPgTables, poolOf, type AuditPgConnection, type AuditPgTables } from './pg-tables.js';
import { isValidWriterId } from './segment-files.js';
import { archivePolicyPg } from './policy-archive.js';

const PARTITION_CHECK_MS = 60 * 60 * 1000;

export interface PgAuditSinkOptions extends AuditPgConnection {
  /** Unique per gateway instance and stable across its restarts (each restart is a new epoch). */
  writerId: string;
  failurePolicy?: AuditFailurePolicy;
  groupCommit?: GroupCommitOptions;
  checkpoint?: AuditCheckpointOptions;
  clock?: () => number;
  onError?: (err: unknown) => void;
  /**
   * `fail-closed`: after a failure (the database went away), every append rejects — the engine
   * blocks with `audit_failed` and `health().status` is `failed` — and the sink tries a new session
   * this often, accepting records again once it works. Default 1000 ms; `Infinity`: never (restart
   * the sink).
   */
  retryAfterFailureMs?: number;
}


/**
 * The sink for several gateway instances: one table, one chain per writer and epoch, the same
 * record format as the files (`body` holds the hashed canonical JSON; a large batch is stored in
 * packed rows of several records each, see `pg-packed-rows.ts`). Group commit is one
 * `COPY` per batch in its own transaction; the next batch is copied while the previous one
 * commits, commits follow the chain order, and a record is acknowledged once its batch has
 * committed (see `createPgChainStore`). A session advisory lock keeps two live processes from
 * writing as the same writer.
 */
export async function createPgAuditSink(options: PgAuditSinkOptions): Promise<AuditSink> {
  const { writerId } = options;
  if (!isValidWriterId(writerId)) throw new AuditConfigError(`the audit writer id \`${writerId}\` is not valid`);
  const failurePolicy = options.failurePolicy ?? 'fail-closed';
  const clock = options.clock ?? Date.now;
  const tables = auditPgTables(options.schema);
  const signing = options.checkpoint ? checkpointSigningOf(options.checkpoint) : undefined;
  const { pool, owned } = poolOf(options, 5);
  // One connection holds the writer's lock for as long as the sink is open; batches need others.
  const poolMax = (pool as { options?: { max?: unknown } }).options?.max;
  if (typeof poolMax === 'number' && poolMax < 2) {
    throw new AuditConfigError(`the pool given to audit writer \`${writerId}\` allows ${poolMax} connection; the sink needs at least 2 (one holds the writer's lock) — give it a pool with max ≥ 2, or a connectionString`);
  }
  // Monthly partitions (when the table is partitioned) for this month and the next, now and hourly.
  const partitionProblems = (problems: string[]): void => {
    for (const p of problems) options.onError?.(new AuditError(p));
  };
  try {
    partitionProblems(await ensureAuditPartitions(pool, tables, new Date(clock())));
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw new AuditError(`cannot start audit writer \`${writerId}\` in PostgreSQL: ${describeError(err)}`, { cause: err });
  }
  const partitionTimer = setInterval(() => {
    ensureAuditPartitions(pool, tables, new Date(clock())).then(partitionProblems, (err: unknown) => options.onError?.(err));
  }, PARTITION_CHECK_MS);
  partitionTimer.unref();
  const store = createPgChainStore(pool, tables, writerId);
  const writer = await startChainWriter({
    writerId,
    store,
    failurePolicy,
    ...(options.groupCommit ? { groupCommit: options.groupCommit } : {}),
    clock,
    ...(Number.isFinite(options.retryAfterFailureMs ?? 1000) ? { retryAfterFailureMs: options.retryAfterFailureMs ?? 1000 } : {}),
    startInfo: signing ? { checkpointKeyId: signing.keyId } : {},
    describeError: (err) => `cannot write to PostgreSQL: ${describeError(err)}`,
  }).catch(async (err: unknown) => {
    clearInterval(partitionTimer);
    await store.close().catch(() => undefined);
    if (owned) await pool.end().catch(() => undefined);
    if (err instanceof SaferouteError) throw err;
    throw new AuditError(`cannot start audit writer \`${writerId}\` in PostgreSQL: ${describeError(err)}`, { cause: err });
  });

  const checkpoints =
    signing && options.checkpoint ? { signing, options: options.checkpoint, store: (epoch: number) => createPgCheckpointStore(pool, tables, writerId, epoch), clock } : undefined;
  const sink = await startSinkOver(writer, checkpoints, {
    sink: 'pg',
    failurePolicy,
    closeStore: async () => {
      clearInterval(partitionTimer);
      await store.close();
      if (owned) await pool.end();
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  sink.archivePolicy = (policy) => archivePolicyPg(pool, tables, policy);
  return sink;
}

function createPgCheckpointStore(pool: PgPoolLike, tables: AuditPgTables, writerId: string, epoch: number): CheckpointStore {
  return {
    async previous() {
      const res = await pool.query<{ epoch: number; body: string }>(
        `SELECT epoch, body FROM ${tables.checkpoints} WHERE checkpointer = $1 AND epoch < $2 ORDER BY epoch DESC, n DESC LIMIT 1`,
        [writerId, epoch],
      );
      const row = res.rows[0];
      if (!row) return {};
      try {
        const parsed: unknown = JSON.parse(row.body);
        if (isCheckpointShape(parsed) && !checkpointHashProblem(parsed)) return { checkpoint: parsed };
      } catch {
        // reported below
      }
      return { unreadable: { epoch: row.epoch, reason: 'the last checkpoint row is not an intact checkpoint' } };
    },
    async append(checkpoint: AuditCheckpoint) {
      await pool.query(`INSERT INTO ${tables.checkpoints} (checkpointer, epoch, n, ts, hash, body) VALUES ($1, $2, $3, $4, $5, $6)`, [
        writerId,
        epoch,
        checkpoint.n,
        checkpoint.ts,
        checkpoint.hash,
        checkpointLine(checkpoint),
      ]);
    },
    async close() {},
  };
}
