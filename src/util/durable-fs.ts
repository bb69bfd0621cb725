import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';

/** The part of a `FileHandle` the file sink uses. */
export interface AuditFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * The file system calls the file sink makes. Tests pass a wrapper that fails like a full or
 * read-only disk would (ENOSPC after some bytes, EROFS), which a real disk cannot be made to do
 * on demand.
 */
export interface AuditFs {
  open(path: string, flags: string, mode?: number): Promise<AuditFileHandle>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  unlink(path: string): Promise<void>;
}

export const nodeAuditFs: AuditFs = {
  open: (path, flags, mode) => open(path, flags, mode),
  mkdir: (path, options) => mkdir(path, options),
  readdir: (path) => readdir(path),
  readFile: (path, encoding) => readFile(path, encoding),
  unlink: (path) => unlink(path),
};

export async function writeFully(handle: AuditFileHandle, buffer: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

/** Makes a new directory entry (a segment created, a lock taken) survive a crash. */
export async function syncDirectory(fs: AuditFs, dir: string): Promise<void> {
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
export async function ensureDirectory(fs: AuditFs, dir: string): Promise<void> {
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
