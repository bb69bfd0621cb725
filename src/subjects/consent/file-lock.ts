import { ConsentStoreError } from './consent-store-error.js';
import { acquirePidLock } from '../../util/pid-lock-file.js';

/**
 * An exclusive lock file holding our pid. The file store has one writer: a second process would
 * interleave appends with a stale index. A lock whose process is gone (crash, kill -9) is taken over.
 */
export function acquireFileLock(lockPath: string, what: string): Promise<() => Promise<void>> {
  return acquirePidLock(lockPath, {
    held: (holder, byThisProcess) =>
      new ConsentStoreError(
        byThisProcess
          ? `\`${what}\` is already open in this process`
          : `\`${what}\` is in use by process ${holder.pid}; stop it, or use the PostgreSQL store for several processes`,
      ),
    failed: (cause) => new ConsentStoreError(`cannot lock \`${what}\`: ${cause instanceof Error ? cause.message : String(cause)}`, { cause }),
  });
}
