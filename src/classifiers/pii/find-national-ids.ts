import { isValidUkNino, isValidUsSsn } from './national-ids.js';
import type { PiiMatch } from './pii-match.js';

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d]|[- ]\d)/g;
const SSN_BARE = /(?<!\d)(\d{3})(\d{2})(\d{4})(?!\d)/g;
const SSN_CONTEXT = /\b(?:ssn|social security|soc\.? sec\.?)\b/i;
const NINO = /(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?![A-Za-z0-9])/g;

function hasContextBefore(text: string, index: number, pattern: RegExp, window = 40): boolean {
  return pattern.test(text.slice(Math.max(0, index - window), index));
}

/** US Social Security numbers and UK National Insurance numbers. */
export function findNationalIds(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(SSN)) {
    const [, area, sep, group, serial] = m as unknown as [string, string, string, string, string];
    if (!isValidUsSsn(area, group, serial)) continue;
    // 123-45-6789 is the SSN's own shape; with spaces it is also a plausible phone number.
    const confidence = sep === '-' || hasContextBefore(text, m.index, SSN_CONTEXT) ? 1 : 0.6;
    out.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length, confidence });
  }
  if (SSN_CONTEXT.test(text)) {
    for (const m of text.matchAll(SSN_BARE)) {
      const [, area, group, serial] = m as unknown as [string, string, string, string];
      if (isValidUsSsn(area, group, serial) && hasContextBefore(text, m.index, SSN_CONTEXT)) {
        out.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length, confidence: 0.9 });
      }
    }
  }
  for (const m of text.matchAll(NINO)) {
    if (!isValidUkNino(m[0])) continue;
    const upper = m[0] === m[0].toUpperCase();
    out.push({ type: 'uk_nino', start: m.index, end: m.index + m[0].length, confidence: upper ? 1 : 0.6 });
  }
}
