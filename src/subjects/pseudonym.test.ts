import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPseudonymiser, pseudonymise, pseudonymKeyCheck, pseudonymKeyFromEnv, PseudonymKeyError } from './pseudonym.js';

const KEY = 'operator-key-0123456789abcdef';

describe('pseudonymise', () => {
  it('is HMAC-SHA256 of the id under the key, in hex', () => {
    expect(pseudonymise('user-1', KEY)).toBe(createHmac('sha256', KEY).update('user-1').digest('hex'));
    expect(createPseudonymiser(KEY)('user-1')).toBe(pseudonymise('user-1', KEY));
    expect(pseudonymise('user-1', Buffer.from(KEY))).toBe(pseudonymise('user-1', KEY));
  });

  it('differs per key and per id, and never contains the id', () => {
    const p = pseudonymise('alice@example.com', KEY);
    expect(p).not.toBe(pseudonymise('alice@example.com', `${KEY}x`));
    expect(p).not.toBe(pseudonymise('bob@example.com', KEY));
    expect(p).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses short or missing keys', () => {
    expect(() => pseudonymise('u', 'short')).toThrow(PseudonymKeyError);
    expect(() => pseudonymKeyFromEnv({}, 'K')).toThrow(/`K`/);
    expect(pseudonymKeyFromEnv({ K: KEY }, 'K')).toBe(KEY);
    expect(pseudonymKeyCheck(KEY)).not.toBe(pseudonymKeyCheck(`${KEY}x`));
  });
});
