import { describe, expect, it } from 'vitest';
import { wellFormedText } from './well-formed-text.js';

describe('wellFormedText', () => {
  it('replaces lone surrogates and keeps pairs', () => {
    expect(wellFormedText('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormedText('\udc00x\ud83d')).toBe('\ufffdx\ufffd');
    expect(wellFormedText('😀 ok')).toBe('😀 ok');
    // twice in a row: a stateful global regex would miss the second call
    expect(wellFormedText('z\ud800')).toBe('z\ufffd');
    expect(wellFormedText('z\ud800')).toBe('z\ufffd');
  });
});
