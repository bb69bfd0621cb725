import { SaferouteError } from '../errors.js';
import { openPgPoolFromEnv } from '../db/pg-settings.js';
import { redactUrl } from './redact-url.js';
import { auditPgTables } from './pg-tables.js';
import type { AuditLogSource } from './verify-audit-log.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Before a command reads a PostgreSQL audit log: the database answers (else a configuration error,
 * exit 78, naming `--pg` and the redacted URL, as `saferoute migrate` says it) and holds the audit
 * tables (else: run `saferoute migrate`). Without this, a wrong URL or an unmigrated database
 * surfaced as an internal error with a stack trace. A directory source is left to its reader.
 */
export async function checkAuditSource(source: AuditLogSource, env: Env): Promise<void> {
  if (!('pg' in source) || source.pg.connectionString === undefined) return;
  const url = source.pg.connectionString;
  const pool = await openPgPoolFromEnv({ ...env, SAFEROUTE_PG_POOL_MAX: '1' }, url);
  try {
    const events = auditPgTables(source.pg.schema).events;
    const res = await pool.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [events]);
    if (res.rows[0]?.found == null) {
      const schema = source.pg.schema !== undefined ? ` --schema ${source.pg.schema}` : '';
      throw new SaferouteError(
        'config_invalid',
        `the database at ${redactUrl(url)} (--pg) holds no saferoute audit log (no table ${events}); run \`saferoute migrate --pg URL${schema}\` first, or check --pg${source.pg.schema !== undefined ? ' and --schema' : ''}`,
      );
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
}
