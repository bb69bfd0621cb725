import type { DecisionAuditBody } from '../audit/audit-event.js';
import { readLineBatches } from '../audit/read-lines.js';
import type { ReplayEngine } from './replay-engine.js';

/**
 * Streams segment files through an engine: one `JSON.parse` per line and no hash checking
 * (replaying is not verifying: `saferoute audit verify` proves the log). Lines that are not
 * records are skipped. `onBytes` is told how far each file has been read.
 */
export async function replaySegmentFiles(files: readonly string[], engine: ReplayEngine, onBytes?: (bytes: number) => void): Promise<void> {
  for (const file of files) {
    for await (const batch of readLineBatches(file)) {
      let bytes = 0;
      for (const raw of batch) {
        bytes += raw.bytes.length + 1;
        if (!raw.terminated || raw.bytes.length === 0) continue;
        const line = raw.bytes.toString('utf8');
        let record: DecisionAuditBody & { ts?: string };
        try {
          record = JSON.parse(line) as DecisionAuditBody & { ts?: string };
        } catch {
          continue;
        }
        if (typeof record !== 'object' || record === null || record.kind !== 'decision') continue;
        const waiting = engine.handle(record, line);
        if (waiting) await waiting;
      }
      onBytes?.(bytes);
    }
  }
}
