import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PgQueryable } from '../db/pg-pool-like.js';
import { PACKED_ROW_SPAN_MS, packedColumns, recordsOfRow } from './pg-packed-rows.js';
import type { LogVerifier } from './log-verifier.js';
import { archiveTableOf } from './pg-archive.js';
import { ARCHIVE_CHECKPOINTS_NAME, MANIFEST_NAME, readManifest, type ArchiveManifest } from './pg-archive-files.js';
import { isValidWriterId } from './segment-files.js';
import { auditPgTables, poolOf, type AuditPgConnection, type AuditPgTables } from './pg-tables.js';
import { readLines } from './read-lines.js';
import { feedSegmentFile } from './verify-segment.js';

const PG_PAGE = 5000;

export interface VerifyPgOptions {
  from?: number;
  to?: number;
  live: boolean;
  /** A directory `saferoute audit archive` wrote: its partitions are verified with the table, chain by chain. */
  archiveDir?: string;
}

/** A run of one writer's epoch: a file of the archive, or the rows still in the table. */
interface Chunk {
  writer: string;
  epoch: number;
  firstSeq: number;
  file?: string;
  /** Rows: whether the chain's record 0 is in the window (a row before it may still be read, for a packed row's later records). */
  genesis?: boolean;
}

interface EventRow {
  seq: string;
  ts: Date;
  kind: string;
  decision_id: string | null;
  prev: string;
  hash: string;
  body: string;
  records: number;
  decision_ids: (string | null)[] | null;
}

interface LedgerRow {
  partition: string;
  upper_ts: Date;
  state: 'detached' | 'archived';
  manifest_sha256: string | null;
  location: string | null;
}

/**
 * Feeds the PostgreSQL log into a verifier: the checkpoints first, then per writer and epoch its
 * runs in seq order, from the archive's files (when given) and then the table. The archive ledger
 * says which partitions were moved out: each must be in the archive, unchanged.
 */
export async function verifyPg(connection: AuditPgConnection, verifier: LogVerifier, options: VerifyPgOptions): Promise<void> {
  const tables = auditPgTables(connection.schema);
  const { pool, owned } = poolOf(connection, 1);
  const { from, to, archiveDir } = options;
  try {
    const found = archiveDir ? await readArchive(archiveDir, verifier) : [];
    const ledger = await readLedger(pool, tables);
    const manifests = checkLedger(verifier, ledger, found, archiveDir);
    const archived = ledger.filter((r) => r.state === 'archived');
    const lastArchived = archived[archived.length - 1];
    // Records before the archived months are elsewhere: the table's chains may start mid-way.
    const archivedElsewhere = !archiveDir && lastArchived !== undefined;
    if (archivedElsewhere) verifier.archiveNotRead({ partitions: archived.length, until: lastArchived.upper_ts, location: lastArchived.location ?? undefined });
    await feedCheckpoints(pool, tables, verifier, manifests);

    // Rows are asked for from PACKED_ROW_SPAN_MS before `from`: a packed row's later records may
    // lie in the window although its `ts` (its first record's) does not. Records outside the
    // window are left out one by one (`feedRows`).
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (from !== undefined) {
      params.push(new Date(from - PACKED_ROW_SPAN_MS));
      conditions.push(`ts >= $${params.length}`);
    }
    if (to !== undefined) {
      params.push(new Date(to));
      conditions.push(`ts <= $${params.length}`);
    }
    const packed = await packedColumns(pool, tables.events);
    // `genesis`: the chain's first record (seq 0) is in the window, so the chain must start at the genesis hash.
    const live = await pool.query<{ writer_id: string; epoch: number; first: string; genesis: boolean }>(
      `SELECT writer_id, epoch, min(seq) AS first, bool_or(seq = 0${from !== undefined ? ' AND ts >= $' + String(params.length + 1) : ''}) AS genesis
       FROM ${tables.events} ${conditions.length > 0 ? 'WHERE ' + conditions.join(' AND ') : ''} GROUP BY writer_id, epoch`,
      from !== undefined ? [...params, new Date(from)] : params,
    );
    const chunks: Chunk[] = live.rows.map((r) => ({ writer: r.writer_id, epoch: r.epoch, firstSeq: Number(r.first), genesis: r.genesis }));
    for (const { dir, manifest } of manifests) {
      for (const c of manifest.chains) {
        const file = join(dir, c.file);
        if (await checkArchivedFile(verifier, file, c.sha256)) chunks.push({ writer: c.writer, epoch: c.epoch, firstSeq: c.firstSeq, file });
      }
    }
    chunks.sort((a, b) => (a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : a.epoch - b.epoch || a.firstSeq - b.firstSeq));

    let i = 0;
    while (i < chunks.length) {
      const writer = (chunks[i] as Chunk).writer;
      const first = chunks[i] as Chunk;
      const genesis = first.epoch === 1 && first.firstSeq === 0 && first.genesis !== false;
      if (archivedElsewhere && !genesis && from === undefined) verifier.chainStartsPastGenesis(writer);
      // No lock to look at: with `live`, any writer may be running.
      verifier.beginWriter(writer, { live: options.live, anchored: (from !== undefined || archivedElsewhere) && !genesis });
      while (i < chunks.length && (chunks[i] as Chunk).writer === writer) {
        const epoch = (chunks[i] as Chunk).epoch;
        let segment = 0;
        while (i < chunks.length && (chunks[i] as Chunk).writer === writer && (chunks[i] as Chunk).epoch === epoch) {
          const chunk = chunks[i++] as Chunk;
          const next = chunks[i];
          const lastInEpoch = !next || next.writer !== writer || next.epoch !== epoch;
          verifier.beginSegment({ writer, epoch, segment: ++segment, lastInEpoch, ...(chunk.file ? { file: chunk.file } : {}) });
          if (chunk.file) await feedSegmentFile(verifier, chunk.file);
          else await feedRows(pool, tables, verifier, chunk, conditions, params, { packed, from, to });
        }
      }
      if (to !== undefined) verifier.cutWindow();
      verifier.endWriter();
    }
  } finally {
    if (owned) await pool.end();
  }
}

