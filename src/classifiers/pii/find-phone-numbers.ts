import type { PiiMatch } from './pii-match.js';

/**
 * Digit groups joined by single separators, with an optional +country code, parenthesised
 * area code and extension. Not preceded by a word character, currency sign or number
 * punctuation, and not followed by more number-ish text (a time, a decimal, a date part).
 */
const PHONE =
  /(?<![\w+\-./$€£¥#]|\d,)(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?\d{1,5}|\d{1,15})(?:[ .-]?\(\d{1,5}\)[ .-]?\d{1,5}|[ .-]\d{1,8}){0,6}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,5})?(?![\w/]|[-.,:]\d)/g;
const EXTENSION = /[ ]?(?:x|ext\.?)[ ]?\d{1,5}$/;
const PHONE_CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|whatsapp|call(?: me| us)?|text me|reach me|ph|mob)\b[^\d\n]{0,12}$/i;
const DATE =
  /(?:^|\D)(?:(?:19|20)\d\d[-./ ](?:0?[1-9]|1[0-2])[-./ ](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-./ ](?:0?[1-9]|1[0-2])[-./ ](?:19|20)\d\d|(?:0?[1-9]|1[0-2])[-./ ](?:0?[1-9]|[12]\d|3[01])[-./ ](?:19|20)\d\d)(?:\D|$)/;

export function findPhoneNumbers(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(PHONE)) {
    const confidence = phoneConfidence(m[0], text, m.index);
    if (confidence > 0) out.push({ type: 'phone', start: m.index, end: m.index + m[0].length, confidence });
  }
}

/** 0 = not a phone number. */
function phoneConfidence(raw: string, text: string, index: number): number {
  const ext = EXTENSION.exec(raw);
  const body = ext ? raw.slice(0, ext.index) : raw;
  const digits = body.replace(/\D/g, '').replace(/^00/, '');
  const plus = body.startsWith('+') || /^00[1-9]/.test(body);
  const parens = body.includes('(');
  if (digits.length < 7 || digits.length > 15) return 0;
  if (!plus && digits.length > 12) return 0; // card-length runs are for the card finder
  if (DATE.test(body)) return 0;
  // The SSN's own shape: a valid one is reported as an SSN, an invalid one is not a phone.
  if (/^\d{3}-\d{2}-\d{4}$/.test(body)) return 0;
  const context = PHONE_CONTEXT.test(text.slice(Math.max(0, index - 30), index));
  // 1999-2000, 700-1000: an ascending range, unless the text says it is a phone number.
  const range = /^(\d{1,4})-(\d{1,4})$/.exec(body);
  if (range && Number(range[1]) < Number(range[2]) && !context) return 0;

  // The country code and a "(0)" trunk marker are not groups of the national number.
  const afterCountry = (plus ? body.replace(/^(?:\+|00)\d{1,3}[ .-]?/, '') : body).replace(/\(0\)[ .-]?/, '');
  const groups = afterCountry.split(/[ .\-()]+/).filter((g) => g !== '');
  const seps = new Set(afterCountry.replace(/[\d()]/g, '').split(''));
  const separated = groups.length > 1 || parens;
  const oneDigitGroups = groups.filter((g) => g.length === 1).length;
  if (oneDigitGroups > (plus || parens ? 1 : 0)) return 0;
  // A decimal (3.14159) or a number with thousands separators (1.234.567, 12 345 678).
  if (seps.has('.') && groups.length < 3) return 0;
  const thousandsLike = groups.length > 1 && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3);

  let confidence: number;
  if (plus && digits.length >= 8) confidence = 1;
  else if (parens && digits.length >= 9) confidence = 1;
  else if (/^(?:1[ .-]|001[ .-])?[2-9]\d\d([ .-])\d{3}\1\d{4}$/.test(body) || /^\(\d{3}\) ?\d{3}-\d{4}$/.test(body)) {
    confidence = 1; // North American 3-3-4
  } else if (separated && digits.startsWith('0') && digits.length >= 9 && !thousandsLike) {
    confidence = 0.9; // national format with trunk prefix: 0490 75 40 81, 07700 063 966
  } else if (parens) confidence = 0.8;
  else if (separated) confidence = thousandsLike || seps.size > 1 ? 0.3 : 0.5;
  else confidence = digits.length >= 10 && digits.length <= 11 ? 0.4 : 0;
  if (confidence > 0 && ext) confidence = Math.min(1, confidence + 0.3);
  if (confidence > 0 && context) confidence = Math.max(confidence, 0.95);
  return confidence;
}
