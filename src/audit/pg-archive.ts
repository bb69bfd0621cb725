import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgClientLike, PgPoolLike, PgQueryable } from '../db/pg-pool-like.js';
import { AuditError } from './audit-error.js';
import { packedColumns, recordsOfRow, type PgEventRow, type RowRecord } from './pg-packed-rows.js';
import { isValidWriterId } from './segment-files.js';
import {
  ARCHIVE_CHECKPOINTS_NAME,
  ARCHIVE_FORMAT,
  MANIFEST_NAME,
  checkArchivedPartition,
  createRecordDigest,
  publishPartialDir,
  readManifest,
  startPartialDir,
  openDurableAppend,
  prepareArchiveDir,
  writeDurableFile,
  type DurableAppend,
  type ArchiveChain,
  type ArchiveManifest,
} from './pg-archive-files.js';
import { AUDIT_ARCHIVE_TABLE, AUDIT_EVENTS_TABLE, auditPgTables, poolOf, type AuditPgConnection, type AuditPgTables } from './pg-tables.js';

export { AUDIT_ARCHIVE_TABLE };
const PARTITION_NAME = new RegExp(`^${AUDIT_EVENTS_TABLE}_p(\\d{4})(\\d{2})$`);
const PAGE = 5000;

/** The steps of archiving one partition, in order; `onStep` is told after each (tests stop there). */
export type ArchiveStep = 'detached' | 'written' | 'verified' | 'dropped';

export interface ArchiveAuditOptions extends AuditPgConnection {
  /** Whole monthly partitions whose range ends at or before this time are archived. */
  before: Date;
  /** The archive directory (created when missing). */
  to: string;
  /** The time now (default: the clock); the database's clock is asked too and the earlier one counts: a month that has not ended by either is never archived. */
  now?: Date;
  lockTimeoutMs?: number;
  onStep?: (step: ArchiveStep, partition: string) => void | Promise<void>;
}

export interface ArchivedPartition {
  partition: string;
  from: string;
  to: string;
  records: number;
  chains: number;
  checkpoints: number;
  dir: string;
  /** It was detached by an earlier run that stopped before it finished. */
  resumed: boolean;
}

interface Candidate {
  partition: string;
  from: Date;
  to: Date;
  resumed: boolean;
}

/** The archive ledger: one row per partition being or having been archived (migration 0103). */
export function archiveTableOf(tables: AuditPgTables): string {
  return tables.beside(AUDIT_ARCHIVE_TABLE);
}

function monthRange(year: number, month: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) };
}

/**
 * Moves whole monthly partitions of the audit table out to `to` as verifiable JSONL, per
 * partition: (1) the ledger row `detached` and `DETACH PARTITION` in one transaction, (2) the
 * records and the month's checkpoints written to a build directory, each file fsynced, renamed
 * into place, (3) the written files read back and checked against the detached table (hashes,
 * chain links, the digest of every record), (4) the ledger row `archived` and `DROP TABLE` in one
 * transaction. A run that stops at any point leaves either the attached partition, or the
 * detached table and its ledger row (a rerun takes it up first, whatever `before` it is given),
 * or the archived partition: never records in neither place.
 */
