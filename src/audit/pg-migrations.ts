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
    id: '0102_audit_events_partitioned',
    description: 'audit trail: the events table partitioned by month of ts (an existing table is converted, its rows copied)',
    // Runs in one transaction: an existing unpartitioned table is renamed, a partition is created
    // for every month its rows span, the rows are copied over and the old table dropped. On a large
    // table this holds a lock for as long as the copy takes: run `saferoute migrate` in a quiet hour
    // (gateways fail closed meanwhile). The primary key includes ts, as partitioning requires; one
    // writer per chain is still kept by the writer's advisory lock, and verify checks the chains.
    sql: `
DO $$
DECLARE
  existing "char";
  lo date;
  hi date;
  m date;
BEGIN
  SELECT c.relkind INTO existing FROM pg_class c WHERE c.oid = to_regclass('saferoute_audit_events');
  IF existing = 'p' THEN
    RETURN;
  END IF;
  IF existing IS NOT NULL AND existing <> 'r' THEN
    RAISE EXCEPTION 'saferoute_audit_events is neither a table nor a partitioned table (relkind %); rename it and run saferoute migrate again', existing;
  END IF;
  IF existing = 'r' THEN
    ALTER TABLE saferoute_audit_events RENAME TO saferoute_audit_events_unpartitioned;
    ALTER INDEX IF EXISTS saferoute_audit_events_pkey RENAME TO saferoute_audit_events_unpartitioned_pkey;
    ALTER INDEX IF EXISTS saferoute_audit_events_ts RENAME TO saferoute_audit_events_unpartitioned_ts;
    ALTER INDEX IF EXISTS saferoute_audit_events_decision RENAME TO saferoute_audit_events_unpartitioned_decision;
  END IF;
  CREATE TABLE saferoute_audit_events (
    writer_id   text        NOT NULL,
    epoch       integer     NOT NULL,
    seq         bigint      NOT NULL,
    ts          timestamptz NOT NULL,
    kind        text        NOT NULL,
    decision_id uuid,
    prev        char(64)    NOT NULL,
    hash        char(64)    NOT NULL,
    body        text        NOT NULL,
    PRIMARY KEY (writer_id, epoch, seq, ts)
  ) PARTITION BY RANGE (ts);
  CREATE INDEX saferoute_audit_events_ts ON saferoute_audit_events (ts);
  CREATE INDEX saferoute_audit_events_decision ON saferoute_audit_events (decision_id) WHERE decision_id IS NOT NULL;
  -- Rows of a month whose partition was not made ahead of time land here rather than fail.
  CREATE TABLE saferoute_audit_events_default PARTITION OF saferoute_audit_events DEFAULT;
  IF existing = 'r' THEN
    SELECT date_trunc('month', min(ts) AT TIME ZONE 'UTC')::date, date_trunc('month', max(ts) AT TIME ZONE 'UTC')::date
      INTO lo, hi FROM saferoute_audit_events_unpartitioned;
    m := lo;
    WHILE m IS NOT NULL AND m <= hi LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF saferoute_audit_events FOR VALUES FROM (%L) TO (%L)',
        'saferoute_audit_events_p' || to_char(m, 'YYYYMM'),
        to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
        to_char((m + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
      m := (m + interval '1 month')::date;
    END LOOP;
    INSERT INTO saferoute_audit_events SELECT writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body FROM saferoute_audit_events_unpartitioned;
    DROP TABLE saferoute_audit_events_unpartitioned;
  END IF;
END
$$;
`,
  },
  {
    id: '0103_audit_archive_ledger',
    description: 'audit trail: the ledger of monthly partitions moved out by `saferoute audit archive`',
    // state `detached`: detached from the events table, its archive not yet verified (a rerun
    // finishes it); `archived`: verified at `location` (manifest_sha256) and the table dropped.
    sql: `
CREATE TABLE IF NOT EXISTS saferoute_audit_archive (
  partition        text        PRIMARY KEY,
  lower_ts         timestamptz NOT NULL,
  upper_ts         timestamptz NOT NULL,
  state            text        NOT NULL CHECK (state IN ('detached', 'archived')),
  records          bigint,
  manifest_sha256  char(64),
  location         text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  archived_at      timestamptz
);
`,
  },
  {
    id: '0104_audit_archive_ledger_write_once',
    description: 'audit trail: archive ledger rows are written once (inserted detached, then archived once; never changed or deleted)',
    // The ledger's manifest_sha256 is what anchors an archived month's manifest (and through it
    // every file) in the database: a role that can rewrite it could swap the archive for a
    // consistent forgery. Only the archive's own steps pass: INSERT of a fresh 'detached' row, and
    // one UPDATE of it to 'archived' with its manifest. As with the witness, only a role that can
    // drop the triggers gets past them.
    sql: `
CREATE OR REPLACE FUNCTION saferoute_audit_archive_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.state = 'detached' AND NEW.manifest_sha256 IS NULL AND NEW.records IS NULL AND NEW.location IS NULL AND NEW.archived_at IS NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.state = 'detached' AND NEW.state = 'archived' AND NEW.manifest_sha256 IS NOT NULL
     AND NEW.partition = OLD.partition AND NEW.lower_ts = OLD.lower_ts AND NEW.upper_ts = OLD.upper_ts AND NEW.started_at = OLD.started_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'saferoute_audit_archive rows are written once: % refused', TG_OP;
END
$$;
DROP TRIGGER IF EXISTS saferoute_audit_archive_write_once ON saferoute_audit_archive;
CREATE TRIGGER saferoute_audit_archive_write_once BEFORE INSERT OR UPDATE OR DELETE ON saferoute_audit_archive
  FOR EACH ROW EXECUTE FUNCTION saferoute_audit_archive_write_once();
DROP TRIGGER IF EXISTS saferoute_audit_archive_no_truncate ON saferoute_audit_archive;
CREATE TRIGGER saferoute_audit_archive_no_truncate BEFORE TRUNCATE ON saferoute_audit_archive
  FOR EACH STATEMENT EXECUTE FUNCTION saferoute_audit_archive_write_once();
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
  {
    id: '0120_audit_events_packed',
    description: 'audit trail: a row may hold a run of consecutive records of one writer (records, decision_ids), its body compressed with lz4 where the server has it',
    // A busy writer packs runs of consecutive records into one row (see pg-packed-rows.ts): one
    // heap tuple and one entry per index for several records, and a body long enough for
    // PostgreSQL to compress. Existing rows are rows of one record (the default); adding the
    // columns rewrites nothing. The GIN index finds a decision id inside a packed row; fastupdate
    // is off so that no insert ever pays for merging a pending list.
    sql: `
ALTER TABLE saferoute_audit_events ADD COLUMN IF NOT EXISTS records integer NOT NULL DEFAULT 1;
ALTER TABLE saferoute_audit_events ADD COLUMN IF NOT EXISTS decision_ids uuid[];
CREATE INDEX IF NOT EXISTS saferoute_audit_events_decisions ON saferoute_audit_events USING gin (decision_ids) WITH (fastupdate = off) WHERE decision_ids IS NOT NULL;
DO $$
DECLARE
  part regclass;
BEGIN
  -- The partitioned table's setting is what new partitions get; the existing ones are set one by one.
  ALTER TABLE saferoute_audit_events ALTER COLUMN body SET COMPRESSION lz4;
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = to_regclass('saferoute_audit_events') LOOP
    EXECUTE format('ALTER TABLE %s ALTER COLUMN body SET COMPRESSION lz4', part);
  END LOOP;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  -- A server built without lz4 compresses with pglz, its default.
  NULL;
END
$$;
`,
  },
];
