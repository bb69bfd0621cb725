import type { PiiMatch } from './pii-match.js';

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export function findEmails(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(EMAIL)) {
    out.push({ type: 'email', start: m.index, end: m.index + m[0].length, confidence: 1 });
  }
}