export async function archiveAuditPartitions(options: ArchiveAuditOptions): Promise<ArchivedPartition[]> {
  const tables = auditPgTables(options.schema);
  const { pool, owned } = poolOf(options, 2);
  let lock: PgClientLike | undefined;
  try {
    await assertLedger(pool, tables);
    lock = await lockArchive(pool, tables);
    // The earlier of this process's clock and the database's: a client clock running ahead must
    // not make the month the database (and its writers) are still in look over.
    const dbNow = (await pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now;
    const clientNow = options.now ?? new Date();
    const now = dbNow instanceof Date && dbNow.getTime() < clientNow.getTime() ? dbNow : clientNow;
    await prepareArchiveDir(options.to);
    const candidates = await findCandidates(pool, tables, options.before, now);
    const done: ArchivedPartition[] = [];
    for (const c of candidates) done.push(await archiveOne(pool, tables, c, options));
    return done;
  } finally {
    if (lock) await unlockArchive(lock, tables);
    if (owned) await pool.end();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Advisory-lock class of `saferoute audit archive` runs (the writers' is `ADVISORY_LOCK_CLASS`). */
const ARCHIVE_LOCK_CLASS = 0x5afe_a0e;

/**
 * One run at a time per audit table: a session lock held on a connection of its own for the whole
 * run (so the pool needs two connections). A second run would otherwise take over the partition
 * the first has detached and race it for the same build directory and table.
 */
async function lockArchive(pool: PgPoolLike, tables: AuditPgTables): Promise<PgClientLike> {
  const c = await pool.connect();
  try {
    const res = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [ARCHIVE_LOCK_CLASS, tables.events]);
    if (res.rows[0]?.locked) return c;
  } catch (err) {
    c.release(true);
    throw err;
  }
  c.release();
  throw new AuditError(
    `another \`saferoute audit archive\` is under way on ${tables.events} (it holds the archive lock): wait for it to finish, or if it was killed, run this again once its session has ended`,
  );
}

async function unlockArchive(c: PgClientLike, tables: AuditPgTables): Promise<void> {
  await c.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [ARCHIVE_LOCK_CLASS, tables.events]).then(
    () => c.release(),
    () => c.release(true),
  );
}

async function assertLedger(db: PgQueryable, tables: AuditPgTables): Promise<void> {
  const res = await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [archiveTableOf(tables)]);
  if (!res.rows[0]?.ok) throw new AuditError(`the audit archive ledger \`${AUDIT_ARCHIVE_TABLE}\` does not exist: run \`saferoute migrate --pg URL\` first`);
}

async function findCandidates(db: PgQueryable, tables: AuditPgTables, before: Date, now: Date): Promise<Candidate[]> {
  const ledger = await db.query<{ partition: string; lower_ts: Date; upper_ts: Date; state: string }>(
    `SELECT partition, lower_ts, upper_ts, state FROM ${archiveTableOf(tables)} ORDER BY lower_ts`,
  );
  const out: Candidate[] = ledger.rows.filter((r) => r.state === 'detached').map((r) => ({ partition: r.partition, from: r.lower_ts, to: r.upper_ts, resumed: true }));
  // A partition of a month already archived, made again (by hand, or by a version that did): its
  // late rows stay in the table, verified with the archive; archiving it would clash with the
  // ledger row and the directory of the first.
  const archived = new Set(ledger.rows.filter((r) => r.state === 'archived').map((r) => r.partition));
  const attached = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1) ORDER BY c.relname`,
    [tables.events],
  );
  for (const { name } of attached.rows) {
    const m = PARTITION_NAME.exec(name);
    if (!m) continue;
    const range = monthRange(Number(m[1]), Number(m[2]));
    if (range.to.getTime() > before.getTime()) continue;
    if (range.to.getTime() > now.getTime()) continue;
    if (out.some((c) => c.partition === name) || archived.has(name)) continue;
    out.push({ partition: name, ...range, resumed: false });
  }
  return out;
}

async function inTransaction<T>(pool: PgPoolLike, lockTimeoutMs: number, body: (c: PgClientLike) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
    const out = await body(c);
    await c.query('COMMIT');
    c.release();
    return out;
  } catch (err) {
    await c.query('ROLLBACK').then(
      () => c.release(),
      () => c.release(true),
    );
    throw err;
  }
}

async function archiveOne(pool: PgPoolLike, tables: AuditPgTables, c: Candidate, options: ArchiveAuditOptions): Promise<ArchivedPartition> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const table = tables.beside(c.partition);
  const ledger = archiveTableOf(tables);
  // Before anything is detached (and again for one an earlier run detached): every writer id
  // becomes a directory name in the archive.
  await assertArchivableWriters(pool, table, c.partition);
  if (!c.resumed) {
    // Only a run of this database that stopped midway leaves a partition's directory, and its
    // ledger row is then `detached` (resumed): this one is another database's or schema's.
    const existing = join(options.to, c.partition);
    if (await exists(existing)) {
      throw new AuditError(
        `\`${existing}\` already exists, but ${tables.events} has not archived ${c.partition} there: it is another database's or schema's archive (give each its own \`--to DIR\`), or was left by hand; nothing was detached or replaced`,
      );
    }
  }
  if (!c.resumed) {
    await inTransaction(pool, lockTimeoutMs, async (tx) => {
      await tx.query(`INSERT INTO ${ledger} (partition, lower_ts, upper_ts, state) VALUES ($1, $2, $3, 'detached')`, [c.partition, c.from, c.to]);
      await tx.query(`ALTER TABLE ${tables.events} DETACH PARTITION ${table}`);
    }).catch((err: unknown) => {
      throw databaseStepError(err, `detaching ${c.partition}`, 'it is still attached and nothing was archived', lockTimeoutMs);
    });
  }
  await options.onStep?.('detached', c.partition);

  const manifest = await writePartition(pool, tables, table, c, options.to);
  await options.onStep?.('written', c.partition);

  const dir = join(options.to, c.partition);
  const read = await readManifest(dir);
  if (!read) throw new AuditError(`the archive of ${c.partition} has no ${MANIFEST_NAME} after it was written to \`${dir}\``);
  const check = await checkArchivedPartition(dir, read.manifest);
  const tableDigest = await digestOfTable(pool, table);
  if (check.problems.length > 0 || check.digest !== tableDigest.hex || check.records !== tableDigest.count) {
    const why = check.problems.length > 0 ? check.problems.join('; ') : `it holds ${check.records} records, the table ${tableDigest.count}, and their digests differ`;
    throw new AuditError(`the archive of ${c.partition} written to \`${dir}\` does not match the table, which is kept (detached): ${why}; run the archive again`);
  }
  await options.onStep?.('verified', c.partition);

  await inTransaction(pool, lockTimeoutMs, async (tx) => {
    await tx.query(`UPDATE ${ledger} SET state = 'archived', records = $2, manifest_sha256 = $3, location = $4, archived_at = now() WHERE partition = $1`, [
      c.partition,
      manifest.records,
      read.sha256,
      dir,
    ]);
    await tx.query(`DROP TABLE ${table}`);
  }).catch((err: unknown) => {
    throw databaseStepError(err, `dropping ${c.partition} after its archive was verified`, `it stays detached, its archive at \`${dir}\` is whole; run the archive again to finish`, lockTimeoutMs);
  });
  await options.onStep?.('dropped', c.partition);
  return {
    partition: c.partition,
    from: manifest.from,
    to: manifest.to,
    records: manifest.records,
    chains: manifest.chains.length,
    checkpoints: manifest.checkpoints.count,
    dir,
    resumed: c.resumed,
  };
}

