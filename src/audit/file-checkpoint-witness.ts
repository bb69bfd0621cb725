import { resolve, join } from 'node:path';
import type { AuditCheckpoint } from './audit-checkpoint.js';
import { checkpointLine } from './audit-checkpoint.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import type { AuditFileHandle, AuditFs } from './audit-fs.js';
import { ensureDirectory, nodeAuditFs, syncDirectory, writeFully } from './audit-fs.js';
import { compareCheckpoints, parseWitnessedCheckpoint, witnessRefusal, type CheckpointWitness } from './checkpoint-witness.js';
import { isValidWriterId } from './segment-files.js';

export interface FileCheckpointWitnessOptions {
  /** A directory outside the log directory (ideally on another disk, owned by another user). */
  dir: string;
  fs?: AuditFs;
}

const WITNESS_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})\.jsonl$/;
/** The newest checkpoint is at the end of an append-only file: read this much of it first. */
const TAIL_BYTES = 256 * 1024;

/**
 * A witness in a directory: `<dir>/<checkpointer>.jsonl`, append-only, each checkpoint fsync'd
 * before `publish` resolves. One file per checkpointer, so the writers of several processes never
 * append to the same file.
 */
export function createFileCheckpointWitness(options: FileCheckpointWitnessOptions): CheckpointWitness {
  const fs = options.fs ?? nodeAuditFs;
  const dir = resolve(options.dir);
  const files = new Map<string, { handle: AuditFileHandle; size: number; newest?: AuditCheckpoint }>();

  async function fileOf(checkpointer: string): Promise<{ handle: AuditFileHandle; size: number; newest?: AuditCheckpoint }> {
    const open = files.get(checkpointer);
    if (open) return open;
    if (!isValidWriterId(checkpointer)) throw new AuditConfigError(`checkpointer \`${checkpointer}\` is not a valid writer id`);
    await ensureDirectory(fs, dir);
    const handle = await fs.open(join(dir, `${checkpointer}.jsonl`), 'a+', 0o644);
    let size = (await handle.stat()).size;
    if (size > 0) {
      // A crash may have torn the last line: end it, so the next checkpoint starts a line of its own.
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await writeFully(handle, Buffer.from('\n'), size);
        size++;
      }
    }
    await syncDirectory(fs, dir);
    const newest = size > 0 ? await newestIn(fs, join(dir, `${checkpointer}.jsonl`), checkpointer) : undefined;
    const file = { handle, size, ...(newest ? { newest } : {}) };
    files.set(checkpointer, file);
    return file;
  }

  return {
    kind: 'file',
    location: dir,
    path: dir,
    async publish(checkpoint: AuditCheckpoint) {
      const file = await fileOf(checkpoint.checkpointer);
      const refusal = witnessRefusal(checkpoint, file.newest, dir);
      if (refusal === 'held') return;
      if (refusal !== undefined) throw new AuditError(refusal);
      const buf = Buffer.from(checkpointLine(checkpoint) + '\n', 'utf8');
      try {
        await writeFully(file.handle, buf, file.size);
        await file.handle.datasync();
        file.size += buf.length;
        file.newest = checkpoint;
      } catch (err) {
        // Never leave half a line for the next checkpoint to follow.
        await file.handle.truncate(file.size).catch(() => undefined);
        throw err;
      }
    },
    async latest() {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (err) {
        // Nothing published yet; `verifyAuditLog` reports a witness that holds nothing.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const out: AuditCheckpoint[] = [];
      for (const name of names.sort()) {
        const m = WITNESS_FILE.exec(name);
        if (!m) continue;
        const newest = await newestIn(fs, join(dir, name), m[1] as string);
        if (newest) out.push(newest);
      }
      return out;
    },
    async close() {
      const open = [...files.values()];
      files.clear();
      await Promise.all(open.map((f) => f.handle.close().catch(() => undefined)));
    },
  };
}

/** The newest intact checkpoint of `checkpointer` in the file: its tail first, all of it if need be. */
async function newestIn(fs: AuditFs, path: string, checkpointer: string): Promise<AuditCheckpoint | undefined> {
  const handle = await fs.open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const tail = await readRange(handle, start, size - start);
    const found = newestOfLines(tail.toString('utf8').split('\n').slice(start > 0 ? 1 : 0), checkpointer);
    if (found || start === 0) return found;
    return newestOfLines((await readRange(handle, 0, size)).toString('utf8').split('\n'), checkpointer);
  } finally {
    await handle.close();
  }
}

function newestOfLines(lines: string[], checkpointer: string): AuditCheckpoint | undefined {
  let newest: AuditCheckpoint | undefined;
  for (const line of lines) {
    if (line.length === 0) continue;
    const cp = parseWitnessedCheckpoint(line);
    if (cp && cp.checkpointer === checkpointer && (!newest || compareCheckpoints(cp, newest) > 0)) newest = cp;
  }
  return newest;
}

async function readRange(handle: AuditFileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead <= 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}
