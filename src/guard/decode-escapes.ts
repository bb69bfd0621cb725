/** Text with its escapes decoded, and where each of its code units came from. */
export interface DecodedText {
  text: string;
  /**
   * `sources[i]` is the offset in the source text of the escape (or character) that gave code
   * unit `i`; `sources[text.length]` is the source's length, so `[sources[s], sources[e])` is the
   * source span of the decoded span `[s, e)`.
   */
  sources: Uint32Array;
}

const SIMPLE: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" };
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * What a JSON parser (or a model, or a tool that unescapes) makes of the backslash escapes in
 * `text`, wherever they occur: JSON's `\" \\ \/ \b \f \n \r \t \uXXXX` (surrogate pairs joined),
 * and the `\xHH`, `\u{H…}`, `\UHHHHHHHH` and `\'` forms of JavaScript and Python, since a model
 * reads those as readily; and HTML character references (`&#70;`, `&#x46;`, `&amp;`), which a
 * Markdown or HTML client displays as the character. Best effort, for classification only: an
 * escape that is not well formed (a `\u` without four hex digits, an unpaired surrogate escape)
 * is kept as written, so decoding never produces invalid UTF-16. `undefined` when nothing was
 * decoded.
 */
export function decodeEscapes(text: string): DecodedText | undefined {
  // Next positions of each escape character, searched again only once passed: linear time.
  let slash = -2;
  let amp = -2;
  const nextEscape = (from: number): number => {
    if (slash !== -1 && slash < from) slash = text.indexOf('\\', from);
    if (amp !== -1 && amp < from) amp = text.indexOf('&', from);
    return slash < 0 ? amp : amp < 0 ? slash : Math.min(slash, amp);
  };
  let at = nextEscape(0);
  if (at < 0) return undefined;
  let out = '';
  const sources: number[] = [];
  let copied = 0;
  let changed = false;
  const emit = (unit: string, from: number): void => {
    out += unit;
    for (let k = 0; k < unit.length; k++) sources.push(from);
  };
  const copyTo = (end: number): void => {
    for (let k = copied; k < end; k++) sources.push(k);
    out += text.slice(copied, end);
    copied = end;
  };
  while (at >= 0 && at < text.length - 1) {
    const decoded = text[at] === '&' ? decodeReference(text, at) : decodeOne(text, at, text[at + 1] as string);
    if (decoded) {
      copyTo(at);
      emit(decoded.text, at);
      copied = at + decoded.length;
      changed = true;
      at = nextEscape(copied);
    } else {
      // Not an escape after all: it stays as written, and the search goes on after it.
      at = nextEscape(at + 1);
    }
  }
  if (!changed) return undefined;
  copyTo(text.length);
  sources.push(text.length);
  return { text: out, sources: Uint32Array.from(sources) };
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const REFERENCE = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));/;

/** An HTML character reference (`&#70;`, `&#x46;`, `&amp;`, …): Markdown and HTML clients display what it spells. */
function decodeReference(text: string, at: number): { text: string; length: number } | undefined {
  const m = REFERENCE.exec(text.slice(at, at + 12));
  if (!m) return undefined;
  if (m[3] != null) {
    const named = NAMED[m[3]];
    return named != null ? { text: named, length: m[0].length } : undefined;
  }
  const cp = m[1] != null ? parseInt(m[1], 10) : parseInt(m[2] as string, 16);
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(cp), length: m[0].length };
}

function decodeOne(text: string, at: number, next: string): { text: string; length: number } | undefined {
  const simple = SIMPLE[next];
  if (simple !== undefined) return { text: simple, length: 2 };
  if (next === 'u') {
    if (text[at + 2] === '{') {
      const close = text.indexOf('}', at + 3);
      if (close < 0 || close - (at + 3) > 6) return undefined;
      return fromCodePoint(text.slice(at + 3, close), close + 1 - at);
    }
    const hex = text.slice(at + 2, at + 6);
    if (!HEX4.test(hex)) return undefined;
    const unit = parseInt(hex, 16);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      // A high surrogate escape counts only with the low one that must follow it.
      if (text[at + 6] !== '\\' || text[at + 7] !== 'u') return undefined;
      const low = text.slice(at + 8, at + 12);
      if (!HEX4.test(low)) return undefined;
      const lowUnit = parseInt(low, 16);
      if (lowUnit < 0xdc00 || lowUnit > 0xdfff) return undefined;
      return { text: String.fromCharCode(unit, lowUnit), length: 12 };
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return undefined;
    return { text: String.fromCharCode(unit), length: 6 };
  }
  if (next === 'x') return fromCodePoint(text.slice(at + 2, at + 4), 4, 2);
  if (next === 'U') return fromCodePoint(text.slice(at + 2, at + 10), 10, 8);
  return undefined;
}

function fromCodePoint(hex: string, length: number, exactDigits?: number): { text: string; length: number } | undefined {
  if (hex === '' || !/^[0-9a-fA-F]+$/.test(hex) || (exactDigits != null && hex.length !== exactDigits)) return undefined;
  const cp = parseInt(hex, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(cp), length };
}
