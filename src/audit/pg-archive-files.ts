import { createHash } from 'node:crypto';
import { lstat, mkdtemp, open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditError } from './audit-error.js';
import { nodeAuditFs, syncDirectory } from './audit-fs.js';
import { hashedBytesOf, hashOfBody, statedHashOf } from './audit-record.js';
import { readLines } from './read-lines.js';

/**
 * Layout of an archive of PostgreSQL audit partitions (`saferoute audit archive`):
 *
 *   <dir>/<partition>/MANIFEST.json             what the partition held; written last
 *   <dir>/<partition>/<writer>/<epoch>.jsonl    that writer's records of the month, in seq order,
 *                                               each line exactly as the file sink writes it
 *   <dir>/<partition>/checkpoints.jsonl         the signed checkpoints dated in the month
 *
 * A partition directory is built under `.partial-<partition>` and renamed into place once every
 * file and directory is on disk, so `<partition>/` is either absent or whole.
 */
export const ARCHIVE_FORMAT = 'saferoute-audit-archive/1';
export const MANIFEST_NAME = 'MANIFEST.json';
export const ARCHIVE_CHECKPOINTS_NAME = 'checkpoints.jsonl';

export interface ArchiveChain {
  writer: string;
  epoch: number;
  /** Relative to the partition directory. */
  file: string;
  firstSeq: number;
  lastSeq: number;
  records: number;
  /** The prev of its first record and the hash of its last: where it joins its neighbours. */
  firstPrev: string;
  lastHash: string;
  sha256: string;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  partition: string;
  /** The partition's range of `ts`: [from, to). */
  from: string;
  to: string;
  records: number;
  chains: ArchiveChain[];
  checkpoints: { file: string; count: number; sha256: string };
  /** Order-sensitive digest of every record's (writer, epoch, seq, hash): compared with the table before it is dropped. */
  digest: string;
}

/** The order-sensitive digest `ArchiveManifest.digest` is. */
export function createRecordDigest(): { add(writer: string, epoch: number, seq: number, hash: string): void; hex(): string; count: number } {
  const h = createHash('sha256');
  let count = 0;
  return {
    add(writer, epoch, seq, hash) {
      h.update(`${writer}\t${epoch}\t${seq}\t${hash}\n`);
      count++;
    },
    hex: () => h.digest('hex'),
    get count() {
      return count;
    },
  };
}

/** Writes a file whole and makes it durable (a fresh file: `wx`). Returns its SHA-256. */
export async function writeDurableFile(path: string, content: string): Promise<string> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** A new file written in pieces, synced and closed by `close`, which returns its SHA-256. */
export interface DurableAppend {
  append(text: string): Promise<void>;
  close(): Promise<string>;
}

export async function openDurableAppend(path: string): Promise<DurableAppend> {
  const handle = await open(path, 'wx');
  const hash = createHash('sha256');
  return {
    async append(text) {
      if (text.length === 0) return;
      hash.update(text, 'utf8');
      await handle.writeFile(text, 'utf8');
    },
    async close() {
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      return hash.digest('hex');
    },
  };
}

/**
 * Makes sure files can be created and synced in the archive directory (created when missing),
 * before anything is detached: a directory that cannot be written to is an `AuditError` that names
 * it, and leaves the database as it was.
 */
export async function prepareArchiveDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = await mkdtemp(join(dir, '.probe-'));
    try {
      await writeDurableFile(join(probe, 'probe'), 'probe\n');
      await syncDirectory(nodeAuditFs, probe);
    } finally {
      await rm(probe, { recursive: true, force: true });
    }
  } catch (err) {
    throw new AuditError(
      `cannot write to the audit archive directory \`${dir}\` (${(err as Error).message}): give a directory this user can create files in with \`--to DIR\`; nothing was archived`,
      { cause: err },
    );
  }
}

export function partialDirOf(dir: string, partition: string): string {
  return join(dir, `.partial-${partition}`);
}

/** A fresh, empty build directory for a partition (what a crashed run left there is removed). */
export async function startPartialDir(dir: string, partition: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const partial = partialDirOf(dir, partition);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial);
  return partial;
}

