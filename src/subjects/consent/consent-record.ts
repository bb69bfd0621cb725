import { SaferouteError } from '../../errors.js';
import { uuidv7 } from '../../util/uuidv7.js';
import { normaliseJurisdiction } from '../jurisdiction.js';
import { CONSENT_STATES, type ConsentEvent, type ConsentState } from '../subject-context.js';
import { isSemVer } from '../../util/semver.js';

/** How the consent was collected (ISO/IEC TS 27560 "collection method"). */
export const COLLECTION_METHODS = ['web_form', 'app', 'api', 'paper', 'verbal', 'email', 'import'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

/**
 * One consent event as stored, shaped after ISO/IEC TS 27560: who (a pseudonym only), what scope
 * and notice version, which notice text (id and SHA-256), when, how collected, how long valid.
 */
export interface ConsentRecord {
  /** UUIDv7. */
  recordId: string;
  /** HMAC-SHA256 pseudonym of the subject id; the id itself is never stored. */
  subject: string;
  scope: string;
  /** `MAJOR.MINOR.PATCH` of the notice. */
  version: string;
  state: ConsentState;
  /** ISO 8601, millisecond precision. */
  at: string;
  noticeId?: string;
  /** SHA-256 (hex) of the notice text shown; required for `given` and `reaffirmed`. */
  noticeSha256?: string;
  collectionMethod: CollectionMethod;
  /** End of validity of a `given` / `reaffirmed` consent. */
  expiresAt?: string;
  jurisdiction?: string;
}

/** What a caller appends; the store pseudonymises `subjectId` and assigns `recordId` unless given (idempotent retries). */
export interface ConsentEventInput {
  subjectId: string;
  scope: string;
  version: string;
  state: ConsentState;
  /** Default: now. */
  at?: Date | string;
  noticeId?: string;
  noticeSha256?: string;
  collectionMethod: CollectionMethod;
  expiresAt?: Date | string;
  jurisdiction?: string;
  recordId?: string;
}

export class ConsentRecordError extends SaferouteError {
  constructor(message: string) {
    super('input_invalid', message);
  }
}

export const SCOPE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_SUBJECT_ID = 1024;

export function isValidSubjectId(subjectId: unknown): subjectId is string {
  return typeof subjectId === 'string' && subjectId.length > 0 && subjectId.length <= MAX_SUBJECT_ID;
}

function toIso(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  if (!Number.isFinite(ms) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))) {
    throw new ConsentRecordError(`\`${field}\` must be an ISO 8601 date-time, got \`${String(value)}\``);
  }
  return date.toISOString();
}

/** Validates an input and turns it into the record to store. Throws `ConsentRecordError` on bad input. */
export function createConsentRecord(
  input: ConsentEventInput,
  pseudonymise: (subjectId: string) => string,
  now: () => Date = () => new Date(),
): ConsentRecord {
  if (!isValidSubjectId(input.subjectId)) throw new ConsentRecordError('`subjectId` must be a non-empty string of at most 1024 characters');
  if (typeof input.scope !== 'string' || !SCOPE_PATTERN.test(input.scope)) {
    throw new ConsentRecordError(`invalid scope \`${String(input.scope)}\`: use lowercase letters, digits, \`.\`, \`_\` and \`-\``);
  }
  if (!isSemVer(input.version)) throw new ConsentRecordError(`invalid version \`${String(input.version)}\`: use MAJOR.MINOR.PATCH`);
  if (!(CONSENT_STATES as readonly string[]).includes(input.state)) throw new ConsentRecordError(`invalid state \`${String(input.state)}\``);
  if (!(COLLECTION_METHODS as readonly string[]).includes(input.collectionMethod)) {
    throw new ConsentRecordError(`invalid collection method \`${String(input.collectionMethod)}\`: one of ${COLLECTION_METHODS.join(', ')}`);
  }
  if (input.noticeSha256 != null && !SHA256_HEX.test(input.noticeSha256)) {
    throw new ConsentRecordError('`noticeSha256` must be 64 lowercase hex digits');
  }
  if ((input.state === 'given' || input.state === 'reaffirmed') && (input.noticeSha256 == null || input.noticeId == null || input.noticeId === '')) {
    throw new ConsentRecordError(`a \`${input.state}\` event needs the notice shown: \`noticeId\` and \`noticeSha256\``);
  }
  if (input.noticeId != null && (input.noticeId === '' || input.noticeId.length > 200)) {
    throw new ConsentRecordError('`noticeId` must be 1 to 200 characters');
  }
  if (input.recordId != null && !UUID.test(input.recordId)) throw new ConsentRecordError(`invalid record id \`${input.recordId}\``);
  const at = toIso(input.at ?? now(), 'at');
  const record: ConsentRecord = {
    recordId: input.recordId ?? uuidv7(),
    subject: pseudonymise(input.subjectId),
    scope: input.scope,
    version: input.version,
    state: input.state,
    at,
    collectionMethod: input.collectionMethod,
  };
  if (input.noticeId != null) record.noticeId = input.noticeId;
  if (input.noticeSha256 != null) record.noticeSha256 = input.noticeSha256;
  if (input.expiresAt != null) {
    const expiresAt = toIso(input.expiresAt, 'expiresAt');
    if (Date.parse(expiresAt) <= Date.parse(at)) throw new ConsentRecordError('`expiresAt` must be after `at`');
    record.expiresAt = expiresAt;
  }
  if (input.jurisdiction != null) {
    const j = normaliseJurisdiction(input.jurisdiction);
    if (j == null) throw new ConsentRecordError(`invalid jurisdiction \`${input.jurisdiction}\``);
    record.jurisdiction = j;
  }
  return record;
}

/** The plain shape `SubjectContext.consents` carries. */
export function toSubjectConsentEvent(record: ConsentRecord): ConsentEvent {
  const event: ConsentEvent = { scope: record.scope, version: record.version, state: record.state, at: record.at, recordId: record.recordId };
  if (record.expiresAt != null) event.expiresAt = record.expiresAt;
  if (record.noticeSha256 != null) event.noticeSha256 = record.noticeSha256;
  return event;
}

