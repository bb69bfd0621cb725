import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from './duplicate-keys.js';

describe('findDuplicateKey', () => {
  it('finds duplicates at any depth, decoding escapes', () => {
    expect(findDuplicateKey('{"a":1,"a":2}')).toBe('/a');
    expect(findDuplicateKey('{"x":{"a":1,"b":{"c":1,"c":2}}}')).toBe('/x/b/c');
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toBe('/a');
    expect(findDuplicateKey('{"l":[{"a":1},{"a":1,"a":1}]}')).toBe('/l/1/a');
  });

  it('does not confuse strings, values and sibling objects with keys', () => {
    expect(findDuplicateKey('{"a":"a","b":"a"}')).toBeUndefined();
    expect(findDuplicateKey('{"a":{"x":1},"b":{"x":1}}')).toBeUndefined();
    expect(findDuplicateKey('{"a":"\\"a\\":1,","b":["a","a"],"c":{"d":"}"},"e":1}')).toBeUndefined();
    expect(findDuplicateKey('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(findDuplicateKey('{"a\\\\":1,"a":2}')).toBeUndefined();
  });
});
