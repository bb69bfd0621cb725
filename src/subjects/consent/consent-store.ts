import type { ConsentEventInput, ConsentRecord } from './consent-record.js';
import type { ConsentStatus } from './consent-state.js';

/**
 * An append-only series of consent events per subject and scope. Subject ids go in raw and are
 * stored only as HMAC pseudonyms. Invalid input throws `ConsentRecordError`; a store that cannot
 * read or write throws `ConsentStoreError` (callers fail closed).
 */
export interface ConsentStore {
  /** Durable when the promise resolves. A `recordId` already stored returns the stored record (idempotent retry). */
  append(event: ConsentEventInput): Promise<ConsentRecord>;
  /** All events of the subject (optionally one scope), oldest first; empty for an unknown subject. */
  events(subjectId: string, scope?: string): Promise<ConsentRecord[]>;
  /** `consentStateAt` over the subject's events of that scope. */
  stateAt(subjectId: string, scope: string, at: Date): Promise<ConsentStatus>;
  close(): Promise<void>;
}
