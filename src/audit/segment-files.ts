import { join } from 'node:path';
import type { AuditFs } from './audit-fs.js';
import { hashedBytesOf, hashOfBody, statedHashOf } from './audit-record.js';

/**
 * File layout of the embedded sink:
 *
 *   <dir>/<writerId>/<epoch>-<segment>.jsonl     records, epoch and segment numbered from 1
 *   <dir>/<writerId>/writer.lock                 held by the live writer
 *   <dir>/checkpoints/<writerId>/<epoch>.jsonl   signed checkpoints (the directory can be moved)
 */
export const CHECKPOINTS_DIR_NAME = 'checkpoints';
export const LOCK_FILE_NAME = 'writer.lock';
export const WRITER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SEGMENT_NAME = /^(\d+)-(\d+)\.jsonl$/;
const CHECKPOINT_NAME = /^(\d+)\.jsonl$/;

export function isValidWriterId(id: string): boolean {
  return WRITER_ID_PATTERN.test(id) && id !== CHECKPOINTS_DIR_NAME;
}

export function segmentFileName(epoch: number, segment: number): string {
  return `${pad(epoch)}-${pad(segment)}.jsonl`;
}

export function checkpointFileName(epoch: number): string {
  return `${pad(epoch)}.jsonl`;
}

export interface SegmentFile {
  writer: string;
  epoch: number;
  segment: number;
  path: string;
}

export async function listWriters(fs: AuditFs, dir: string): Promise<string[]> {
  const names = await readdirOrEmpty(fs, dir);
  const writers: string[] = [];
  for (const name of names) {
    if (!isValidWriterId(name)) continue;
    const entries = await readdirOrEmpty(fs, join(dir, name));
    if (entries.some((e) => SEGMENT_NAME.test(e))) writers.push(name);
  }
  return writers.sort();
}

export async function listSegments(fs: AuditFs, dir: string, writer: string): Promise<SegmentFile[]> {
  const names = await readdirOrEmpty(fs, join(dir, writer));
  const out: SegmentFile[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (m) out.push({ writer, epoch: Number(m[1]), segment: Number(m[2]), path: join(dir, writer, name) });
  }
  return out.sort((a, b) => a.epoch - b.epoch || a.segment - b.segment);
}

export async function listCheckpointFiles(fs: AuditFs, checkpointsDir: string): Promise<{ checkpointer: string; epoch: number; path: string }[]> {
  const out: { checkpointer: string; epoch: number; path: string }[] = [];
  for (const name of await readdirOrEmpty(fs, checkpointsDir)) {
    if (!isValidWriterId(name)) continue;
    for (const file of await readdirOrEmpty(fs, join(checkpointsDir, name))) {
      const m = CHECKPOINT_NAME.exec(file);
      if (m) out.push({ checkpointer: name, epoch: Number(m[1]), path: join(checkpointsDir, name, file) });
    }
  }
  return out.sort((a, b) => (a.checkpointer < b.checkpointer ? -1 : a.checkpointer > b.checkpointer ? 1 : a.epoch - b.epoch));
}

export interface TailRecord {
  seq: number;
  hash: string;
  ts: string;
}

/**
 * The last intact record of a file (its stated hash matches its bytes and it parses), and whether
 * the file ends in an incomplete line. Reads from the end, so it stays cheap on large segments.
 */
export async function readTail(fs: AuditFs, path: string): Promise<{ record?: TailRecord; tornTail: boolean; size: number }> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    let chunk = Math.min(size, 256 * 1024);
    for (;;) {
      const buf = Buffer.alloc(chunk);
      let read = 0;
      while (read < chunk) {
        const { bytesRead } = await handle.read(buf, read, chunk - read, size - chunk + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      const text = buf.toString('utf8', 0, read);
      const lastNewline = text.lastIndexOf('\n');
      const tornTail = size > 0 && text.length > 0 && !text.endsWith('\n');
      const complete = lastNewline >= 0 ? text.slice(0, lastNewline) : '';
      const lines = complete.split('\n');
      // The first line of a partial chunk may be cut; it is only trusted when the chunk is the whole file.
      const first = chunk === size ? 0 : 1;
      for (let i = lines.length - 1; i >= first; i--) {
        const record = intactRecord(lines[i] as string);
        if (record) return { record, tornTail, size };
      }
      if (chunk === size) return { tornTail, size };
      chunk = Math.min(size, chunk * 4);
    }
  } finally {
    await handle.close();
  }
}

export function intactRecord(line: string): TailRecord | undefined {
  const stated = statedHashOf(line);
  if (!stated || hashOfBody(hashedBytesOf(line)) !== stated) return undefined;
  try {
    const parsed = JSON.parse(line) as { seq?: unknown; ts?: unknown };
    if (typeof parsed.seq !== 'number' || typeof parsed.ts !== 'string') return undefined;
    return { seq: parsed.seq, hash: stated, ts: parsed.ts };
  } catch {
    return undefined;
  }
}

async function readdirOrEmpty(fs: AuditFs, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    // A file where a writer's directory could be (a key, a note someone left) holds no segments.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}
