import { createHash } from 'node:crypto';
import { qualifiedName } from '../../db/pg-identifiers.js';
import type { PgQueryConfigLike, PgQueryResultLike } from '../../db/pg-pool-like.js';
import { resolvePgPool, type PgConnectionOptions } from '../../db/pg-pool.js';
import { createPseudonymiser, type PseudonymKey } from '../pseudonym.js';
import type { ConsentState } from '../subject-context.js';
import { CONSENT_EVENTS_TABLE } from './consent-migrations.js';
import { ConsentRecordError, createConsentRecord, isValidSubjectId, type CollectionMethod, type ConsentEventInput, type ConsentRecord } from './consent-record.js';
import { consentStateAt, type ConsentStatus } from './consent-state.js';
import type { ConsentStore } from './consent-store.js';
import { ConsentStoreError } from './consent-store-error.js';

export interface PgConsentStoreOptions extends PgConnectionOptions {
  pseudonymKey: PseudonymKey;
  /** Schema of `saferoute_consent_events` (as given to `runMigrations`); default: the search_path. */
  schema?: string;
  now?: () => Date;
}

interface Row {
  record_id: string;
  subject: string;
  scope: string;
  version: string;
  state: ConsentState;
  at: Date;
  notice_id: string | null;
  notice_sha256: string | null;
  collection_method: CollectionMethod;
  expires_at: Date | null;
  jurisdiction: string | null;
}

function fromRow(row: Row): ConsentRecord {
  const r: ConsentRecord = {
    recordId: row.record_id,
    subject: row.subject,
    scope: row.scope,
    version: row.version,
    state: row.state,
    at: row.at.toISOString(),
    collectionMethod: row.collection_method,
  };
  if (row.notice_id != null) r.noticeId = row.notice_id;
  if (row.notice_sha256 != null) r.noticeSha256 = row.notice_sha256;
  if (row.expires_at != null) r.expiresAt = row.expires_at.toISOString();
  if (row.jurisdiction != null) r.jurisdiction = row.jurisdiction;
  return r;
}

const COLUMNS = 'record_id, subject, scope, version, state, at, notice_id, notice_sha256, collection_method, expires_at, jurisdiction';

/**
 * Consent events in PostgreSQL, shared by any number of gateway instances. INSERT only; each
 * append is its own statement, so concurrent writers never lose one another's events. `stateAt`
 * reads, through the (subject, scope, at, seq) index, only the event that set the state as of
 * that time and the reaffirmations after it, however long the subject's history.
 */
export function createPgConsentStore(options: PgConsentStoreOptions): ConsentStore {
  const { pool, owned } = resolvePgPool(options);
  const table = qualifiedName(CONSENT_EVENTS_TABLE, options.schema);
  const pseudonym = createPseudonymiser(options.pseudonymKey);
  const now = options.now ?? (() => new Date());
  let closed = false;

  function statement(kind: string, text: string): (values: unknown[]) => PgQueryConfigLike {
    // Named statements are prepared once per connection; the name follows the text (schema included).
    const name = `saferoute_consent_${kind}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    return (values) => ({ name, text, values });
  }
  const insert = statement(
    'insert',
    `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (record_id) DO NOTHING RETURNING record_id`,
  );
  const byRecordId = statement('by_id', `SELECT ${COLUMNS} FROM ${table} WHERE record_id = $1`);
  const bySubject = statement('by_subject', `SELECT ${COLUMNS} FROM ${table} WHERE subject = $1 ORDER BY at, seq`);
  const byScope = statement('by_scope', `SELECT ${COLUMNS} FROM ${table} WHERE subject = $1 AND scope = $2 ORDER BY at, seq`);
  // State as of T from the index, not from the whole history: the last grant, withdrawal or expiry
  // at or before T (on equal times the strictest, then the latest written: the order the fold
  // applies them in) and the reaffirmations from its time on. Nothing before that event can
  // change the state (see consentStateAt), so folding just these rows gives the same answer.
  // One statement: one snapshot, so a withdrawal committed before the lookup started is in it.
  const upTo = statement(
    'as_of',
    `WITH anchor AS (
       SELECT ${COLUMNS}, seq FROM ${table}
        WHERE subject = $1 AND scope = $2 AND at <= $3 AND state <> 'reaffirmed'
        ORDER BY at DESC, (CASE state WHEN 'withdrawn' THEN 3 WHEN 'expired' THEN 2 ELSE 0 END) DESC, seq DESC
        LIMIT 1)
     SELECT ${COLUMNS}, seq FROM anchor
     UNION ALL
     SELECT ${COLUMNS}, seq FROM ${table}
      WHERE subject = $1 AND scope = $2 AND state = 'reaffirmed' AND at <= $3 AND at >= (SELECT at FROM anchor)
     ORDER BY at, seq`,
  );

  async function query(config: PgQueryConfigLike, what: string): Promise<PgQueryResultLike<Row>> {
    if (closed) throw new ConsentStoreError('consent store is closed');
    try {
      return await pool.query<Row>(config);
    } catch (e) {
      const hint = (e as { code?: string }).code === '42P01' ? ' (run `saferoute migrate --pg URL` first)' : '';
      throw new ConsentStoreError(`consent store ${what} failed: ${(e as Error).message}${hint}`, { cause: e });
    }
  }

  return {
    async append(input: ConsentEventInput): Promise<ConsentRecord> {
      const record = createConsentRecord(input, pseudonym, now);
      const result = await query(
        insert([
          record.recordId,
          record.subject,
          record.scope,
          record.version,
          record.state,
          record.at,
          record.noticeId ?? null,
          record.noticeSha256 ?? null,
          record.collectionMethod,
          record.expiresAt ?? null,
          record.jurisdiction ?? null,
        ]),
        'append',
      );
      if (result.rowCount === 1) return record;
      const existing = await query(byRecordId([record.recordId]), 'lookup');
      const row = existing.rows[0];
      if (row == null) throw new ConsentStoreError(`record \`${record.recordId}\` was neither inserted nor found`);
      const stored = fromRow(row);
      if (stored.subject !== record.subject) throw new ConsentRecordError(`record id \`${record.recordId}\` is already used by another subject`);
      return stored;
    },

    async events(subjectId: string, scope?: string): Promise<ConsentRecord[]> {
      if (!isValidSubjectId(subjectId)) return [];
      const subject = pseudonym(subjectId);
      const result = await query(scope != null ? byScope([subject, scope]) : bySubject([subject]), 'lookup');
      return result.rows.map(fromRow);
    },

    async stateAt(subjectId: string, scope: string, at: Date): Promise<ConsentStatus> {
      if (!isValidSubjectId(subjectId) || !Number.isFinite(at.getTime())) return { scope, state: 'none' };
      const result = await query(upTo([pseudonym(subjectId), scope, at.toISOString()]), 'lookup');
      return consentStateAt(result.rows.map(fromRow), scope, at);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await pool.end();
    },
  };
}
