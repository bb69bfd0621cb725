import { describe, expect, it } from 'vitest';
import { compareSemVer, isSemVer, parseSemVer } from './semver.js';
import { consentVersionMeets } from '../subjects/consent/consent-version-meets.js';

describe('semver', () => {
  it('accepts MAJOR.MINOR.PATCH only', () => {
    expect(parseSemVer('2.10.3')).toEqual({ major: 2, minor: 10, patch: 3 });
    for (const bad of ['v2.0.0', '2.0.0-draft', '2.0.0+build', '02.0.0', '2.0', ' 2.0.0', '2.0.0 ', '']) {
      expect(parseSemVer(bad), bad).toBeUndefined();
      expect(isSemVer(bad), bad).toBe(false);
    }
  });

  it('compares numerically, and an unparsable version sorts below every valid one', () => {
    expect(compareSemVer('2.10.0', '2.9.0')).toBeGreaterThan(0);
    expect(compareSemVer('1.0.0', '1.0.0')).toBe(0);
    expect(compareSemVer('2.0.0-draft', '0.0.1')).toBeLessThan(0);
    expect(compareSemVer({ major: 1, minor: 0, patch: 0 }, '1.0.1')).toBeLessThan(0);
  });

  it('never lets a pre-release or prefixed spelling meet a consent minimum', () => {
    expect(consentVersionMeets('2.0.0', '2.0.0')).toBe(true);
    expect(consentVersionMeets('2.0.0-draft', '2.0.0')).toBe(false);
    expect(consentVersionMeets('v2.0.0', '2.0.0')).toBe(false);
  });
});
