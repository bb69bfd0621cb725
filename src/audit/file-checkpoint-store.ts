import { join } from 'node:path';
import type { AuditFileHandle, AuditFs } from './audit-fs.js';
import { ensureDirectory, syncDirectory, writeFully } from './audit-fs.js';
import { checkpointHashProblem, checkpointLine, isCheckpointShape, type AuditCheckpoint } from './audit-checkpoint.js';
import type { CheckpointStore } from './checkpointer.js';
import { checkpointFileName, listCheckpointFiles } from './segment-files.js';

/**
 * Checkpoints of one writer epoch in `<checkpointsDir>/<writerId>/<epoch>.jsonl`: a new file per
 * epoch, so a writer never appends after a line a crash may have torn.
 */
export function createFileCheckpointStore(fs: AuditFs, checkpointsDir: string, writerId: string, epoch: number): CheckpointStore {
  const dir = join(checkpointsDir, writerId);
  const path = join(dir, checkpointFileName(epoch));
  let handle: AuditFileHandle | undefined;
  let size = 0;
  return {
    async previous() {
      const files = (await listCheckpointFiles(fs, checkpointsDir)).filter((f) => f.checkpointer === writerId && f.epoch < epoch);
      const last = files[files.length - 1];
      if (!last) return {};
      try {
        const text = await fs.readFile(last.path, 'utf8');
        const lines = text.split('\n').filter((l) => l.length > 0);
        for (let i = lines.length - 1; i >= 0; i--) {
          try {
            const parsed: unknown = JSON.parse(lines[i] as string);
            if (isCheckpointShape(parsed) && !checkpointHashProblem(parsed)) return { checkpoint: parsed };
          } catch {
            // a torn or edited line: look further back
          }
        }
        return { unreadable: { epoch: last.epoch, reason: 'no intact checkpoint in the file' } };
      } catch (err) {
        return { unreadable: { epoch: last.epoch, reason: (err as Error).message } };
      }
    },
    async append(checkpoint: AuditCheckpoint) {
      if (!handle) {
        await ensureDirectory(fs, dir);
        handle = await fs.open(path, 'a+', 0o644);
        size = (await handle.stat()).size;
        await syncDirectory(fs, dir);
      }
      const buf = Buffer.from(checkpointLine(checkpoint) + '\n', 'utf8');
      try {
        await writeFully(handle, buf, size);
        await handle.datasync();
        size += buf.length;
      } catch (err) {
        await handle.truncate(size).catch(() => undefined);
        throw err;
      }
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}