async function feedRows(
  db: PgQueryable,
  tables: AuditPgTables,
  verifier: LogVerifier,
  chunk: Chunk,
  conditions: string[],
  params: unknown[],
  window: { packed: string; from: number | undefined; to: number | undefined },
): Promise<void> {
  let after = chunk.firstSeq - 1;
  let rowNo = 0;
  const n = params.length;
  const windowed = window.from !== undefined || window.to !== undefined;
  for (;;) {
    const page = await db.query<EventRow>(
      `SELECT seq, ts, kind, decision_id::text AS decision_id, prev, hash, body, ${window.packed} FROM ${tables.events}
       WHERE writer_id = $${n + 1} AND epoch = $${n + 2} AND seq > $${n + 3} ${conditions.map((c) => `AND ${c}`).join(' ')}
       ORDER BY seq LIMIT ${PG_PAGE}`,
      [...params, chunk.writer, chunk.epoch, after],
    );
    for (const row of page.rows) {
      rowNo++;
      const records = recordsOfRow({ ...row, writer_id: chunk.writer, epoch: chunk.epoch });
      const single = records.length === 1 && (row.records ?? 1) === 1;
      for (const r of records) {
        // A record outside the window (a packed row's, or a row read only for one) is left out.
        if (windowed && !inWindow(single ? row.ts.getTime() : tsOfLine(r.line), window.from, window.to)) continue;
        verifier.record({
          line: r.line,
          lineNo: rowNo,
          terminated: true,
          statedHash: r.statedHash,
          actualHash: createHash('sha256').update(r.hashed, 'utf8').digest('hex'),
          columns: { writer: chunk.writer, epoch: chunk.epoch, ...r.columns, ...(r.recordsMismatch ? { records: r.recordsMismatch } : {}) },
        });
      }
    }
    if (page.rows.length < PG_PAGE) return;
    after = Number((page.rows[page.rows.length - 1] as EventRow).seq);
  }
}

function inWindow(ms: number, from: number | undefined, to: number | undefined): boolean {
  // A line whose time cannot be read is kept: the verifier says what is wrong with it.
  if (Number.isNaN(ms)) return true;
  return (from === undefined || ms >= from) && (to === undefined || ms <= to);
}

