import { describe, expect, it } from 'vitest';
import { normaliseJurisdiction, resolveJurisdiction } from './jurisdiction.js';

describe('normaliseJurisdiction', () => {
  it('uppercases, accepts subdivisions and known aliases', () => {
    expect(normaliseJurisdiction('gb')).toBe('GB');
    expect(normaliseJurisdiction(' kr ')).toBe('KR');
    expect(normaliseJurisdiction('us-ut')).toBe('US-UT');
    expect(normaliseJurisdiction('US_TX')).toBe('US-TX');
    expect(normaliseJurisdiction('UK')).toBe('GB');
  });

  it('rejects what is not an assigned code', () => {
    for (const bad of ['XX', 'T1', 'EU', 'ZZ', 'G', 'GBR', 'GB-', 'GB-ABCD', '', '12', 'united kingdom', null, 42, { code: 'GB' }, 'A'.repeat(100)]) {
      expect(normaliseJurisdiction(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('resolveJurisdiction', () => {
  it('records where the jurisdiction came from', () => {
    expect(resolveJurisdiction({ jurisdiction: 'de' })).toEqual({ jurisdiction: 'DE', source: 'declared' });
    expect(resolveJurisdiction({ jurisdiction: { code: 'KR', source: 'account' } })).toEqual({ jurisdiction: 'KR', source: 'account' });
    expect(resolveJurisdiction({ headers: { 'X-SafeRoute-Region': 'fr' } })).toEqual({ jurisdiction: 'FR', source: 'header' });
    expect(resolveJurisdiction({ headers: { 'cf-ipcountry': 'JP' } })).toEqual({ jurisdiction: 'JP', source: 'header' });
    expect(resolveJurisdiction({ headers: new Headers({ 'cf-ipcountry': 'IT' }) })).toEqual({ jurisdiction: 'IT', source: 'header' });
  });

  it('prefers the app over headers, and the first header listed', () => {
    expect(resolveJurisdiction({ jurisdiction: 'KR', headers: { 'cf-ipcountry': 'US' } }).jurisdiction).toBe('KR');
    expect(resolveJurisdiction({ headers: { 'cf-ipcountry': 'US', 'x-saferoute-region': 'KR' } }).jurisdiction).toBe('KR');
    expect(resolveJurisdiction({ headers: { 'x-saferoute-region': 'KR' }, headerNames: [] })).toEqual({ source: 'unknown' });
  });

  it('gives no jurisdiction for unknown or malformed values, without falling through to a guess', () => {
    expect(resolveJurisdiction({})).toEqual({ source: 'unknown' });
    expect(resolveJurisdiction({ jurisdiction: 'Narnia', headers: { 'cf-ipcountry': 'US' } })).toEqual({ source: 'unknown', rejected: 'declared' });
    expect(resolveJurisdiction({ headers: { 'cf-ipcountry': 'XX' } })).toEqual({ source: 'unknown', rejected: 'header:cf-ipcountry' });
    expect(resolveJurisdiction({ headers: { 'cf-ipcountry': 'T1' } }).jurisdiction).toBeUndefined();
    expect(resolveJurisdiction({ headers: { 'x-saferoute-region': 'US, KR' } }).jurisdiction).toBeUndefined();
    expect(resolveJurisdiction({ headers: { 'x-saferoute-region': ['US', 'KR'] } }).jurisdiction).toBeUndefined();
    expect(resolveJurisdiction({ headers: { 'x-saferoute-region': ['US', 'us'] } }).jurisdiction).toBe('US');
  });
});
