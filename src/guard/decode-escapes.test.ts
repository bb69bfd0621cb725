import { describe, expect, it } from 'vitest';
import { decodeEscapes } from './decode-escapes.js';
import { deepestDecoding, withDecodedViews } from './decoded-views.js';
import { holdBackStart } from './hold-back-start.js';
import { findLoneSurrogate } from './find-lone-surrogate.js';

/** Every character as a `\uXXXX` escape (surrogate pairs as two escapes). */
const escapeAll = (s: string): string => [...s].map((c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')).join('');

describe('decodeEscapes', () => {
  it('decodes what JSON.parse decodes, for every JSON escape', () => {
    const raw = 'a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00 end';
    expect(decodeEscapes(raw)?.text).toBe(JSON.parse(`"${raw}"`));
  });

  it('decodes the escapes of JavaScript and Python a model also reads', () => {
    expect(decodeEscapes('\\x46\\u{4F}\\U00000052B\\\'')?.text).toBe("FORB'");
  });

  it('keeps malformed escapes and unpaired surrogate escapes as written, never making invalid UTF-16', () => {
    for (const raw of ['\\u00', '\\u00g1', '\\ud83d alone', '\\ude00 low', '\\ud83d\\u0041', '\\x4', '\\u{110000}', '\\q', 'end\\']) {
      const out = decodeEscapes(raw)?.text ?? raw;
      expect(findLoneSurrogate(out)).toBe(-1);
    }
    expect(decodeEscapes('\\ud83d\\u0041')?.text).toBe('\\ud83dA');
    expect(decodeEscapes('no escapes')).toBeUndefined();
    expect(decodeEscapes('\\q')).toBeUndefined();
  });

  it('maps each decoded character back to where it was written', () => {
    const raw = 'ab\\u0046cd\\ud83d\\ude00e';
    const d = decodeEscapes(raw);
    expect(d?.text).toBe('abFcd😀e');
    const at = (d?.text ?? '').indexOf('F');
    expect(raw.slice(d?.sources[at], d?.sources[at + 1])).toBe('\\u0046');
    expect(raw.slice(d?.sources[5], d?.sources[7])).toBe('\\ud83d\\ude00');
    expect(d?.sources[(d?.text ?? '').length]).toBe(raw.length);
  });
});

describe('withDecodedViews', () => {
  it('adds each decoding to the text as written, to the depth of JSON inside JSON strings', () => {
    const inner = JSON.stringify({ q: escapeAll('FORBIDDEN') });
    const outer = JSON.stringify({ payload: inner });
    const v = withDecodedViews(outer);
    expect(v.text.startsWith(outer)).toBe(true);
    expect(v.text).toContain('FORBIDDEN');
    expect(withDecodedViews('plain').text).toBe('plain');
  });

  it('moves evidence found in a decoded view onto the text as written', () => {
    const raw = `mail jane${escapeAll('@')}example.com now`;
    const v = withDecodedViews(raw);
    const start = v.text.lastIndexOf('jane@example.com');
    const [e] = v.onRaw([{ category: 'pii', start, end: start + 'jane@example.com'.length, match: 'email', source: 't' }]);
    expect(raw.slice(e?.start, e?.end)).toBe(`jane${escapeAll('@')}example.com`);
  });

  it('leaves evidence it cannot place past the text as written', () => {
    const v = withDecodedViews('a\\u0041');
    const [e] = v.onRaw([{ category: 'pii', start: 0, end: v.text.length, match: 'x', source: 't' }]);
    expect(e?.end).toBeGreaterThan(v.rawLength);
  });

  it('decodes fully with deepestDecoding and maps offsets back', () => {
    const raw = JSON.stringify(JSON.stringify(escapeAll('AB')));
    const d = deepestDecoding(raw);
    expect(d.text).toContain('AB');
    expect(d.rawOffset(d.text.length)).toBe(raw.length);
  });
});

describe('holdBackStart', () => {
  it('holds back as many characters as written for plain text', () => {
    expect(holdBackStart('x'.repeat(100), 100, 24)).toBe(76);
  });

  it('counts escaped characters as the characters they spell', () => {
    const text = `Once upon a time ${escapeAll('FORBIDDEN')}`;
    // Nine letters of the phrase, six characters each: all of it stays held back with 10 to hold.
    expect(holdBackStart(text, text.length, 10)).toBeLessThanOrEqual(text.indexOf('\\'));
    expect(holdBackStart(text, text.length, 9)).toBe(text.indexOf('\\'));
  });
});

describe('decodeEscapes: HTML character references', () => {
  it('decodes the references a Markdown or HTML client displays as characters', () => {
    expect(decodeEscapes('&#70;&#x4F;&#X52;BIDDEN &amp; &lt;b&gt; &quot;x&quot; caf&#233;')?.text).toBe('FORBIDDEN & <b> "x" café');
    expect(decodeEscapes('Q&A, AT&T, &unknown; &#0; &#xD800; & alone')).toBeUndefined();
  });

  it('stays linear on text full of ampersands and backslashes that are not escapes', () => {
    const text = '& \\q '.repeat(200_000);
    const started = performance.now();
    expect(decodeEscapes(text)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
