import type { AuditCheckpoint } from './audit-checkpoint.js';
import { checkpointLine } from './audit-checkpoint.js';
import { AuditError } from './audit-error.js';
import { parseWitnessedCheckpoint, type CheckpointWitness } from './checkpoint-witness.js';
import { auditPgTables, poolOf, type AuditPgConnection } from './pg-tables.js';
import { redactUrl } from './redact-url.js';

export interface PgCheckpointWitnessOptions extends AuditPgConnection {
  /** Several logs can share one witness table; each names its own (default `default`). */
  log?: string;
}

/**
 * A witness in the `saferoute_audit_witness` table (`saferoute migrate`). It protects the log
 * only if the log's writer cannot rewrite it: another database, or a role with INSERT and SELECT
 * only (the table's triggers also refuse UPDATE, DELETE and TRUNCATE). Publishing the same
 * checkpoint twice is harmless; a different checkpoint under the same number is refused.
 */
export function createPgCheckpointWitness(options: PgCheckpointWitnessOptions): CheckpointWitness {
  const table = auditPgTables(options.schema).witness;
  const log = options.log ?? 'default';
  const { pool, owned } = poolOf(options, 2);
  const where = options.connectionString ? redactUrl(options.connectionString) : 'postgresql';
  return {
    kind: 'pg',
    location: `${where} (table ${table}, log \`${log}\`)`,
    async publish(checkpoint: AuditCheckpoint) {
      const inserted = await pool.query(
        `INSERT INTO ${table} (log, checkpointer, epoch, n, ts, hash, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (log, checkpointer, epoch, n) DO NOTHING`,
        [log, checkpoint.checkpointer, checkpoint.epoch, checkpoint.n, checkpoint.ts, checkpoint.hash, checkpointLine(checkpoint)],
      );
      if (inserted.rowCount === 1) return;
      const held = await pool.query<{ hash: string }>(`SELECT hash FROM ${table} WHERE log = $1 AND checkpointer = $2 AND epoch = $3 AND n = $4`, [
        log,
        checkpoint.checkpointer,
        checkpoint.epoch,
        checkpoint.n,
      ]);
      if (held.rows[0]?.hash !== checkpoint.hash) {
        throw new AuditError(
          `the witness already holds another checkpoint ${checkpoint.checkpointer}/${checkpoint.epoch}#${checkpoint.n}: two writers share the id \`${checkpoint.checkpointer}\`, or the log was reset`,
        );
      }
    },
    async latest() {
      const res = await pool.query<{ body: string }>(
        `SELECT DISTINCT ON (checkpointer) body FROM ${table} WHERE log = $1 ORDER BY checkpointer, epoch DESC, n DESC`,
        [log],
      );
      const out: AuditCheckpoint[] = [];
      for (const row of res.rows) {
        const cp = parseWitnessedCheckpoint(row.body);
        if (cp) out.push(cp);
      }
      return out;
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