/** The `ts` of a stored line, in milliseconds (NaN when it has none). */
function tsOfLine(line: string): number {
  try {
    const ts = (JSON.parse(line) as { ts?: unknown }).ts;
    return typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function readArchive(dir: string, verifier: LogVerifier): Promise<{ dir: string; manifest: ArchiveManifest; sha256: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`cannot read the audit archive \`${dir}\`: ${(err as Error).message}`, { cause: err });
  }
  const out: { dir: string; manifest: ArchiveManifest; sha256: string }[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name, MANIFEST_NAME);
    let read: Awaited<ReturnType<typeof readManifest>>;
    try {
      read = await readManifest(join(dir, name));
      if (read && !isManifestShape(read.manifest)) throw new Error('it does not have the shape of one');
    } catch (err) {
      verifier.sourceFinding({ severity: 'error', code: 'archive_mismatch', message: `the manifest \`${path}\` cannot be read as an archive manifest (${(err as Error).message}): the archive was changed`, file: path });
      continue;
    }
    if (read) out.push({ dir: join(dir, name), ...read });
  }
  return out;
}

/** A manifest whose chain files are where the archive writes them: `WRITER/EPOCH.jsonl` inside the partition directory. */
function isManifestShape(m: ArchiveManifest): boolean {
  if (typeof m.partition !== 'string' || !Array.isArray(m.chains) || typeof m.checkpoints !== 'object' || m.checkpoints == null) return false;
  if (m.checkpoints.file !== ARCHIVE_CHECKPOINTS_NAME) return false;
  return m.chains.every(
    (c) =>
      typeof c === 'object' &&
      c != null &&
      typeof c.writer === 'string' &&
      isValidWriterId(c.writer) &&
      Number.isSafeInteger(c.epoch) &&
      Number.isSafeInteger(c.firstSeq) &&
      typeof c.sha256 === 'string' &&
      c.file === `${c.writer}/${c.epoch}.jsonl`,
  );
}

/** Whether an archived file is there to verify; one whose bytes differ from its manifest's SHA-256 is reported (and still verified, to say where). */
async function checkArchivedFile(verifier: LogVerifier, file: string, sha256: string): Promise<boolean> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    verifier.sourceFinding({
      severity: 'error',
      code: code === 'ENOENT' ? 'archive_missing' : 'archive_mismatch',
      message: `the archived file \`${file}\` ${code === 'ENOENT' ? 'is missing' : `cannot be read (${(err as Error).message})`}: its records cannot be verified`,
      file,
    });
    return false;
  }
  if (h.digest('hex') !== sha256) {
    verifier.sourceFinding({ severity: 'error', code: 'archive_mismatch', message: `the archived file \`${file}\` is not the one its manifest lists (its SHA-256 differs): it was changed`, file });
  }
  return true;
}

async function readLedger(db: PgQueryable, tables: AuditPgTables): Promise<LedgerRow[]> {
  const exists = await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [archiveTableOf(tables)]);
  if (!exists.rows[0]?.ok) return [];
  const res = await db.query<LedgerRow>(`SELECT partition, upper_ts, state, manifest_sha256, location FROM ${archiveTableOf(tables)} ORDER BY lower_ts`);
  return res.rows;
}

/**
 * Checks the archive against the ledger and returns the partitions to verify: only those the
 * ledger lists (archived, or detached by a run that stopped), each in the directory named after it. Any other partition directory
 * (another database's archive, a copy under another name) is reported and left out: its records
 * are not this log's, however well they verify on their own.
 */
function checkLedger<M extends { dir: string; manifest: ArchiveManifest; sha256: string }>(
  verifier: LogVerifier,
  ledger: LedgerRow[],
  manifests: M[],
  archiveDir: string | undefined,
): M[] {
  // A detached partition's directory is fed too (a run stopped after writing it): its ledger row is reported below.
  const archivedHere = new Set(ledger.map((r) => r.partition));
  const trusted: M[] = [];
  for (const m of manifests) {
    if (basename(m.dir) === m.manifest.partition && archivedHere.has(m.manifest.partition)) trusted.push(m);
    else {
      verifier.sourceFinding({
        severity: 'error',
        code: 'archive_unexpected',
        message: `\`${m.dir}\` holds partition ${String(m.manifest.partition)}, which the archive ledger of this database does not list: it was not moved out of this log (another database's archive, or a copy); remove it from \`${archiveDir ?? '?'}\``,
      });
    }
  }
  for (const row of ledger) {
    if (row.state === 'detached') {
      verifier.sourceFinding({
        severity: 'error',
        code: 'archive_incomplete',
        message: `partition ${row.partition} was detached by \`saferoute audit archive\`, which has not finished: its records are in that table only; run the archive again to complete it`,
      });
      continue;
    }
    if (!archiveDir) continue;
    const found = trusted.find((m) => m.manifest.partition === row.partition);
    if (!found) {
      verifier.sourceFinding({
        severity: 'error',
        code: 'archive_missing',
        message: `partition ${row.partition} was archived (to \`${row.location ?? '?'}\`) but is not in the archive \`${archiveDir}\`: its records cannot be verified`,
      });
    } else if (found.sha256 !== row.manifest_sha256) {
      verifier.sourceFinding({
        severity: 'error',
        code: 'archive_mismatch',
        message: `the manifest of ${row.partition} in \`${archiveDir}\` is not the one written when it was archived: the archive was changed or is another log's`,
      });
    }
  }
  return trusted;
}