/** A writer id that is not a plain file name, or that is one of the partition's own files, cannot be archived. */
async function assertArchivableWriters(db: PgQueryable, table: string, partition: string): Promise<void> {
  const res = await db.query<{ writer_id: string }>(`SELECT writer_id FROM ${table} GROUP BY writer_id`);
  const bad = res.rows.map((r) => r.writer_id).filter((w) => !isValidWriterId(w) || w === MANIFEST_NAME || w === ARCHIVE_CHECKPOINTS_NAME);
  if (bad.length > 0) {
    throw new AuditError(
      `${partition} holds records of writer(s) ${bad.map((w) => JSON.stringify(w)).join(', ')}, whose id cannot be a directory of the archive (audit writers use ids like \`gw-1\`, never \`${MANIFEST_NAME}\` or \`${ARCHIVE_CHECKPOINTS_NAME}\`): the table was left as it is; find out how those rows got there (\`saferoute audit verify --pg\`) before archiving it`,
    );
  }
}

/** A failed step's database error as an `AuditError` that says where the partition was left. */
function databaseStepError(err: unknown, step: string, leftAs: string, lockTimeoutMs: number): AuditError {
  const code = (err as { code?: string }).code;
  const why =
    code === '55P03'
      ? `another session held a lock on the audit table for longer than the lock timeout (${lockTimeoutMs} ms); retry when it is quieter`
      : (err as Error).message;
  return new AuditError(`${step} failed: ${why}; ${leftAs}`, { cause: err });
}

type Row = PgEventRow & { seq: string };

