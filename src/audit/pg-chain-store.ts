import { createHash } from 'node:crypto';
import type { PreviousEpochHead } from './audit-event.js';
import { AuditError } from './audit-error.js';
import type { ChainHead, ChainStore, ChainStoreOpened, StoreWrite } from './chain-store.js';
import { AUDIT_COPY_COLUMNS, AUDIT_PACKED_COPY_COLUMNS, createCopyBuffers, pgCopyBinary } from './pg-copy-binary.js';
import { hasPackedColumns, lastSeqOfRow, PACKED_ROW_MAX_SPAN_MS } from './pg-packed-rows.js';
import { pipelinedCopy } from './pg-pipelined-copy.js';
import { hashedBytesOf, type SealedRecord } from './audit-record.js';
import type { SealedBatch } from './record-encoder.js';
import type { PgClientLike, PgPoolLike } from '../db/pg-pool-like.js';
import type { AuditPgTables } from './pg-tables.js';

// First key of the advisory lock pair: "saferoute audit"; the second is the writer id's hash.
export const ADVISORY_LOCK_CLASS = 0x5afe_a0d;

/**
 * A batch's transaction: one message in its own implicit transaction (see `write`), committed
 * when `copied` resolves and rolled back when it rejects.
 */
interface BatchTx {
  client: PgClientLike;
  copied: Promise<void>;
  state: 'open' | 'committing' | 'committed' | 'rolled-back';
  /** The server answered: committed, or rolled back (`failed`). */
  settled: boolean;
  failed?: true;
  /** The transaction-level advisory lock it holds until it ends (none for a short INSERT). */
  lockKey?: string;
  /**
   * Settles once the server holds `lockKey` for it (or it has ended): a later batch's message is
   * sent only then, or its server might ask for the lock before this batch's backend took it —
   * it would find the lock free and this batch not stored yet, and fail.
   */
  locked: Promise<void>;
  /** Its last record, which the next batch's message checks is stored before that batch commits. */
  last: { seq: number; hash: string; ts: string };
}

/**
 * A batch at most this long, written while no other batch is uncommitted, goes as one multi-row
 * INSERT (its own transaction) rather than a COPY: a lone writer's batches are this short.
 */
const SINGLE_STATEMENT_MAX = 8;

/**
 * A batch of at least this many records is written in packed rows of `PACK_RECORDS` records each
 * (see `pg-packed-rows.ts`), when the table has their columns. Smaller batches — a writer that is
 * not busy — stay one row per record. Measured on a 2-core machine, one COPY of 128 records, the
 * server's CPU per record: 12–17 µs in rows of one, 5–6 µs in rows of 8 (the body compressed
 * inline with lz4, 289 bytes stored per record instead of 1,719), 11–14 µs in rows of 16 (whose
 * compressed body no longer fits in the row and goes out to TOAST), 21–23 µs in one row per batch.
 */
const PACK_MIN_BATCH = 32;
const PACK_RECORDS = 8;

/** Key space of the batches' transaction locks: `pg_advisory_xact_lock(bigint)` (the writer lock is the (int, int) form, a separate key space). */
function batchLockBase(writerId: string): bigint {
  return BigInt(createHash('sha256').update(writerId).digest().readInt32BE(0)) << 32n;
}

/** How long `recover` waits for a lost session's advisory lock to be freed by the server. */
const RELOCK_WAIT_MS = 3000;

class WriterInUseError extends AuditError {}

/**
 * Pool connections given a no-op 'error' listener, across stores: one pool outlives many sinks (a
 * test, a benchmark), and a listener per store and connection piled up past Node's warning limit.
 */
const watched = new WeakSet<PgClientLike>();

/**
 * The 'error' listener a store put on the connection holding its writer's lock, taken off when it
 * hands that connection back to the pool: a pool shared by sink after sink (a gateway reopening
 * its sink, a test) gathered one per sink on the same connection, past Node's warning limit.
 */
const lockListeners = new WeakMap<PgClientLike, (err: Error) => void>();

