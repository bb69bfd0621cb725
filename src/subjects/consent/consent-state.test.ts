import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../subject-context.js';
import { consentStateAt } from './consent-state.js';
import { compareSemVer } from '../../util/semver.js';
import { consentVersionMeets } from './consent-version-meets.js';

const ev = (state: ConsentEvent['state'], at: string, extra: Partial<ConsentEvent> = {}): ConsentEvent => ({
  scope: 'adult-content',
  version: '1.0.0',
  state,
  at,
  recordId: `r-${state}-${at}`,
  ...extra,
});

describe('consentStateAt', () => {
  it('is none without events, for an unknown scope, and before the first event', () => {
    expect(consentStateAt([], 'adult-content', new Date())).toEqual({ scope: 'adult-content', state: 'none' });
    const events = [ev('given', '2025-01-01T00:00:00.000Z')];
    expect(consentStateAt(events, 'other-scope', new Date('2025-02-01'))).toEqual({ scope: 'other-scope', state: 'none' });
    expect(consentStateAt(events, 'adult-content', new Date('2024-12-31T23:59:59.999Z')).state).toBe('none');
  });

  it('applies a withdrawal made 1 ms before the decision', () => {
    const events = [ev('given', '2025-01-01T00:00:00.000Z'), ev('withdrawn', '2025-03-01T10:00:00.000Z')];
    expect(consentStateAt(events, 'adult-content', new Date('2025-03-01T10:00:00.001Z'))).toMatchObject({
      state: 'withdrawn',
      since: '2025-03-01T10:00:00.000Z',
      recordId: 'r-withdrawn-2025-03-01T10:00:00.000Z',
    });
    expect(consentStateAt(events, 'adult-content', new Date('2025-03-01T10:00:00.000Z')).state).toBe('withdrawn');
    expect(consentStateAt(events, 'adult-content', new Date('2025-03-01T09:59:59.999Z'))).toMatchObject({ state: 'given', version: '1.0.0' });
  });

  it('lets a withdrawal win a tie and ignores append order', () => {
    const at = '2025-03-01T10:00:00.000Z';
    expect(consentStateAt([ev('withdrawn', at), ev('given', at)], 'adult-content', new Date(at)).state).toBe('withdrawn');
    const reordered = [ev('withdrawn', '2025-02-01T00:00:00.000Z'), ev('given', '2025-01-01T00:00:00.000Z')];
    expect(consentStateAt(reordered, 'adult-content', new Date('2025-06-01')).state).toBe('withdrawn');
  });

  it('expires at expiresAt, and a reaffirmation renews only a current consent', () => {
    const given = ev('given', '2025-01-01T00:00:00.000Z', { expiresAt: '2025-02-01T00:00:00.000Z' });
    expect(consentStateAt([given], 'adult-content', new Date('2025-01-31T23:59:59.999Z')).state).toBe('given');
    expect(consentStateAt([given], 'adult-content', new Date('2025-02-01T00:00:00.000Z'))).toMatchObject({ state: 'expired', since: '2025-02-01T00:00:00.000Z' });
    const renewed = [given, ev('reaffirmed', '2025-01-20T00:00:00.000Z', { expiresAt: '2026-01-01T00:00:00.000Z', version: '1.1.0' })];
    expect(consentStateAt(renewed, 'adult-content', new Date('2025-06-01'))).toMatchObject({ state: 'given', version: '1.1.0', expiresAt: '2026-01-01T00:00:00.000Z' });
    const tooLate = [given, ev('reaffirmed', '2025-03-01T00:00:00.000Z', { expiresAt: '2026-01-01T00:00:00.000Z' })];
    expect(consentStateAt(tooLate, 'adult-content', new Date('2025-06-01')).state).toBe('expired');
    const afterWithdrawal = [ev('given', '2025-01-01T00:00:00.000Z'), ev('withdrawn', '2025-01-02T00:00:00.000Z'), ev('reaffirmed', '2025-01-03T00:00:00.000Z')];
    expect(consentStateAt(afterWithdrawal, 'adult-content', new Date('2025-06-01')).state).toBe('withdrawn');
    expect(consentStateAt([ev('given', '2025-01-01T00:00:00.000Z'), ev('expired', '2025-01-05T00:00:00.000Z')], 'adult-content', new Date('2025-06-01')).state).toBe('expired');
  });

  it('ignores events after the decision time, so fresh consent counts from its own time', () => {
    const events = [ev('given', '2025-01-01T00:00:00.000Z'), ev('withdrawn', '2025-02-01T00:00:00.000Z'), ev('given', '2025-03-01T00:00:00.000Z', { version: '2.0.0' })];
    expect(consentStateAt(events, 'adult-content', new Date('2025-02-15')).state).toBe('withdrawn');
    expect(consentStateAt(events, 'adult-content', new Date('2025-03-15'))).toMatchObject({ state: 'given', version: '2.0.0' });
  });

  it('takes unreadable times at their strictest', () => {
    expect(consentStateAt([ev('given', '2025-01-01T00:00:00.000Z'), ev('withdrawn', 'garbage')], 'adult-content', new Date('2025-06-01')).state).toBe('withdrawn');
    expect(consentStateAt([ev('given', 'garbage')], 'adult-content', new Date('2025-06-01')).state).toBe('none');
    expect(consentStateAt([ev('given', '2025-01-01T00:00:00.000Z', { expiresAt: 'soon' })], 'adult-content', new Date('2025-06-01')).state).toBe('expired');
    expect(consentStateAt([ev('given', '2025-01-01T00:00:00.000Z')], 'adult-content', new Date('nope')).state).toBe('none');
  });
});

describe('scope versions', () => {
  it('a new major version needs fresh consent; newer minors and patches are fine', () => {
    const status = consentStateAt([ev('given', '2025-01-01T00:00:00.000Z', { version: '1.4.2' })], 'adult-content', new Date('2025-06-01'));
    expect(consentVersionMeets(status.version, '1.0.0')).toBe(true);
    expect(consentVersionMeets(status.version, '1.4.2')).toBe(true);
    expect(consentVersionMeets(status.version, '1.5.0')).toBe(false);
    expect(consentVersionMeets(status.version, '2.0.0')).toBe(false);
    expect(consentVersionMeets(undefined, '1.0.0')).toBe(false);
    expect(consentVersionMeets('v1', '1.0.0')).toBe(false);
    expect(compareSemVer('1.10.0', '1.9.9')).toBeGreaterThan(0);
  });
});
