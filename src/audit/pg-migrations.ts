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
];
