import type { Evidence } from '../classifiers/classifier.js';
import { decodeEscapes, type DecodedText } from './decode-escapes.js';

/**
 * How many times escapes are decoded in a row: JSON inside a JSON string inside a JSON string is
 * three; a few more cover text escaped on purpose, and the bound keeps the work linear.
 */
export const MAX_DECODE_DEPTH = 4;

/** A text as written followed by what it means once its escapes are decoded. */
export interface DecodedViews {
  /** The text as written, then each distinct decoding of it, one per line. */
  text: string;
  /** Length of the text as written (the first view). */
  rawLength: number;
  /**
   * `evidence` (offsets into `text`) with spans found in a decoded view moved onto the text as
   * written; a span that cannot be placed there (it crosses views) is left where it is, past
   * `rawLength`, so whoever redacts sees it cannot and fails closed.
   */
  onRaw(evidence: readonly Evidence[]): Evidence[];
}

/**
 * The text a classifier must see to judge what `raw` means rather than how it is spelt: `raw`
 * itself, and — when it holds escapes — its decodings (`\u0046` → `F`, then again for text
 * escaped twice, as JSON inside a JSON string is), each on its own line. A client displays the
 * first, a JSON parser or a tool reads the others; all are checked.
 */
export function withDecodedViews(raw: string): DecodedViews {
  const views = decodings(raw);
  if (views.length === 0) return { text: raw, rawLength: raw.length, onRaw: (evidence) => [...evidence] };
  const offsets: number[] = [];
  let text = raw;
  for (const v of views) {
    text += '\n';
    offsets.push(text.length);
    text += v.text;
  }
  const toRaw = (k: number, at: number): number => rawOffset(views, k, at);
  const onRaw = (evidence: readonly Evidence[]): Evidence[] =>
    evidence.map((e) => {
      if (e.end <= raw.length || e.start > text.length) return e;
      for (let k = offsets.length - 1; k >= 0; k--) {
        const base = offsets[k] as number;
        if (e.start < base) continue;
        const len = (views[k] as { text: string }).text.length;
        if (e.end > base + len) return e;
        return { ...e, start: toRaw(k, e.start - base), end: toRaw(k, e.end - base) };
      }
      return e;
    });
  return { text, rawLength: raw.length, onRaw };
}

/**
 * `raw` fully decoded (to `MAX_DECODE_DEPTH`), with a way back: `rawOffset(i)` is the offset in
 * `raw` of what became decoded offset `i` (`text.length` maps to `raw.length`).
 */
export function deepestDecoding(raw: string): { text: string; rawOffset(at: number): number } {
  const views = decodings(raw);
  if (views.length === 0) return { text: raw, rawOffset: (at) => at };
  return { text: (views.at(-1) as DecodedText).text, rawOffset: (at) => rawOffset(views, views.length - 1, at) };
}

/** Each successive decoding of `raw` that changed something (none when it holds no escape). */
function decodings(raw: string): DecodedText[] {
  const views: DecodedText[] = [];
  for (let text = raw, depth = 0; depth < MAX_DECODE_DEPTH; depth++) {
    const next = decodeEscapes(text);
    if (!next) break;
    views.push(next);
    text = next.text;
  }
  return views;
}

/** Offset `at` of decoding `k` (0-based) as an offset into the text as written. */
function rawOffset(views: readonly DecodedText[], k: number, at: number): number {
  let pos = at;
  for (let j = k; j >= 0; j--) pos = (views[j] as DecodedText).sources[pos] as number;
  return pos;
}
