import { deepestDecoding } from './decoded-views.js';

/**
 * Escapes spell one character with up to twelve (`\ud83d\ude00`), more when escaped twice; text
 * this many times the hold-back is looked at to count what it means.
 */
const SPELLING_FACTOR = 16;

/**
 * Where the held-back tail of `text[0, end)` starts: the last `chars` characters stay unreleased,
 * counted as they read once escapes are decoded — `\u0046\u004f…` holds back as many letters as
 * `FO…`, so an escaped phrase no longer than the hold-back is never partly released before a
 * check has seen all of it. Text escaped beyond reach holds back `SPELLING_FACTOR × chars` as written.
 */
export function holdBackStart(text: string, end: number, chars: number): number {
  const plain = end - chars;
  const from = Math.max(0, end - chars * SPELLING_FACTOR);
  if (text.lastIndexOf('\\', end - 1) < from && text.lastIndexOf('&', end - 1) < from) return plain;
  const decoded = deepestDecoding(text.slice(from, end));
  const length = decoded.text.length;
  if (length === end - from) return plain;
  return length <= chars ? from : from + decoded.rawOffset(length - chars);
}
