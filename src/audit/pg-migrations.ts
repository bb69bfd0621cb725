import type { Migration } from '../db/migration.js';

/**
 * The audit tables. `body` is text, not jsonb: it holds the exact canonical bytes that were
 * hashed (jsonb would reorder keys and reformat numbers). The other columns are copies for
 * indexing; `saferoute audit verify --pg` checks that they agree with the body.
 */
export const AUDIT_MIGRATIONS: Migration[] = [
  {
    id: '0100_audit_events',
    description: 'audit trail: per-writer hash-chained decision records and signed checkpoints',
    sql: `
CREATE TABLE IF NOT EXISTS saferoute_audit_events (
  writer_id   text        NOT NULL,
  epoch       integer     NOT NULL,
  seq         bigint      NOT NULL,
  ts          timestamptz NOT NULL,
  kind        text        NOT NULL,
  decision_id uuid,
  prev        char(64)    NOT NULL,
  hash        char(64)    NOT NULL,
  body        text        NOT NULL,
  PRIMARY KEY (writer_id, epoch, seq)
);
CREATE INDEX IF NOT EXISTS saferoute_audit_events_ts ON saferoute_audit_events (ts);
CREATE INDEX IF NOT EXISTS saferoute_audit_events_decision ON saferoute_audit_events (decision_id) WHERE decision_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS saferoute_audit_checkpoints (
  checkpointer text        NOT NULL,
  epoch        integer     NOT NULL,
  n            bigint      NOT NULL,
  ts           timestamptz NOT NULL,
  hash         char(64)    NOT NULL,
  body         text        NOT NULL,
  PRIMARY KEY (checkpointer, epoch, n)
);
`,
  },
  {
    id: '0101_audit_witness',
    description: 'audit trail: checkpoint witness (append-only copies of signed checkpoints)',
    // Run it in another database, or grant the writers' role only INSERT and SELECT: a witness
    // the log's writer can rewrite proves nothing. The triggers refuse UPDATE, DELETE and TRUNCATE
    // from anyone but a role that can drop them.
    sql: `
CREATE TABLE IF NOT EXISTS saferoute_audit_witness (
  log          text        NOT NULL,
  checkpointer text        NOT NULL,
  epoch        integer     NOT NULL,
  n            bigint      NOT NULL,
  ts           timestamptz NOT NULL,
  hash         char(64)    NOT NULL,
  body         text        NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (log, checkpointer, epoch, n)
);
CREATE OR REPLACE FUNCTION saferoute_audit_witness_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'saferoute_audit_witness is append-only';
END
$$;
DROP TRIGGER IF EXISTS saferoute_audit_witness_no_change ON saferoute_audit_witness;
CREATE TRIGGER saferoute_audit_witness_no_change BEFORE UPDATE OR DELETE ON saferoute_audit_witness
  FOR EACH ROW EXECUTE FUNCTION saferoute_audit_witness_append_only();
DROP TRIGGER IF EXISTS saferoute_audit_witness_no_truncate ON saferoute_audit_witness;
CREATE TRIGGER saferoute_audit_witness_no_truncate BEFORE TRUNCATE ON saferoute_audit_witness
  FOR EACH STATEMENT EXECUTE FUNCTION saferoute_audit_witness_append_only();
`,
  },
  {
    id: '0110_audit_policy_archive',
    description: 'audit trail: every resolved policy that decided something, by its SHA-256',
    // body: the canonical JSON whose SHA-256 is the key (text, not jsonb, for the same reason as events).
    sql: `
CREATE TABLE IF NOT EXISTS saferoute_audit_policies (
  sha256      char(64)    PRIMARY KEY,
  policy_id   text        NOT NULL,
  revision    text        NOT NULL,
  body        text        NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
];
