import { describe, expect, it } from 'vitest';
import { compileAsciiWordGroups } from './ascii-word-groups.js';

describe('compileAsciiWordGroups', () => {
  const cues = compileAsciiWordGroups([['join', 'glue', '+'], ['rot#', 'rot.#', 'right.to.left'], ['ab']]);

  it('reports each group whose word occurs, in any ASCII case', () => {
    expect(cues('')).toBe(0);
    expect(cues('nothing here')).toBe(0);
    expect(cues('JoIn these')).toBe(1);
    expect(cues('a+b')).toBe(1);
    expect(cues('ROT13 please')).toBe(2);
    expect(cues('rot-13, and glue')).toBe(3);
    expect(cues('write it Right To Left; GLUE; cab')).toBe(7);
  });

  it('reads `.` as any one code unit and `#` as an ASCII digit', () => {
    expect(cues('rot\u00a05')).toBe(2);
    expect(cues('right\u2013to\u2013left')).toBe(2);
    expect(cues('rotten 5')).toBe(0);
    expect(cues('rot 13'.replace('1', '\u0661'))).toBe(0);
    expect(cues('rotx')).toBe(0);
  });

  it('finds words that overlap or start inside another one', () => {
    const g = compileAsciiWordGroups([['abcd'], ['bce'], ['aab']]);
    expect(g('abce')).toBe(2);
    expect(g('aabcd')).toBe(5);
    expect(g('xaab')).toBe(4);
  });

  it('does not fold non-ASCII letters into ASCII ones', () => {
    // The Kelvin sign lower-cases to k and the dotted capital I to i: neither is a match for /i without u.
    const g = compileAsciiWordGroups([['kin'], ['in']]);
    expect(g('\u212Ain')).toBe(2);
    expect(g('\u0130n')).toBe(0);
  });

  it('reads `^` as a char that is no ASCII letter, digit or `_`, or the text\'s start', () => {
    const g = compileAsciiWordGroups([['^ai'], ['^tl;dr']]);
    expect(g('ai')).toBe(1);
    expect(g('Hey AI, listen')).toBe(1);
    expect(g('an\u00e9ai')).toBe(1);
    expect(g('said')).toBe(0);
    expect(g('_ai 1ai')).toBe(0);
    expect(g('tl;dr: ok')).toBe(2);
    expect(g('atl;dr')).toBe(0);
  });

  it('refuses words it cannot compile', () => {
    expect(() => compileAsciiWordGroups([['']])).toThrow(RangeError);
    expect(() => compileAsciiWordGroups([['^']])).toThrow(RangeError);
    expect(() => compileAsciiWordGroups([['Join']])).toThrow(RangeError);
    expect(() => compileAsciiWordGroups([['café']])).toThrow(RangeError);
  });
});
