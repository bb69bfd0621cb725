import pg from 'pg';
import type { PgPoolLike } from '../db/pg-pool-like.js';
import { AuditConfigError } from './audit-error.js';

export const AUDIT_EVENTS_TABLE = 'saferoute_audit_events';
/** The ledger of partitions `saferoute audit archive` moved out (migration 0103). */
export const AUDIT_ARCHIVE_TABLE = 'saferoute_audit_archive';
export const AUDIT_CHECKPOINTS_TABLE = 'saferoute_audit_checkpoints';
/** The checkpoint witness table: meant for another database (or at least another role) than the log's. */
export const AUDIT_WITNESS_TABLE = 'saferoute_audit_witness';
/** Every resolved policy that decided something, by its SHA-256 (see policy-archive.ts). */
export const AUDIT_POLICIES_TABLE = 'saferoute_audit_policies';

export interface AuditPgTables {
  events: string;
  /** The qualified, quoted name of a table beside the events (a partition). */
  beside: (name: string) => string;
  checkpoints: string;
  witness: string;
  policies: string;
}

/** Qualified, quoted table names; `schema` lets tests and tenants keep their own tables. */
export function auditPgTables(schema?: string): AuditPgTables {
  if (schema === undefined) return { events: AUDIT_EVENTS_TABLE, beside: (name) => pg.escapeIdentifier(name), checkpoints: AUDIT_CHECKPOINTS_TABLE, witness: AUDIT_WITNESS_TABLE, policies: AUDIT_POLICIES_TABLE };
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new AuditConfigError(`the audit schema \`${schema}\` is not a plain identifier`);
  const q = pg.escapeIdentifier(schema);
  return { events: `${q}.${AUDIT_EVENTS_TABLE}`, beside: (name) => `${q}.${pg.escapeIdentifier(name)}`, checkpoints: `${q}.${AUDIT_CHECKPOINTS_TABLE}`, witness: `${q}.${AUDIT_WITNESS_TABLE}`, policies: `${q}.${AUDIT_POLICIES_TABLE}` };
}

/** Where PostgreSQL audit data lives: an existing pool, or a connection string (a pool is made and ended). */
export interface AuditPgConnection {
  /** A pool owned by the caller (a `pg.Pool`); it is not ended when the sink or reader closes. */
  pool?: PgPoolLike;
  connectionString?: string;
  schema?: string;
}

export function poolOf(connection: AuditPgConnection, max: number): { pool: PgPoolLike; owned: boolean } {
  if (connection.pool) return { pool: connection.pool, owned: false };
  if (!connection.connectionString) throw new AuditConfigError('a PostgreSQL audit source needs a `pool` or a `connectionString`');
  const pool = new pg.Pool({ connectionString: connection.connectionString, max });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return { pool, owned: true };
}
