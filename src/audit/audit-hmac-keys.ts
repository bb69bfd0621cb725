import { createHmac, type KeyObject, createSecretKey } from 'node:crypto';
import { AuditConfigError } from './audit-error.js';

/**
 * The operator's keys for pseudonyms and text digests. Both are HMAC-SHA256 under subkeys derived
 * from one secret with distinct labels, so a text digest can never be confused with a pseudonym.
 */
export interface AuditHmacKeys {
  readonly keyId?: string;
  pseudonymize(subjectId: string): string;
  digestText(text: string): string;
}

const MIN_SECRET_BYTES = 16;

export function createAuditHmacKeys(options: { secret: string | Uint8Array; keyId?: string }): AuditHmacKeys {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
  if (secret.length < MIN_SECRET_BYTES) {
    throw new AuditConfigError(`the audit hmac secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const subjectKey = derive(secret, 'saferoute/audit/subject/v1');
  const textKey = derive(secret, 'saferoute/audit/text/v1');
  return {
    ...(options.keyId !== undefined ? { keyId: options.keyId } : {}),
    pseudonymize: (subjectId) => createHmac('sha256', subjectKey).update(subjectId, 'utf8').digest('hex'),
    digestText: (text) => createHmac('sha256', textKey).update(text, 'utf8').digest('hex'),
  };
}

function derive(secret: Buffer, label: string): KeyObject {
  return createSecretKey(createHmac('sha256', secret).update(label, 'utf8').digest());
}
