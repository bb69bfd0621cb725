import type { Migration } from '../../db/migration.js';

export const CONSENT_EVENTS_TABLE = 'saferoute_consent_events';

/**
 * The consent events table. Append-only is enforced by the database too: triggers refuse UPDATE,
 * DELETE and TRUNCATE, so no code path (or operator slip) can rewrite consent history.
 */
export const CONSENT_MIGRATIONS: Migration[] = [
  {
    id: '0001_consent_events',
    description: 'consent events (ISO/IEC TS 27560 shaped), append-only',
    sql: `
CREATE TABLE saferoute_consent_events (
  seq bigserial PRIMARY KEY,
  record_id uuid NOT NULL UNIQUE,
  subject text NOT NULL,
  scope text NOT NULL,
  version text NOT NULL,
  state text NOT NULL CHECK (state IN ('given', 'withdrawn', 'reaffirmed', 'expired')),
  at timestamptz NOT NULL,
  notice_id text,
  notice_sha256 text CHECK (notice_sha256 ~ '^[0-9a-f]{64}$'),
  collection_method text NOT NULL,
  expires_at timestamptz,
  jurisdiction text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saferoute_consent_events_subject_scope ON saferoute_consent_events (subject, scope, at, seq);
CREATE FUNCTION saferoute_consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'saferoute_consent_events is append-only';
END
$$;
CREATE TRIGGER saferoute_consent_events_no_change BEFORE UPDATE OR DELETE ON saferoute_consent_events
  FOR EACH ROW EXECUTE FUNCTION saferoute_consent_events_append_only();
CREATE TRIGGER saferoute_consent_events_no_truncate BEFORE TRUNCATE ON saferoute_consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION saferoute_consent_events_append_only();
`,
  },
];
