import { isLuhnValid } from './luhn.js';
import type { PiiMatch } from './pii-match.js';

/**
 * Either an unbroken run of 12-19 digits or digit groups (first of 4) joined by one repeated
 * separator. A trailing separator followed by more digits disqualifies the whole run, so a
 * long list of numbers is not read as a card.
 */
const CARD = /(?<![\d-])(?:\d{12,19}|\d{4}([ -])\d{3,6}(?:\1\d{1,6}){1,3})(?![\d]|[ -]\d)/g;
const KNOWN_PREFIX = /^(?:[2-6]|1800|2131)/;
const MAESTRO_12 = /^(?:50|5[6-9]|6)/;

export function findPaymentCards(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19 || !isLuhnValid(digits) || /^(\d)\1+$/.test(digits)) continue;
    let confidence: number;
    if (digits.length === 12) {
      if (!MAESTRO_12.test(digits)) continue;
      confidence = 0.7;
    } else {
      confidence = KNOWN_PREFIX.test(digits) ? 1 : 0.6;
    }
    out.push({ type: 'payment_card', start: m.index, end: m.index + m[0].length, confidence });
  }
}
