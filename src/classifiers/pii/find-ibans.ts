import { IBAN_LENGTHS, isValidIban } from './iban.js';
import type { PiiMatch } from './pii-match.js';

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Reads exactly the country's IBAN length from each plausible start, allowing the printed form
 * (single spaces between groups of four), so a following word is never swallowed.
 */
export function findIbans(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(IBAN_START)) {
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (length == null) continue;
    let i = m.index + 4;
    let count = 4;
    while (count < length && i < text.length) {
      const c = text.charCodeAt(i);
      if (isAlnum(c)) {
        count++;
        i++;
      } else if (c === 32 && count % 4 === 0 && i + 1 < text.length && isAlnum(text.charCodeAt(i + 1))) {
        i++;
      } else break;
    }
    if (count !== length || (i < text.length && isAlnum(text.charCodeAt(i)))) continue;
    if (!isValidIban(text.slice(m.index, i))) continue;
    out.push({ type: 'iban', start: m.index, end: i, confidence: 1 });
  }
}
