import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, listOf } from './did-you-mean.js';

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('sexaul', 'sexual')).toBe(1);
    expect(editDistance('thresold', 'threshold')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names and nothing for far ones', () => {
    expect(didYouMean('sexual/minor', ['sexual', 'sexual/minors', 'hate'])).toBe('sexual/minors');
    expect(didYouMean('thresold', ['threshold', 'gte'])).toBe('threshold');
    expect(didYouMean('Restricted', ['sfw', 'restricted'])).toBe('restricted');
    expect(didYouMean('restricted-model', ['sfw', 'restricted'])).toBe('restricted');
    expect(didYouMean('banana', ['sfw', 'restricted'])).toBeUndefined();
  });

  it('lists values in words', () => {
    expect(listOf(['a', 'b', 'c'])).toBe('`a`, `b` or `c`');
    expect(listOf(['a'])).toBe('`a`');
  });
});
