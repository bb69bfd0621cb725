import type { PreviousEpochHead } from './audit-event.js';
import { AuditError } from './audit-error.js';
import type { ChainHead, ChainStore, ChainStoreOpened, StoreWrite } from './chain-store.js';
import { AUDIT_COPY_COLUMNS, AUDIT_PACKED_COPY_COLUMNS, createCopyBuffers, pgCopyBinary } from './pg-copy-binary.js';
import { hasPackedColumns, lastSeqOfRow } from './pg-packed-rows.js';
import { pipelinedCopy } from './pg-pipelined-copy.js';
import { hashedBytesOf } from './audit-record.js';
import type { SealedBatch } from './record-encoder.js';
import type { PgClientLike, PgPoolLike } from '../db/pg-pool-like.js';
import type { AuditPgTables } from './pg-tables.js';

// First key of the advisory lock pair: "saferoute audit"; the second is the writer id's hash.
export const ADVISORY_LOCK_CLASS = 0x5afe_a0d;

/**
 * A batch's transaction: open (its COPY sent, perhaps still running) until `sync` commits it or
 * `undo` rolls it back. `copied` settles when the server has taken the COPY (or refused it).
 */
interface BatchTx {
  client: PgClientLike;
  copied: Promise<void>;
  state: 'open' | 'committing' | 'committed' | 'rolled-back';
  /** One statement (COPY or INSERT) in its own implicit transaction: committed once `copied` settles (see `write`). */
  single?: true;
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
 * from the pool, sent with its data as one message (`pipelinedCopy`: one round trip). `write`
 * sends it and returns without waiting for the server to take it; `sync` waits for that, then
 * commits. So several batches are copied at once on their own connections (the server's COPY of
 * a batch, not its commit, is the slow part: one COPY at a time kept the writer at two thirds of
 * the records per second), and commits run strictly in chain order: a batch commits only after
 * every batch before it has, and once one commit fails, no later batch commits (each is rolled
 * back by the writer's `undo`). A batch is one transaction, so it is never half-visible, and the
 * committed rows are always a gap-free prefix of the chain. A batch written while every earlier
 * one has committed needs no place in that order: its COPY runs in its own implicit transaction
 * and commits with it (no COMMIT round trip), or, when short, it goes as one multi-row INSERT.
 */
export function createPgChainStore(pool: PgPoolLike, tables: AuditPgTables, writerId: string): ChainStore {
  let lock: PgClientLike | undefined;
  let lockLost: Error | undefined;
  let epoch = 0;
  /** Written and not yet claimed by a `sync`, in chain order. */
  let unclaimed: BatchTx[] = [];
  /** Every commit so far, in order; a commit starts once this settles. */
  let commits: Promise<void> = Promise.resolve();
  /** A commit failed: nothing commits after it until `recover`. */
  let commitFailure: unknown;
  /** Batches written and neither committed nor rolled back. */
  let uncommitted = 0;
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

  async function rollback(tx: BatchTx): Promise<void> {
    if (tx.state !== 'open') return;
    tx.state = 'rolled-back';
    try {
      await tx.copied.catch(() => undefined);
      // A single statement is written only when nothing before it is uncommitted, so no earlier
      // failure can ask to undo it; were its rows committed all the same, `recover` reads the
      // head from the table and the chain goes on from there.
      if (!tx.single) await tx.client.query('ROLLBACK');
      tx.client.release();
    } catch {
      tx.client.release(true);
    } finally {
      uncommitted--;
    }
  }

  async function commit(tx: BatchTx): Promise<void> {
    if (tx.state !== 'open') throw new AuditError(`an audit batch of writer \`${writerId}\` was rolled back before its commit`);
    if (commitFailure !== undefined) throw commitFailure;
    if (lockLost) throw new AuditError(`the PostgreSQL session holding audit writer \`${writerId}\` was lost: ${lockLost.message}`, { cause: lockLost });
    tx.state = 'committing';
    try {
      // A COPY the server refused fails the batch here, as a failed commit: it and every batch
      // written after it are undone, and none of them was acknowledged.
      await tx.copied;
      if (!tx.single) await tx.client.query('COMMIT');
    } catch (err) {
      commitFailure = err;
      tx.state = 'rolled-back';
      tx.client.release(true);
      uncommitted--;
      throw err;
    }
    tx.state = 'committed';
    tx.client.release();
    uncommitted--;
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
      // With every earlier batch committed, nothing can ask to undo this one: it commits on its
      // own, in its statement's implicit transaction, and saves the COMMIT round trip.
      const single = uncommitted === 0;
      let buffer: Buffer | undefined;
      const packed = packing && batch.records.length >= PACK_MIN_BATCH;
      const payload =
        single && batch.records.length <= SINGLE_STATEMENT_MAX
          ? insertStatement(tables.events, writerId, epoch, batch)
          : pgCopyBinary(writerId, epoch, batch, (size) => (buffer = copyBuffers.take(size)), packed ? PACK_RECORDS : 1);
      const sql = packed ? packedCopySql : copySql;
      let client: PgClientLike;
      try {
        client = await batchClient();
      } catch (err) {
        if (buffer) copyBuffers.give(buffer);
        throw err;
      }
      uncommitted++;
      const sent = buffer ? () => copyBuffers.give(buffer as Buffer) : undefined;
      // One message, sent at once; the server runs it while the writer seals the next batch.
      const copied = (
        Buffer.isBuffer(payload) ? pipelinedCopy(client, single ? sql : `BEGIN; ${sql}`, payload, sent) : client.query(payload.text, payload.values)
      ).then(() => undefined);
      // Observed by `sync` or `undo`, whichever comes; never an unhandled rejection meanwhile.
      copied.catch(() => undefined);
      const tx: BatchTx = { client, copied, state: 'open', ...(single ? { single: true as const } : {}) };
      unclaimed.push(tx);
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