/** Writes the detached table's records and the month's checkpoints, then the manifest, and publishes the directory. */
async function writePartition(pool: PgPoolLike, tables: AuditPgTables, table: string, c: Candidate, to: string): Promise<ArchiveManifest> {
  const partial = await startPartialDir(to, c.partition);
  const chains: ArchiveChain[] = [];
  const writers = new Set<string>();
  const digest = createRecordDigest();
  let open: { chain: ArchiveChain; file: DurableAppend } | undefined;
  const finish = async (): Promise<void> => {
    if (!open) return;
    open.chain.sha256 = await open.file.close();
    chains.push(open.chain);
    open = undefined;
  };
  let after: [string, number, string] | undefined;
  const packed = await packedColumns(pool, table);
  for (;;) {
    const page = await pool.query<Row>(
      `SELECT writer_id, epoch, seq, prev, hash, body, ${packed} FROM ${table}
       ${after ? 'WHERE (writer_id, epoch, seq) > ($1, $2, $3)' : ''} ORDER BY writer_id, epoch, seq LIMIT ${PAGE}`,
      after ?? [],
    );
    let text = '';
    for (const row of page.rows) {
      const records = recordsOfRow(row);
      const seq = (records[0] as RowRecord).seq;
      if (!open || open.chain.writer !== row.writer_id || open.chain.epoch !== row.epoch) {
        if (open) await open.file.append(text);
        text = '';
        await finish();
        if (!writers.has(row.writer_id)) {
          writers.add(row.writer_id);
          await mkdir(join(partial, row.writer_id));
        }
        const file = `${row.writer_id}/${row.epoch}.jsonl`;
        open = {
          chain: { writer: row.writer_id, epoch: row.epoch, file, firstSeq: seq, lastSeq: seq, records: 0, firstPrev: row.prev, lastHash: row.hash, sha256: '' },
          file: await openDurableAppend(join(partial, file)),
        };
      }
      // Each record as the file sink writes it: a packed row's lines are its records' lines.
      for (const r of records) {
        text += r.line + '\n';
        open.chain.lastSeq = r.seq;
        open.chain.lastHash = r.statedHash ?? row.hash;
        open.chain.records++;
        digest.add(row.writer_id, row.epoch, r.seq, r.statedHash ?? row.hash);
      }
    }
    if (open) await open.file.append(text);
    if (page.rows.length < PAGE) break;
    const last = page.rows[page.rows.length - 1] as Row;
    after = [last.writer_id, last.epoch, last.seq];
  }
  await finish();

  const cps = await pool.query<{ body: string }>(`SELECT body FROM ${tables.checkpoints} WHERE ts >= $1 AND ts < $2 ORDER BY checkpointer, epoch, n`, [c.from, c.to]);
  const cpSha = await writeDurableFile(join(partial, ARCHIVE_CHECKPOINTS_NAME), cps.rows.map((r) => r.body + '\n').join(''));
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    partition: c.partition,
    from: c.from.toISOString(),
    to: c.to.toISOString(),
    records: digest.count,
    chains,
    checkpoints: { file: ARCHIVE_CHECKPOINTS_NAME, count: cps.rows.length, sha256: cpSha },
    digest: digest.hex(),
  };
  await writeDurableFile(join(partial, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
  await publishPartialDir(to, c.partition, [...writers], manifest);
  return manifest;
}

async function digestOfTable(pool: PgPoolLike, table: string): Promise<{ hex: string; count: number }> {
  const digest = createRecordDigest();
  let after: [string, number, string] | undefined;
  const packed = await packedColumns(pool, table);
  for (;;) {
    // A packed row's records are digested one by one, with the hashes its lines state (a row of one: its `hash`).
    const page = await pool.query<Row>(
      `SELECT writer_id, epoch, seq, prev, hash, ${packed.startsWith('records') ? `CASE WHEN records > 1 THEN body ELSE '' END` : `''`} AS body, ${packed} FROM ${table} ${after ? 'WHERE (writer_id, epoch, seq) > ($1, $2, $3)' : ''} ORDER BY writer_id, epoch, seq LIMIT ${PAGE}`,
      after ?? [],
    );
    for (const row of page.rows) for (const r of recordsOfRow(row)) digest.add(row.writer_id, row.epoch, r.seq, r.statedHash ?? row.hash);
    if (page.rows.length < PAGE) break;
    const last = page.rows[page.rows.length - 1] as { writer_id: string; epoch: number; seq: string };
    after = [last.writer_id, last.epoch, last.seq];
  }
  return { hex: digest.hex(), count: digest.count };
}
