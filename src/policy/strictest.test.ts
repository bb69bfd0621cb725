import { describe, expect, it } from 'vitest';
import { intersectMethods, isNewerVersion, shorterValidity, strictestConsent, strictestJurisdiction } from './strictest.js';

describe('strictest wins', () => {
  it('combines jurisdiction rows dimension by dimension; absent never wins', () => {
    expect(
      strictestJurisdiction([
        { minimumAge: 18, level: 'standard', methods: ['photo_id_match', 'credit_card'], maxAgeDays: 365 },
        undefined,
        { minimumAge: 19, methods: ['photo_id_match', 'digital_id_wallet'], deny: ['restricted'] },
        { level: 'strict', maxAgeDays: 30 },
      ]),
    ).toEqual({ minimumAge: 19, level: 'strict', methods: ['photo_id_match'], maxAgeDays: 30, deny: ['restricted'] });
  });

  it('keeps an empty method intersection (nobody can reach the target) rather than dropping the constraint', () => {
    expect(intersectMethods(['credit_card'], ['photo_id_match'])).toEqual([]);
    expect(intersectMethods(undefined, undefined)).toBeUndefined();
  });

  it('takes the shorter validity and the newest consent version per scope', () => {
    expect(shorterValidity(undefined, 90)).toBe(90);
    expect(shorterValidity(30, 90)).toBe(30);
    expect(isNewerVersion('2.0.0', '1.9.9')).toBe(true);
    expect(isNewerVersion('2.0.0-rc', '1.0.0')).toBe(false);
    expect(
      strictestConsent([
        { scope: 'b', minVersion: '1.0.0' },
        { scope: 'a', minVersion: '1.2.0' },
        { scope: 'a', minVersion: '2.0.0' },
        { scope: 'a', minVersion: '1.9.0' },
      ]),
    ).toEqual([
      { scope: 'a', minVersion: '2.0.0' },
      { scope: 'b', minVersion: '1.0.0' },
    ]);
  });
});
