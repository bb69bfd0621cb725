/**
 * A writer process for the crash test: appends under load and prints `ack <decisionId>` for every
 * acknowledged record, until the parent kills it with SIGKILL.
 *
 *   mode `load`: 64 concurrent appenders, forever
 *   mode `torn`: after 50 records, the next batch is written but for its last 10 bytes and the
 *                write never returns; prints `torn-ready` so the parent kills it at that moment
 */
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { nodeAuditFs, type AuditFs } from '../../src/audit/audit-fs.js';
import { sampleBody } from './fixtures.js';

const [dir, mode, keyPem] = process.argv.slice(2) as [string, 'load' | 'torn', string];

function tearingFs(afterBatches: number): AuditFs {
  let segmentWrites = 0;
  return {
    ...nodeAuditFs,
    async open(path, flags, m) {
      const handle = await nodeAuditFs.open(path, flags, m);
      if (!path.endsWith('.jsonl') || path.includes('checkpoints')) return handle;
      return {
        ...handle,
        write: async (buffer, offset, length, position) => {
          if (++segmentWrites <= afterBatches) return handle.write(buffer, offset, length, position);
          // Cut inside the batch's last record, whatever the batch holds.
          await handle.write(buffer, offset, length - 10, position);
          await handle.datasync();
          process.stdout.write('torn-ready\n');
          setInterval(() => undefined, 1000);
          return new Promise<never>(() => undefined);
        },
        read: (...a) => handle.read(...a),
        datasync: () => handle.datasync(),
        sync: () => handle.sync(),
        truncate: (n) => handle.truncate(n),
        stat: () => handle.stat(),
        close: () => handle.close(),
      };
    },
  };
}

const sink = await createFileAuditSink({
  dir,
  writerId: 'crash',
  checkpoint: { key: keyPem, intervalMs: 50 },
  ...(mode === 'torn' ? { fs: tearingFs(51), groupCommit: { maxBatch: 4 } } : {}),
});
process.stdout.write('ready\n');

async function appender(limit: number): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const body = sampleBody();
    const ack = await sink.append(body);
    if (ack.durable) process.stdout.write(`ack ${body.decisionId}\n`);
  }
}

if (mode === 'load') {
  await Promise.all(Array.from({ length: 64 }, () => appender(Number.POSITIVE_INFINITY)));
} else {
  await appender(50);
  await Promise.all(Array.from({ length: 8 }, () => appender(1)));
}
