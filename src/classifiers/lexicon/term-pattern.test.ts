import { describe, expect, it } from 'vitest';
import { expandBraces, parseTermPattern } from './term-pattern.js';

describe('expandBraces', () => {
  it('expands alternatives, empty ones included', () => {
    expect(expandBraces('slut{,s}')).toEqual(['slut', 'sluts']);
    expect(expandBraces('{a,b} {c,d}')).toEqual(['a c', 'a d', 'b c', 'b d']);
  });

  it('expands integer ranges', () => {
    expect(expandBraces('{9..11} yo')).toEqual(['9 yo', '10 yo', '11 yo']);
  });

  it('leaves terms without braces alone', () => {
    expect(expandBraces('kill*')).toEqual(['kill*']);
  });

  it('rejects malformed braces and explosions', () => {
    expect(() => expandBraces('a{b')).toThrow(/without `}`/);
    expect(() => expandBraces('a}b')).toThrow(/without `{`/);
    expect(() => expandBraces('{a,{b,c}}')).toThrow(/nested/);
    expect(() => expandBraces('{x}')).toThrow(/neither a list/);
    expect(() => expandBraces('{5..1}')).toThrow(/descending/);
    expect(() => expandBraces('{1..40}{1..40}')).toThrow(/more than 1000/);
  });
});

describe('parseTermPattern', () => {
  it('reads wildcards at the ends only', () => {
    expect(parseTermPattern('kill*')).toEqual({ written: 'kill*', text: 'kill', prefix: true, suffix: false });
    expect(parseTermPattern('*fucker')).toMatchObject({ text: 'fucker', prefix: false, suffix: true });
    expect(parseTermPattern('*fuck*')).toMatchObject({ text: 'fuck', prefix: true, suffix: true });
    expect(parseTermPattern('f*ck')).toMatchObject({ text: 'f*ck', prefix: false, suffix: false });
  });
});
