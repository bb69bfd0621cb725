import { join } from 'node:path';
import type { AuditFs } from './audit-fs.js';
import { AuditError } from './audit-error.js';
import { LOCK_FILE_NAME } from './segment-files.js';
import { acquirePidLock, pidLockIsLive } from '../util/pid-lock-file.js';

/** One live process per writer id: two processes appending to the same chain would fork it. */
export function acquireWriterLock(fs: AuditFs, writerDir: string, writerId: string): Promise<() => Promise<void>> {
  return acquirePidLock(join(writerDir, LOCK_FILE_NAME), {
    fs,
    held: (holder) =>
      new AuditError(`audit writer \`${writerId}\` is in use by pid ${holder.pid} on \`${holder.host}\` since ${holder.since}; give each process its own writerId (\`audit.writerId\` in a gateway config, or SAFEROUTE_AUDIT_WRITER_ID)`),
    failed: (cause) => (cause instanceof Error && 'code' in cause && cause.code !== undefined ? cause : new AuditError(`could not take the lock of audit writer \`${writerId}\``, { cause })),
  });
}

/** True when the writer's lock names a process that is still running on this host. */
export function writerLockIsLive(fs: AuditFs, writerDir: string): Promise<boolean> {
  return pidLockIsLive(join(writerDir, LOCK_FILE_NAME), fs);
}
