import type { Migration } from '../db/migration.js';
import { REPLAY_MIGRATIONS } from './attestation/replay-migrations.js';
import { CONSENT_MIGRATIONS } from './consent/consent-migrations.js';

/** Everything the subjects feature keeps in PostgreSQL: consent events and used single-use tokens. */
export const SUBJECT_MIGRATIONS: Migration[] = [...CONSENT_MIGRATIONS, ...REPLAY_MIGRATIONS];