/**
 * The PostgreSQL chain store. One session holds the writer's advisory lock for as long as the
 * store is open; each batch is one binary `COPY … FROM STDIN` (`pgCopyBinary`) on a connection
 * from the pool, sent with its data as one message (`pipelinedCopy`: one round trip) that is its
 * own implicit transaction. `write` sends it and returns without waiting for the server; `sync`
 * waits for its answer, which comes once it has committed. So several batches are copied at once
 * on their own connections (the server's COPY of a batch is slow: one COPY at a time kept the
 * writer at two thirds of the records per second), and the server, not this process, keeps their
 * commits in chain order: each batch's message takes a transaction-level advisory lock of its
 * own first, and a batch written while an earlier one had not answered yet ends its message — after
 * its COPY — by waiting for that batch's lock (held until that batch's transaction has ended, its
 * commit flushed) and then checking that that batch's last record is in the table. When it is
 * not (that batch failed), the check fails and this batch is rolled back too, and so is every
 * batch after it, in turn. Before, this process sent each COMMIT once the previous one had
 * answered: two event-loop turns and a round trip between consecutive commits (measured with 256
 * writers on a loaded 2-core machine: batches of 128 waited a median 3.3 ms after their COPY for
 * the previous commit's answer, then 6.0 ms for their own COMMIT). A batch is one transaction, so it is never half-visible, and
 * the committed rows are always a gap-free prefix of the chain. A short batch written while
 * every earlier one has answered goes as one multi-row INSERT (it takes no lock: a batch written
 * while it runs waits for its answer before sending).
 */
