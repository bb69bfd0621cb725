import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { nodeDurableFs, syncDirectory, type DurableFs } from './durable-fs.js';

/** Who holds a lock file: `{ pid, host, since }` as JSON (a bare pid from earlier versions is read too). */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

// Lock files this process holds: our own pid in a lock we do not hold is a stale lock left by an
// earlier process that had the same pid (pid 1 in a restarted container), not a live one.
const heldHere = new Set<string>();

export interface PidLockOptions {
  fs?: DurableFs;
  /** The error to throw when a live process (or this one) holds the lock. */
  held(holder: LockHolder, byThisProcess: boolean): Error;
  /** The error to throw when the lock cannot be taken for another reason (`cause`: what failed). */
  failed(cause: unknown): Error;
}

/**
 * One live process per resource: an exclusive lock file with our pid, written and fsync'd (the
 * file and its directory) before it counts. A lock left by a process that is gone (SIGKILL, power
 * loss) is taken over; on another host a lock is always taken as live.
 */
export async function acquirePidLock(path: string, options: PidLockOptions): Promise<() => Promise<void>> {
  const fs = options.fs ?? nodeDurableFs;
  const info: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
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
      await syncDirectory(fs, dirname(path));
      heldHere.add(path);
      return async () => {
        heldHere.delete(path);
        await fs.unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw options.failed(err);
    }
    const holder = await readLockHolder(fs, path);
    if (holder && heldHere.has(path) && holder.pid === process.pid && holder.host === hostname()) throw options.held(holder, true);
    if (holder && holderIsLive(holder, path)) throw options.held(holder, false);
    await fs.unlink(path).catch(() => undefined);
  }
  throw options.failed(new Error('the lock file keeps reappearing'));
}

/** True when the lock file names a process that is still running (on this host; elsewhere: assumed). */
export async function pidLockIsLive(path: string, fs: DurableFs = nodeDurableFs): Promise<boolean> {
  const holder = await readLockHolder(fs, path);
  return holder !== undefined && holderIsLive(holder, path);
}

export async function readLockHolder(fs: DurableFs, path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '') };
  } catch {
    const pid = Number.parseInt(text.trim(), 10);
    if (pid > 0) return { pid, host: hostname(), since: '' };
  }
  // Unreadable or half-written by a process that died while taking it: stale.
  return undefined;
}

function holderIsLive(holder: LockHolder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
