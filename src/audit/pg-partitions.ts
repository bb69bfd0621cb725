import type { PgQueryable } from '../db/pg-pool-like.js';
import { AUDIT_ARCHIVE_TABLE, AUDIT_EVENTS_TABLE, type AuditPgTables } from './pg-tables.js';

/** `saferoute_audit_events_p202612`: the partition holding the records of that month (UTC). */
export function monthlyPartitionName(year: number, month: number): string {
  return `${AUDIT_EVENTS_TABLE}_p${year}${String(month).padStart(2, '0')}`;
}

function monthStart(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return `${d.toISOString().slice(0, 10)} 00:00:00+00`;
}

/** Names of the partitions the archive ledger lists (none when there is no ledger yet). */
export async function archivedPartitions(db: PgQueryable, tables: AuditPgTables): Promise<Set<string>> {
  const ledger = tables.beside(AUDIT_ARCHIVE_TABLE);
  const exists = await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [ledger]);
  if (!exists.rows[0]?.ok) return new Set();
  const res = await db.query<{ partition: string }>(`SELECT partition FROM ${ledger}`);
  return new Set(res.rows.map((r) => r.partition));
}

/**
 * Creates the monthly partitions of the month of `now` and the `ahead` months after it, when the
 * events table is partitioned (migration `0102_audit_events_partitioned`) and they are missing.
 * A month the archive ledger lists is never made again. Several instances may do this at once. Returns the problems met (a month whose rows already
 * landed in the default partition cannot get its own partition), never throws for them.
 */
export async function ensureAuditPartitions(db: PgQueryable, tables: AuditPgTables, now: Date, ahead = 1): Promise<string[]> {
  const partitioned = await db.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass($1)) AS ok`, [tables.events]);
  if (!partitioned.rows[0]?.ok) return [];
  const problems: string[] = [];
  const archived = await archivedPartitions(db, tables);
  for (let i = 0; i <= ahead; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    const [y, m] = [d.getUTCFullYear(), d.getUTCMonth() + 1];
    const next = new Date(Date.UTC(y, m, 1));
    const name = monthlyPartitionName(y, m);
    // A month `saferoute audit archive` has moved out (a clock behind): its late rows go to the
    // default partition and stay in the table, never into a second partition of the same name.
    if (archived.has(name)) continue;
    const exists = await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [tables.beside(name)]);
    if (exists.rows[0]?.ok) continue;
    try {
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${tables.beside(name)} PARTITION OF ${tables.events} FOR VALUES FROM ('${monthStart(y, m)}') TO ('${monthStart(next.getUTCFullYear(), next.getUTCMonth() + 1)}')`,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      // Another instance created it at the same moment.
      if (code === '42P07' || code === '23505') continue;
      problems.push(`cannot create audit partition ${name}: ${(err as Error).message}`);
    }
  }
  return problems;
}
