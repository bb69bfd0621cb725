import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AuditFs } from './audit-fs.js';
import { syncDirectory } from './audit-fs.js';
import { AuditError } from './audit-error.js';
import { LOCK_FILE_NAME } from './segment-files.js';

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/**
 * One live process per writer id: two processes appending to the same chain would fork it. A lock
 * left by a process that died (SIGKILL, power loss) is taken over; its pid is checked on this host.
 */
export async function acquireWriterLock(fs: AuditFs, writerDir: string, writerId: string): Promise<() => Promise<void>> {
  const path = join(writerDir, LOCK_FILE_NAME);
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await fs.open(path, 'wx', 0o644);
      try {
        const buf = Buffer.from(JSON.stringify(info) + '\n');
        await handle.write(buf, 0, buf.length, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await syncDirectory(fs, writerDir);
      return async () => {
        await fs.unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(fs, path);
    if (holder && lockIsLive(holder)) {
      throw new AuditError(
        `audit writer \`${writerId}\` is in use by pid ${holder.pid} on \`${holder.host}\` since ${holder.since}; give each process its own writerId`,
      );
    }
    await fs.unlink(path).catch(() => undefined);
  }
  throw new AuditError(`could not take the lock of audit writer \`${writerId}\``);
}

/** True when the lock file names a process that is still running on this host. */
export async function writerLockIsLive(fs: AuditFs, writerDir: string): Promise<boolean> {
  const holder = await readLock(fs, join(writerDir, LOCK_FILE_NAME));
  return holder !== undefined && lockIsLive(holder);
}

async function readLock(fs: AuditFs, path: string): Promise<LockInfo | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '') };
    }
  } catch {
    // Unreadable or half-written by a process that died while taking it: stale.
  }
  return undefined;
}

function lockIsLive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true;
  if (info.pid === process.pid) return true;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