/**
 * Moves a finished build directory into place: its subdirectories and itself are synced first,
 * then the rename is made durable by syncing the archive directory. An earlier copy of the same
 * partition (a run that crashed after its rename, before the table was dropped) is replaced: the
 * table still held every record then, and the new copy was written from it. Anything else there
 * is left alone (`AuditError`).
 */
export async function publishPartialDir(dir: string, partition: string, subdirs: string[], manifest: ArchiveManifest): Promise<string> {
  const partial = partialDirOf(dir, partition);
  for (const sub of subdirs) await syncDirectory(nodeAuditFs, join(partial, sub));
  await syncDirectory(nodeAuditFs, partial);
  const final = join(dir, partition);
  await assertReplaceable(final, manifest);
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
  await syncDirectory(nodeAuditFs, dir);
  return final;
}

/**
 * An existing copy is replaced only when it is an earlier copy of the same records (same partition,
 * range, record digest and checkpoints): never another database's or schema's archive of a
 * partition of the same name, nor anything else left there.
 */
async function assertReplaceable(final: string, manifest: ArchiveManifest): Promise<void> {
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(final);
  } catch {
    read = undefined;
  }
  if (read === undefined) {
    try {
      await lstat(final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
  }
  const same =
    read !== undefined &&
    read.manifest.partition === manifest.partition &&
    read.manifest.from === manifest.from &&
    read.manifest.to === manifest.to &&
    read.manifest.records === manifest.records &&
    read.manifest.digest === manifest.digest &&
    read.manifest.checkpoints?.sha256 === manifest.checkpoints.sha256;
  if (!same) {
    throw new AuditError(
      `\`${final}\` already holds something other than an earlier copy of these records (another database's or schema's archive of ${manifest.partition}?): it was not replaced, and the partition stays detached; give each database its own \`--to DIR\`, or move that directory away after checking it, and run the archive again`,
    );
  }
}

export async function readManifest(partitionDir: string): Promise<{ manifest: ArchiveManifest; sha256: string } | undefined> {
  let text: string;
  try {
    text = await readFile(join(partitionDir, MANIFEST_NAME), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  const manifest = JSON.parse(text) as ArchiveManifest;
  if (manifest.format !== ARCHIVE_FORMAT) throw new Error(`${join(partitionDir, MANIFEST_NAME)} is not a ${ARCHIVE_FORMAT} manifest`);
  return { manifest, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/**
 * Reads a written partition back from disk and checks it against its manifest: every file's
 * SHA-256, every line's hash against its bytes, each chain's seq run and prev links. Returns the
 * problems (empty: the copy is whole) and the record digest to compare with the table's.
 */
export async function checkArchivedPartition(partitionDir: string, manifest: ArchiveManifest): Promise<{ problems: string[]; digest: string; records: number }> {
  const problems: string[] = [];
  const digest = createRecordDigest();
  for (const chain of manifest.chains) {
    const path = join(partitionDir, chain.file);
    const fileHash = createHash('sha256');
    let expectedSeq = chain.firstSeq;
    let prev = chain.firstPrev;
    let n = 0;
    for await (const line of readLines(path)) {
      fileHash.update(line.bytes);
      if (line.terminated) fileHash.update('\n');
      if (line.terminated && line.bytes.length === 0) continue;
      const text = line.bytes.toString('utf8');
      const stated = statedHashOf(text);
      const body = stated ? hashedBytesOf(text) : undefined;
      if (!line.terminated || !stated || !body || hashOfBody(body) !== stated) {
        problems.push(`${path} line ${line.lineNo} does not hash to the hash it states`);
        break;
      }
      const rec = JSON.parse(body) as { seq?: unknown; prev?: unknown };
      if (rec.seq !== expectedSeq || rec.prev !== prev) {
        problems.push(`${path} line ${line.lineNo} is not seq ${expectedSeq} linked to ${prev.slice(0, 12)}…`);
        break;
      }
      digest.add(chain.writer, chain.epoch, expectedSeq, stated);
      prev = stated;
      expectedSeq++;
      n++;
    }
    if (fileHash.digest('hex') !== chain.sha256) problems.push(`${path} does not have the SHA-256 its manifest states`);
    if (n !== chain.records || prev !== chain.lastHash) problems.push(`${path} holds ${n} of the ${chain.records} records its manifest states`);
  }
  return { problems, digest: digest.hex(), records: digest.count };
}
