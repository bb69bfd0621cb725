import { consentStateAt } from '../subjects/consent/consent-state.js';
import { COLLECTION_METHODS, toSubjectConsentEvent, type ConsentEventInput } from '../subjects/consent/consent-record.js';
import type { ConsentStore } from '../subjects/consent/consent-store.js';
import { GatewayHttpError } from './gateway-error.js';

const ACTIONS: Readonly<Record<string, ConsentEventInput['state']>> = { grant: 'given', given: 'given', withdraw: 'withdrawn', withdrawn: 'withdrawn', reaffirm: 'reaffirmed', reaffirmed: 'reaffirmed' };

export function requireConsentStore(store: ConsentStore | undefined): ConsentStore {
  if (!store) throw new GatewayHttpError(503, 'server_error', 'consent_store_not_configured', 'the gateway has no consent store: add `consent` (a file `path` or a `pg` URL) to its config and set SAFEROUTE_PSEUDONYM_KEY');
  return store;
}

/**
 * `POST /v1/consents`: one consent event (`action`: grant, withdraw or reaffirm) with the notice's
 * version and SHA-256. The store keeps only the subject's pseudonym; the answer is the stored
 * record (pseudonym included, never the raw id). Invalid events are 400 (`ConsentRecordError`).
 */
export async function appendConsent(store: ConsentStore, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const action = body.action ?? body.state;
  const state = typeof action === 'string' ? ACTIONS[action] : undefined;
  if (!state) throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', '`action` must be `grant`, `withdraw` or `reaffirm`', 'action');
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const subjectId = str('subject') ?? str('subjectId');
  if (subjectId == null) throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', '`subject` (the app\'s id of the person) is required', 'subject');
  const method = str('collectionMethod') ?? 'api';
  if (!(COLLECTION_METHODS as readonly string[]).includes(method)) throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', `\`collectionMethod\` must be one of ${COLLECTION_METHODS.join(', ')}`, 'collectionMethod');
  const event: ConsentEventInput = {
    subjectId,
    scope: str('scope') ?? '',
    version: str('version') ?? '',
    state,
    collectionMethod: method as ConsentEventInput['collectionMethod'],
  };
  for (const k of ['noticeId', 'noticeSha256', 'expiresAt', 'jurisdiction', 'recordId', 'at'] as const) {
    const v = str(k);
    if (v != null) (event as unknown as Record<string, string>)[k] = v;
  }
  const record = await store.append(event);
  return { ...record };
}

/** `GET /v1/consents/{subject}`: the subject's events (pseudonymised) and the state of each scope now. */
export async function readConsents(store: ConsentStore, subjectId: string): Promise<Record<string, unknown>> {
  const records = await store.events(subjectId);
  const now = new Date();
  const events = records.map(toSubjectConsentEvent);
  const scopes = [...new Set(records.map((r) => r.scope))].sort();
  return { subject: records[0]?.subject ?? null, events: records, state: Object.fromEntries(scopes.map((s) => [s, consentStateAt(events, s, now)])) };
}