/** The table's checkpoints and the archive's copies, once each; a copy that differs is an error. */
async function feedCheckpoints(db: PgQueryable, tables: AuditPgTables, verifier: LogVerifier, manifests: { dir: string; manifest: ArchiveManifest }[]): Promise<void> {
  const all = new Map<string, { checkpointer: string; epoch: number; n: number; body: string; file?: string; line: number }>();
  const keyOf = (checkpointer: string, epoch: number, n: number): string => `${checkpointer}\u0000${epoch}\u0000${n}`;
  let after: [string, number, string] | undefined;
  for (;;) {
    const page = await db.query<{ checkpointer: string; epoch: number; n: string; body: string }>(
      `SELECT checkpointer, epoch, n, body FROM ${tables.checkpoints}
       ${after ? 'WHERE (checkpointer, epoch, n) > ($1, $2, $3)' : ''}
       ORDER BY checkpointer, epoch, n LIMIT ${PG_PAGE}`,
      after ?? [],
    );
    for (const row of page.rows) all.set(keyOf(row.checkpointer, row.epoch, Number(row.n)), { checkpointer: row.checkpointer, epoch: row.epoch, n: Number(row.n), body: row.body, line: Number(row.n) + 1 });
    if (page.rows.length < PG_PAGE) break;
    const last = page.rows[page.rows.length - 1] as { checkpointer: string; epoch: number; n: string };
    after = [last.checkpointer, last.epoch, last.n];
  }
  for (const { dir, manifest } of manifests) {
    const file = join(dir, ARCHIVE_CHECKPOINTS_NAME);
    if (!(await checkArchivedFile(verifier, file, manifest.checkpoints.sha256))) continue;
    for await (const line of readLines(file)) {
      if (line.bytes.length === 0) continue;
      const body = line.bytes.toString('utf8');
      let cp: { checkpointer?: unknown; epoch?: unknown; n?: unknown };
      try {
        cp = JSON.parse(body) as typeof cp;
      } catch {
        cp = {};
      }
      if (typeof cp.checkpointer !== 'string' || typeof cp.epoch !== 'number' || typeof cp.n !== 'number') {
        verifier.sourceFinding({ severity: 'error', code: 'checkpoint_malformed', message: `line ${line.lineNo} of \`${file}\` is not a checkpoint`, file, line: line.lineNo });
        continue;
      }
      const key = keyOf(cp.checkpointer, cp.epoch, cp.n);
      const known = all.get(key);
      if (!known) all.set(key, { checkpointer: cp.checkpointer, epoch: cp.epoch, n: cp.n, body, file, line: line.lineNo });
      else if (known.body !== body) {
        verifier.sourceFinding({
          severity: 'error',
          code: 'archive_mismatch',
          message: `checkpoint ${cp.checkpointer}/${cp.epoch}#${cp.n} in \`${file}\` differs from the one in the table`,
          file,
          line: line.lineNo,
          checkpointer: cp.checkpointer,
        });
      }
    }
  }
  const sorted = [...all.values()].sort((a, b) => (a.checkpointer < b.checkpointer ? -1 : a.checkpointer > b.checkpointer ? 1 : a.epoch - b.epoch || a.n - b.n));
  for (const cp of sorted) verifier.checkpointLine(cp.checkpointer, cp.epoch, cp.body, cp.line, true, cp.file);
}
