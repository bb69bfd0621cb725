/**
 * A PostgreSQL schema migration. Each feature that stores data in PostgreSQL (audit, consent)
 * exports its list; `saferoute migrate` applies the pending ones in id order, each in a
 * transaction, and records them in `saferoute_migrations`.
 */
export interface Migration {
  /** Unique and sortable, e.g. `0001_consent_events`. */
  id: string;
  description: string;
  sql: string;
}