export function createPgChainStore(pool: PgPoolLike, tables: AuditPgTables, writerId: string): ChainStore {
  let lock: PgClientLike | undefined;
  let lockLost: Error | undefined;
  let epoch = 0;
  /** Written and not yet claimed by a `sync`, in chain order. */
  let unclaimed: BatchTx[] = [];
  /** Every commit so far, in order; a commit starts once this settles. */
  let commits: Promise<void> = Promise.resolve();
  /** A commit failed: no later batch counts as committed until `recover`. */
  let commitFailure: unknown;
  /** The batch written last (the next batch's message waits for it when it has not answered). */
  let lastTx: BatchTx | undefined;
  const lockBase = batchLockBase(writerId);
  let lockCounter = 0;
  const quotedWriter = `'${writerId.replaceAll("'", "''")}'`;
  const copySql = `COPY ${tables.events} ${AUDIT_COPY_COLUMNS} FROM STDIN (FORMAT binary)`;
  const packedCopySql = `COPY ${tables.events} ${AUDIT_PACKED_COPY_COLUMNS} FROM STDIN (FORMAT binary)`;
  /** The table has the columns of packed rows (migration 0120): a large batch is written packed. */
  let packing = false;
  const copyBuffers = createCopyBuffers();

  async function lockWriter(): Promise<PgClientLike> {
    const c = await pool.connect();
    lockLost = undefined;
    const onError = (err: Error): void => {
      if (lock === c) lockLost = err;
    };
    c.on('error', onError);
    lockListeners.set(c, onError);
    const locked = await c
      .query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [ADVISORY_LOCK_CLASS, writerId])
      .catch((err: unknown) => {
        c.release(true);
        throw err;
      });
    if (!locked.rows[0]?.locked) {
      c.release(true);
      throw new WriterInUseError(`audit writer \`${writerId}\` is in use by another PostgreSQL session; give each gateway instance its own writerId (\`audit.writerId\` in its config, or SAFEROUTE_AUDIT_WRITER_ID)`);
    }
    return c;
  }

  async function sessionAlive(c: PgClientLike): Promise<boolean> {
    if (lockLost) return false;
    try {
      await c.query('SELECT 1');
      return !lockLost;
    } catch {
      return false;
    }
  }

  /**
   * Locks the writer again after its session was lost. The server frees the advisory lock only
   * when the dead session's backend exits, which may take a moment after the client saw it go:
   * "in use" is retried for a while (another instance that really holds the writer id still
   * fails, after the wait).
   */
  async function relockWriter(): Promise<PgClientLike> {
    const deadline = Date.now() + RELOCK_WAIT_MS;
    for (;;) {
      try {
        return await lockWriter();
      } catch (err) {
        if (!(err instanceof WriterInUseError) || Date.now() >= deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async function readHead(c: PgClientLike, ofEpoch?: number): Promise<{ epoch: number; seq: number; hash: string; ts: string } | undefined> {
    const res = await c.query<{ epoch: number; seq: string; hash: string; body: string; records: number }>(
      `SELECT epoch, seq, hash, body, ${packing ? 'records' : '1 AS records'} FROM ${tables.events} WHERE writer_id = $1 ${ofEpoch !== undefined ? 'AND epoch = $2' : ''}
       ORDER BY epoch DESC, seq DESC LIMIT 1`,
      ofEpoch !== undefined ? [writerId, ofEpoch] : [writerId],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    // A packed row's last line is its last record (its hash is the row's `hash`).
    const last = row.records > 1 ? row.body.slice(row.body.lastIndexOf('\n') + 1) : row.body;
    let ts = '';
    try {
      ts = String((JSON.parse(last) as { ts?: unknown }).ts ?? '');
    } catch {
      // The verifier reports a corrupt body; the chain still links to the stored hash.
    }
    return { epoch: row.epoch, seq: lastSeqOfRow(row), hash: row.hash, ts };
  }

  function assertUsable(): void {
    if (!lock) throw new AuditError(`audit writer \`${writerId}\` is not open`);
    if (lockLost) throw new AuditError(`the PostgreSQL session holding audit writer \`${writerId}\` was lost: ${lockLost.message}`, { cause: lockLost });
    if (commitFailure !== undefined) throw commitFailure;
  }

  async function batchClient(): Promise<PgClientLike> {
    const c = await pool.connect();
    if (!watched.has(c)) {
      watched.add(c);
      // Reported by the query in flight; without a listener a lost connection would crash the process.
      c.on('error', () => undefined);
    }
    return c;
  }

  /**
   * Undoes a batch whose `sync` failed or never ran: its message cannot be called back, so this
   * waits for its answer. When it committed all the same (its predecessor's failure was only the
   * client's — an answer lost with its connection), `recover` reads the head from the table and
   * the chain goes on from there.
   */
  async function rollback(tx: BatchTx): Promise<void> {
    if (tx.state !== 'open') return;
    tx.state = 'rolled-back';
    const ok = await tx.copied.then(
      () => true,
      () => false,
    );
    tx.client.release(ok ? undefined : true);
  }

  async function commit(tx: BatchTx): Promise<void> {
    if (tx.state !== 'open') throw new AuditError(`an audit batch of writer \`${writerId}\` was rolled back before its commit`);
    tx.state = 'committing';
    try {
      // A batch the server refused (or rolled back because the batch before it was not stored)
      // fails here: it and every batch written after it fail, and none of them is acknowledged.
      if (commitFailure !== undefined) throw commitFailure;
      await tx.copied;
      if (lockLost) throw new AuditError(`the PostgreSQL session holding audit writer \`${writerId}\` was lost: ${lockLost.message}`, { cause: lockLost });
    } catch (err) {
      commitFailure ??= err;
      tx.state = 'rolled-back';
      tx.client.release(true);
      throw err;
    }
    tx.state = 'committed';
    tx.client.release();
  }

  /**
   * The end of a batch's message when `pred` had not answered when it was written: wait until
   * `pred`'s transaction has ended (its lock is freed only after its commit is flushed), then fail
   * unless `pred`'s last record is stored. A new statement, so it sees what committed meanwhile.
   * The failure is a cast of the explanation to integer: a constant error would be raised when the
   * statement is planned, whatever the check finds.
   */
  function afterPredecessor(pred: BatchTx): string {
    const { seq, hash, ts } = pred.last;
    const tsMs = Date.parse(ts);
    // (A timestamp that does not parse failed that batch already; the check then finds nothing.)
    const within = Number.isFinite(tsMs) ? ` AND ts BETWEEN '${new Date(tsMs - PACKED_ROW_MAX_SPAN_MS).toISOString()}' AND '${new Date(tsMs).toISOString()}'` : '';
    const wait = pred.lockKey !== undefined ? `; SELECT pg_advisory_xact_lock_shared(${pred.lockKey})` : '';
    // The last record's row: its `hash` is that record's, it starts at most PACK_RECORDS - 1
    // records before it and at most PACKED_ROW_MAX_SPAN_MS earlier (the ts bounds prune partitions).
    return (
      `${wait}; SELECT (CASE WHEN EXISTS (SELECT 1 FROM ${tables.events} WHERE writer_id = ${quotedWriter} AND epoch = ${epoch}` +
      ` AND seq BETWEEN ${Math.max(0, seq - (PACK_RECORDS - 1))} AND ${seq}${within} AND hash = '${hash.replaceAll("'", "''")}')` +
      ` THEN '0' ELSE 'audit writer ${writerId}: the batch before seq ${seq + 1} was not stored' END)::int`
    );
  }

  return {
    kind: 'pg',
    async open(): Promise<ChainStoreOpened> {
      lock = await lockWriter();
      try {
        packing = await hasPackedColumns(lock, tables.events);
        const last = await readHead(lock);
        epoch = (last?.epoch ?? 0) + 1;
        const previous: PreviousEpochHead | null = last ? { epoch: last.epoch, seq: last.seq, hash: last.hash, ts: last.ts } : null;
        return { epoch, previous };
      } catch (err) {
        lock.release(true);
        lock = undefined;
        throw err;
      }
    },
    async write(batch): Promise<StoreWrite> {
      assertUsable();
      // The batch before this one, unless it has committed: this batch commits only after it has
      // (and, when it failed, fails too — in chain order, as the writer expects).
      const pred = lastTx && !(lastTx.settled && !lastTx.failed) ? lastTx : undefined;
      let buffer: Buffer | undefined;
      const packed = packing && batch.records.length >= PACK_MIN_BATCH;
      const insert = !pred && batch.records.length <= SINGLE_STATEMENT_MAX;
      const payload = insert
        ? insertStatement(tables.events, writerId, epoch, batch)
        : pgCopyBinary(writerId, epoch, batch, (size) => (buffer = copyBuffers.take(size)), packed ? PACK_RECORDS : 1);
      let lockKey: string | undefined;
      let sql = '';
      if (!insert) {
        lockKey = BigInt.asIntN(64, lockBase + BigInt(lockCounter)).toString();
        lockCounter = (lockCounter + 1) >>> 0;
        sql = `SELECT pg_advisory_xact_lock(${lockKey}); ${packed ? packedCopySql : copySql}${pred ? afterPredecessor(pred) : ''}`;
      }
      let client: PgClientLike;
      try {
        client = await batchClient();
      } catch (err) {
        if (buffer) copyBuffers.give(buffer);
        throw err;
      }
      const sent = buffer ? () => copyBuffers.give(buffer as Buffer) : undefined;
      let onLocked: () => void = () => undefined;
      const locked = new Promise<void>((resolve) => (onLocked = resolve));
      const send = (): Promise<unknown> => (Buffer.isBuffer(payload) ? pipelinedCopy(client, sql, payload, sent, onLocked) : client.query(payload.text, payload.values));
      // One message, sent at once; the server runs it while the writer seals the next batch. It
      // waits for its predecessor's lock to be taken (almost always done by now), or, when the
      // predecessor holds none (a short INSERT), for its answer.
      const copied = (!pred ? send() : pred.lockKey === undefined ? pred.copied.then(send, send) : pred.locked.then(send)).then(() => undefined);
      // Settled either way: a batch that ended holds no lock any more.
      copied.then(onLocked, onLocked);
      const lastRecord = batch.records[batch.records.length - 1] as SealedRecord;
      const tx: BatchTx = { client, copied, locked, state: 'open', settled: false, last: { seq: lastRecord.seq, hash: lastRecord.hash, ts: lastRecord.ts }, ...(lockKey !== undefined ? { lockKey } : {}) };
      copied.then(
        () => {
          tx.settled = true;
        },
        () => {
          tx.settled = true;
          tx.failed = true;
        },
      );
      unclaimed.push(tx);
      lastTx = tx;
      return { undo: () => rollback(tx) };
    },
    sync(): Promise<void> {
      const claimed = unclaimed;
      unclaimed = [];
      const done = commits.then(async () => {
        for (const tx of claimed) await commit(tx);
      });
      commits = done.catch(() => undefined);
      return done;
    },
    async recover(head: ChainHead | undefined): Promise<ChainHead | null> {
      await commits;
      for (const tx of unclaimed.splice(0)) await rollback(tx);
      // A failed batch does not mean a lost lock: the session that holds it goes on holding it.
      // Dropping it and locking again raced the server, whose old backend (and its advisory lock)
      // outlives the client's close for a moment: the writer then found itself "in use".
      lastTx = undefined;
      if (!lock || !(await sessionAlive(lock))) {
        lock?.release(true);
        lock = undefined;
        lock = await relockWriter();
      }
      commitFailure = undefined;
      const actual = await readHead(lock, epoch);
      if (actual && (!head || actual.seq > head.seq)) return { seq: actual.seq, hash: actual.hash, ts: actual.ts };
      return null;
    },
    async close() {
      await commits;
      for (const tx of unclaimed.splice(0)) await rollback(tx);
      const c = lock;
      lock = undefined;
      if (!c) return;
      if (lockLost) {
        c.release(true);
        return;
      }
      await c.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [ADVISORY_LOCK_CLASS, writerId]).then(
        () => {
          const onError = lockListeners.get(c);
          if (onError) c.removeListener?.('error', onError);
          lockListeners.delete(c);
          c.release();
        },
        () => c.release(true),
      );
    },
  };
}

/** A short batch as one multi-row INSERT with parameters (the same columns and values as the COPY). */
function insertStatement(table: string, writerId: string, epoch: number, batch: SealedBatch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const rows: string[] = [];
  batch.records.forEach((r, i) => {
    const at = values.length;
    values.push(writerId, epoch, r.seq, r.ts, r.kind, r.decisionId ?? null, r.prev, r.hash, hashedBytesOf(batch.line(i)));
    rows.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8}, $${at + 9})`);
  });
  return { text: `INSERT INTO ${table} ${AUDIT_COPY_COLUMNS} VALUES ${rows.join(', ')}`, values };
}
