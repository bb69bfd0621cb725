import type { AuditFailurePolicy, PreviousEpochHead } from './audit-event.js';
import { SaferouteError } from '../errors.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import { checkpointHashProblem, checkpointLine, isCheckpointShape, type AuditCheckpoint } from './audit-checkpoint.js';
import { hashedBytesOf } from './audit-record.js';
import type { AuditCheckpointOptions, AuditSink, GroupCommitOptions } from './audit-sink.js';
import type { ChainHead, ChainStore, ChainStoreOpened, StoreWrite } from './chain-store.js';
import type { SealedBatch } from './record-encoder.js';
import { describeError, startChainWriter } from './chain-writer.js';
import type { CheckpointStore } from './checkpointer.js';
import { checkpointSigningOf, startSinkOver } from './sink-over.js';
import type { PgClientLike, PgPoolLike } from '../db/pg-pool-like.js';
import { auditPgTables, poolOf, type AuditPgConnection, type AuditPgTables } from './pg-tables.js';
import { isValidWriterId } from './segment-files.js';
import { archivePolicyPg } from './policy-archive.js';

export interface PgAuditSinkOptions extends AuditPgConnection {
  /** Unique per gateway instance and stable across its restarts (each restart is a new epoch). */
  writerId: string;
  failurePolicy?: AuditFailurePolicy;
  groupCommit?: GroupCommitOptions;
  checkpoint?: AuditCheckpointOptions;
  clock?: () => number;
  onError?: (err: unknown) => void;
}

// First key of the advisory lock pair: "saferoute audit"; the second is the writer id's hash.
const ADVISORY_LOCK_CLASS = 0x5afe_a0d;
const NOTHING_TO_UNDO: StoreWrite = { undo: async () => undefined };

/**
 * The sink for several gateway instances: one table, one chain per writer and epoch, the same
 * record format as the files (`body` holds the hashed canonical JSON). Group commit is one
 * multi-row INSERT per batch; a record is acknowledged once its INSERT has committed. A session
 * advisory lock keeps two live processes from writing as the same writer.
 */
export async function createPgAuditSink(options: PgAuditSinkOptions): Promise<AuditSink> {
  const { writerId } = options;
  if (!isValidWriterId(writerId)) throw new AuditConfigError(`the audit writer id \`${writerId}\` is not valid`);
  const failurePolicy = options.failurePolicy ?? 'fail-closed';
  const clock = options.clock ?? Date.now;
  const tables = auditPgTables(options.schema);
  const signing = options.checkpoint ? checkpointSigningOf(options.checkpoint) : undefined;
  const { pool, owned } = poolOf(options, 2);
  const store = createPgChainStore(pool, tables, writerId);
  const writer = await startChainWriter({
    writerId,
    store,
    failurePolicy,
    ...(options.groupCommit ? { groupCommit: options.groupCommit } : {}),
    clock,
    startInfo: signing ? { checkpointKeyId: signing.keyId } : {},
    describeError: (err) => `cannot write to PostgreSQL: ${describeError(err)}`,
  }).catch(async (err: unknown) => {
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
      await store.close();
      if (owned) await pool.end();
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  sink.archivePolicy = (policy) => archivePolicyPg(pool, tables, policy);
  return sink;
}

function createPgChainStore(pool: PgPoolLike, tables: AuditPgTables, writerId: string): ChainStore {
  let client: PgClientLike | undefined;
  let broken = false;
  let epoch = 0;
  const insertName = `saferoute_audit_insert_${simpleHash(tables.events)}`;

  async function connect(): Promise<PgClientLike> {
    const c = await pool.connect();
    broken = false;
    c.on('error', () => {
      broken = true;
    });
    const locked = await c
      .query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [ADVISORY_LOCK_CLASS, writerId])
      .catch((err: unknown) => {
        c.release(true);
        throw err;
      });
    if (!locked.rows[0]?.locked) {
      c.release(true);
      throw new AuditError(`audit writer \`${writerId}\` is in use by another PostgreSQL session; give each gateway instance its own writerId`);
    }
    return c;
  }

  async function readHead(c: PgClientLike, ofEpoch?: number): Promise<{ epoch: number; seq: number; hash: string; ts: string } | undefined> {
    const res = await c.query<{ epoch: number; seq: string; hash: string; body: string }>(
      `SELECT epoch, seq, hash, body FROM ${tables.events} WHERE writer_id = $1 ${ofEpoch !== undefined ? 'AND epoch = $2' : ''}
       ORDER BY epoch DESC, seq DESC LIMIT 1`,
      ofEpoch !== undefined ? [writerId, ofEpoch] : [writerId],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    let ts = '';
    try {
      ts = String((JSON.parse(row.body) as { ts?: unknown }).ts ?? '');
    } catch {
      // The verifier reports a corrupt body; the chain still links to the stored hash.
    }
    return { epoch: row.epoch, seq: Number(row.seq), hash: row.hash, ts };
  }

  return {
    kind: 'pg',
    async open(): Promise<ChainStoreOpened> {
      client = await connect();
      const last = await readHead(client);
      epoch = (last?.epoch ?? 0) + 1;
      const previous: PreviousEpochHead | null = last ? { epoch: last.epoch, seq: last.seq, hash: last.hash, ts: last.ts } : null;
      return { epoch, previous };
    },
    // Each batch is one INSERT in its own transaction: durable once it returns, nothing to sync or undo.
    async write(batch: SealedBatch): Promise<StoreWrite> {
      if (!client || broken) throw new AuditError('the PostgreSQL audit connection is broken');
      const cols: [number[], string[], string[], (string | null)[], string[], string[], string[]] = [[], [], [], [], [], [], []];
      batch.records.forEach((r, i) => {
        cols[0].push(r.seq);
        cols[1].push(r.ts);
        cols[2].push(r.kind);
        cols[3].push(r.decisionId ?? null);
        cols[4].push(r.prev);
        cols[5].push(r.hash);
        cols[6].push(hashedBytesOf(batch.line(i)));
      });
      await client.query({
        name: insertName,
        text: `INSERT INTO ${tables.events} (writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body)
               SELECT $1, $2, u.seq, u.ts, u.kind, u.decision_id, u.prev, u.hash, u.body
               FROM unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[])
                 AS u(seq, ts, kind, decision_id, prev, hash, body)`,
        values: [writerId, epoch, ...cols],
      });
      return NOTHING_TO_UNDO;
    },
    sync: () => Promise.resolve(),
    async recover(head: ChainHead | undefined): Promise<ChainHead | null> {
      if (client) {
        client.release(true);
        client = undefined;
      }
      client = await connect();
      const actual = await readHead(client, epoch);
      if (actual && (!head || actual.seq > head.seq)) return { seq: actual.seq, hash: actual.hash, ts: actual.ts };
      return null;
    },
    async close() {
      const c = client;
      client = undefined;
      if (!c) return;
      if (broken) {
        c.release(true);
        return;
      }
      await c.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [ADVISORY_LOCK_CLASS, writerId]).catch(() => undefined);
      c.release();
    },
  };
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

function simpleHash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
