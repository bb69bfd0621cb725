import type { AuditCheckpoint } from './audit-checkpoint.js';
import { checkpointLine } from './audit-checkpoint.js';
import { AuditError } from './audit-error.js';
import { parseWitnessedCheckpoint, witnessRefusal, type CheckpointWitness } from './checkpoint-witness.js';
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
  const location = `${where} (table ${table}, log \`${log}\`)`;
  return {
    kind: 'pg',
    location,
    async publish(checkpoint: AuditCheckpoint) {
      const newest = await pool.query<{ body: string }>(
        `SELECT body FROM ${table} WHERE log = $1 AND checkpointer = $2 ORDER BY epoch DESC, n DESC LIMIT 1`,
        [log, checkpoint.checkpointer],
      );
      const held = newest.rows[0] ? parseWitnessedCheckpoint(newest.rows[0].body) : undefined;
      const refusal = witnessRefusal(checkpoint, held, location);
      if (refusal === 'held') return;
      if (refusal !== undefined) throw new AuditError(refusal);
      // The primary key settles a race between two publishers of one checkpointer (a shared writer id).
      const inserted = await pool.query(
        `INSERT INTO ${table} (log, checkpointer, epoch, n, ts, hash, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (log, checkpointer, epoch, n) DO NOTHING`,
        [log, checkpoint.checkpointer, checkpoint.epoch, checkpoint.n, checkpoint.ts, checkpoint.hash, checkpointLine(checkpoint)],
      );
      if (inserted.rowCount !== 1) throw new AuditError(`the witness \`${location}\` received another checkpoint ${checkpoint.checkpointer}/${checkpoint.epoch}#${checkpoint.n} at the same time: two writers share that id`);
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
