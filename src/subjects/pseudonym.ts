import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { SaferouteError } from '../errors.js';

/** The operator's pseudonymisation key: raw bytes, or a string taken as its UTF-8 bytes. */
export type PseudonymKey = string | Uint8Array;

/** Shorter keys make the pseudonyms guessable by brute force over likely subject ids. */
export const MIN_PSEUDONYM_KEY_BYTES = 16;

export const DEFAULT_PSEUDONYM_KEY_ENV = 'SAFEROUTE_PSEUDONYM_KEY';

export class PseudonymKeyError extends SaferouteError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

function keyBytes(key: PseudonymKey): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (bytes.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new PseudonymKeyError(
      `the pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes (got ${bytes.length}); use e.g. \`openssl rand -base64 32\``,
    );
  }
  return bytes;
}

/**
 * HMAC-SHA256 of the subject id under the operator key, as 64 hex digits. Stored and logged in
 * place of the id: linkable by whoever holds the key, meaningless to anyone else.
 */
export function pseudonymise(subjectId: string, key: PseudonymKey): string {
  return createHmac('sha256', keyBytes(key)).update(subjectId, 'utf8').digest('hex');
}

/** The same function with the key imported once, for hot paths. */
export function createPseudonymiser(key: PseudonymKey): (subjectId: string) => string {
  const keyObject: KeyObject = createSecretKey(keyBytes(key));
  return (subjectId) => createHmac('sha256', keyObject).update(subjectId, 'utf8').digest('hex');
}

/**
 * A short fingerprint of the key (an HMAC of a fixed label), stored beside pseudonyms so a store
 * opened with a different key is noticed instead of silently finding nobody.
 */
export function pseudonymKeyCheck(key: PseudonymKey): string {
  return createHmac('sha256', keyBytes(key)).update('saferoute pseudonym key check v1').digest('hex').slice(0, 16);
}

/** Reads the key from an environment variable; throws when it is missing or too short. */
export function pseudonymKeyFromEnv(env: NodeJS.ProcessEnv, name: string = DEFAULT_PSEUDONYM_KEY_ENV): string {
  const value = env[name];
  if (value == null || value === '') {
    throw new PseudonymKeyError(
      `no pseudonym key: set the environment variable \`${name}\` (consent records and audit subjects are keyed by pseudonyms made with it; make one with \`openssl rand -base64 32\`, keep it secret and the same on every instance)`,
    );
  }
  keyBytes(value);
  return value;
}
