import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';

/**
 * Durable files, once for every store that must survive a crash (the audit sink and its
 * checkpoints, the witness, the consent store): whole writes, fsync of files and directories,
 * and a file-system seam that tests replace to fail like a full or read-only disk.
 */

/** The part of a `FileHandle` durable writers use. */
export interface DurableFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * The file system calls durable writers make. Tests pass a wrapper that fails like a full or
 * read-only disk would (ENOSPC after some bytes, EROFS), which a real disk cannot be made to do
 * on demand.
 */
export interface DurableFs {
  open(path: string, flags: string, mode?: number): Promise<DurableFileHandle>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  unlink(path: string): Promise<void>;
}

export const nodeDurableFs: DurableFs = {
  open: (path, flags, mode) => open(path, flags, mode),
  mkdir: (path, options) => mkdir(path, options),
  readdir: (path) => readdir(path),
  readFile: (path, encoding) => readFile(path, encoding),
  unlink: (path) => unlink(path),
};

/** Writes all of `buffer` at `position`, or at the end for a file opened to append (`null`). */
export async function writeFully(handle: DurableFileHandle, buffer: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position === null ? null : position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

/** Makes a new directory entry (a segment created, a lock taken) survive a crash. */
export async function syncDirectory(fs: DurableFs, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p` that reports the real cause: Node's recursive mkdir says ENOENT on a read-only file
 * system, so a plain mkdir is retried to surface EROFS (or EACCES) for the error message.
 */
export async function ensureDirectory(fs: DurableFs, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    try {
      await fs.mkdir(dir);
    } catch (plain) {
      if ((plain as NodeJS.ErrnoException).code !== 'ENOENT' && (plain as NodeJS.ErrnoException).code !== 'EEXIST') throw plain;
    }
    throw err;
  }
}
