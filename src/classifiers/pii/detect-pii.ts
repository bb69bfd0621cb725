import { findEmails } from './find-emails.js';
import { findIbans } from './find-ibans.js';
import { findIpAddresses } from './find-ip-addresses.js';
import { findNationalIds } from './find-national-ids.js';
import { findPaymentCards } from './find-payment-cards.js';
import { findPhoneNumbers } from './find-phone-numbers.js';
import { findStreetAddresses } from './find-street-addresses.js';
import type { PiiMatch, PiiType } from './pii-match.js';

/**
 * When spans overlap, the more confident reading wins, then the more specific one: a
 * checksum-validated IBAN or card beats the phone number its digits also resemble, and an
 * address keeps its postcode inside it.
 */
const PRIORITY: Readonly<Record<PiiType, number>> = {
  email: 0,
  iban: 1,
  payment_card: 2,
  us_ssn: 3,
  uk_nino: 4,
  ip_address: 5,
  phone: 6,
  street_address: 7,
  postcode: 8,
};

/** Context kept on each side of a run of digits; street names and labels sit within it. */
const WINDOW = 80;
/** How far a window edge may move further to reach whitespace (so no word is cut in half). */
const EDGE_SLACK = 48;

const DIGIT_RUN = /[0-9]+/g;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xa0;
}

/**
 * Every finder except e-mail needs a digit, so the regexes run only on windows around runs of
 * digits: most texts have few numbers, and scanning all of a long text with a dozen patterns
 * would cost more than the rest of the embedded classifier.
 */
function digitWindows(text: string): Array<[number, number, number]> {
  const windows: Array<[number, number, number]> = [];
  const n = text.length;
  // The regex engine skips digit-free stretches in native code, several times faster than a
  // loop over char codes (and most texts hold no digit at all).
  DIGIT_RUN.lastIndex = 0;
  for (let run = DIGIT_RUN.exec(text); run !== null; run = DIGIT_RUN.exec(text)) {
    const i = run.index;
    const e = i + run[0].length;
    let s = Math.max(0, i - WINDOW);
    for (let k = 0; k < EDGE_SLACK && s > 0 && !isSpace(text.charCodeAt(s - 1)); k++) s--;
    let f = Math.min(n, e + WINDOW);
    for (let k = 0; k < EDGE_SLACK && f < n && !isSpace(text.charCodeAt(f)); k++) f++;
    const last = windows[windows.length - 1];
    if (last && s <= last[1]) {
      last[1] = Math.max(last[1], f);
      last[2] += e - i;
    } else windows.push([s, f, e - i]);
  }
  return windows;
}

/** Finds personal data in `text`; matches do not overlap and are sorted by position. */
export function detectPii(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  if (text.includes('@')) findEmails(text, found);
  for (const [s, f, digits] of digitWindows(text)) {
    const part: PiiMatch[] = [];
    const sub = s === 0 && f === text.length ? text : text.slice(s, f);
    // Each finder needs at least this many digits; most windows hold a year or a small number.
    if (digits >= 8) findIbans(sub, part);
    if (digits >= 12) findPaymentCards(sub, part);
    if (digits >= 6) findNationalIds(sub, part);
    if (digits >= 4 || sub.includes(':')) findIpAddresses(sub, part);
    if (digits >= 7) findPhoneNumbers(sub, part);
    findStreetAddresses(sub, part);
    for (const m of part) found.push({ ...m, start: m.start + s, end: m.end + s });
  }
  if (found.length === 0) return found;
  found.sort(
    (a, b) => b.confidence - a.confidence || PRIORITY[a.type] - PRIORITY[b.type] || a.start - b.start || b.end - a.end,
  );
  const kept: PiiMatch[] = [];
  for (const m of found) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}
