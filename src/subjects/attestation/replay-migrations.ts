import type { Migration } from '../../db/migration.js';

export const USED_ATTESTATIONS_TABLE = 'saferoute_used_attestations';

export const REPLAY_MIGRATIONS: Migration[] = [
  {
    id: '0001_attestation_replay',
    description: 'single-use attestation tokens already seen, kept until they expire',
    sql: `
CREATE TABLE saferoute_used_attestations (
  token_key text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saferoute_used_attestations_expires ON saferoute_used_attestations (expires_at);
`,
  },
];
