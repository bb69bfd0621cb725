import { isUtf8 } from 'node:buffer';

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function textOfBytes(bytes: Uint8Array): string | undefined {
  return isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
}

const LETTER = /\p{L}/u;

/**
 * Whether decoded bytes read as writing rather than data: no control characters (tab and line
 * breaks aside), at least four letters, and letters at least 40% of the characters. Random bytes
 * (a hash, an id, a key that happens to be valid base64) almost never pass; a sentence, a list or
 * a JSON object holding words does.
 */
export function looksLikeText(s: string): boolean {
  let chars = 0;
  let letters = 0;
  for (const ch of s) {
    chars++;
    const c = ch.codePointAt(0) as number;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c < 0xa0) || c === 0xfffd) return false;
    if (c < 0x80 ? (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a : LETTER.test(ch)) letters++;
  }
  return letters >= 4 && letters >= chars * 0.4;
}
