import { describe, expect, it } from 'vitest';
import { cacheKey, exactCacheKey, normaliseForCache } from './cache-key.js';

describe('normaliseForCache', () => {
  it('leaves plain single-spaced ASCII as it is', () => {
    const text = 'Hello World, how are you?';
    expect(normaliseForCache(text)).toBe(text);
  });

  it('trims and collapses whitespace runs of any kind', () => {
    expect(normaliseForCache('  a \t b\n\n c  ')).toBe('a b c');
    expect(normaliseForCache('a\u00a0\u3000b')).toBe('a b');
  });

  it('folds compatibility forms (NFKC) but keeps case', () => {
    expect(normaliseForCache('ＳＥＸ ﬁle')).toBe('SEX file');
    expect(normaliseForCache('Kill')).not.toBe(normaliseForCache('kill'));
  });
});

describe('cacheKey', () => {
  const key = (text: string, extra: Partial<Parameters<typeof cacheKey>[2]> = {}, id = 'c', version = '1') =>
    cacheKey(id, version, { text, stage: 'input', ...extra });

  it('is a SHA-256 digest in base64', () => {
    expect(key('hello')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('is equal for texts that normalise alike', () => {
    expect(key('  hello   world ')).toBe(key('hello world'));
    expect(key('ｈｅｌｌｏ')).toBe(key('hello'));
  });

  it('differs by text case, classifier id, version, stage and prompt', () => {
    const k = key('hello');
    expect(key('Hello')).not.toBe(k);
    expect(key('hello', {}, 'other')).not.toBe(k);
    expect(key('hello', {}, 'c', '2')).not.toBe(k);
    expect(key('hello', { stage: 'output' })).not.toBe(k);
    expect(key('hello', { stage: 'output', context: { prompt: 'a' } })).not.toBe(key('hello', { stage: 'output', context: { prompt: 'b' } }));
    expect(key('hello', { stage: 'output', context: { prompt: '' } })).not.toBe(key('hello', { stage: 'output' }));
  });

  it('differs by the preceding text', () => {
    const out = (context: { prompt?: string; preceding?: string }) => key('sex', { stage: 'output', context });
    expect(out({ preceding: 'she is 12' })).not.toBe(out({}));
    expect(out({ preceding: 'she is 12' })).not.toBe(out({ preceding: 'she is 21' }));
    expect(out({ preceding: '' })).not.toBe(out({}));
    expect(key('ab', { stage: 'output', context: { preceding: 'x' } })).not.toBe(key('xab', { stage: 'output' }));
    expect(exactCacheKey('c', '1', { text: 't', stage: 'output', context: { preceding: 'p' } })).not.toBe(
      exactCacheKey('c', '1', { text: 't', stage: 'output' }),
    );
  });

  it('does not let field boundaries shift', () => {
    expect(cacheKey('a', 'b1', { text: 'x', stage: 'input' })).not.toBe(cacheKey('ab', '1', { text: 'x', stage: 'input' }));
  });

  it('tells a lone surrogate from U+FFFD', () => {
    expect(key('a\ud800')).not.toBe(key('a\ufffd'));
  });
});
