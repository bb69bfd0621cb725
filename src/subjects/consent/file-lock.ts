import { open, readFile, unlink } from 'node:fs/promises';
import { ConsentStoreError } from './consent-store-error.js';

/** Lock files held by this process, so a stale lock left by an earlier process with our pid (containers) is told apart. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file holding our pid. The file store has one writer: a second process would
 * interleave appends with a stale index. A lock whose process is gone (crash, kill -9) is taken over.
 */
export async function acquireFileLock(lockPath: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      heldHere.add(lockPath);
      return async () => {
        heldHere.delete(lockPath);
        await unlink(lockPath).catch(() => {});
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConsentStoreError(`cannot lock \`${what}\`: ${(e as Error).message}`, { cause: e });
      }
      const pid = Number.parseInt((await readFile(lockPath, 'utf8').catch(() => '')).trim(), 10);
      const ours = pid === process.pid;
      if (ours && heldHere.has(lockPath)) throw new ConsentStoreError(`\`${what}\` is already open in this process`);
      if (!ours && pid > 0 && isAlive(pid)) {
        throw new ConsentStoreError(`\`${what}\` is in use by process ${pid}; stop it, or use the PostgreSQL store for several processes`);
      }
      await unlink(lockPath).catch(() => {});
    }
  }
  throw new ConsentStoreError(`cannot lock \`${what}\`: lock file keeps reappearing`);
}
