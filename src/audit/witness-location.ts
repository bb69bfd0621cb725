import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { AuditConfigError } from './audit-error.js';
import type { CheckpointWitness } from './checkpoint-witness.js';

/**
 * Refuses a file witness inside the log directory (or the checkpoints directory): whoever can
 * delete the log's newest segments could then delete the witnessed checkpoints with them, and
 * the witness would prove nothing. Symbolic links are resolved first.
 */
export async function assertWitnessOutside(witness: CheckpointWitness, logDirs: string[]): Promise<void> {
  if (witness.path === undefined) return;
  const w = await realPathOf(witness.path);
  for (const dir of logDirs) {
    const d = await realPathOf(dir);
    if (isInside(w, d)) {
      throw new AuditConfigError(
        `the checkpoint witness \`${witness.path}\` is inside the audit log directory \`${dir}\`: whoever can cut the log could cut the witness too; put it outside (another disk, or a directory only the witness owner can write)`,
      );
    }
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realPathOf(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return join(await realPathOf(parent), basename(abs));
  }
}
