import { describe, expect, it } from 'vitest';
import { detectPii } from './detect-pii.js';
import type { PiiType } from './pii-match.js';

/** The strongest match of `type` whose span is exactly `value` (so spans must point into the text). */
function found(text: string, type: PiiType, value: string): number | undefined {
  const m = detectPii(text).find((x) => x.type === type && text.slice(x.start, x.end) === value);
  return m?.confidence;
}

/** Anything reported at or above 0.5 (the usual policy threshold for `pii`). */
function strong(text: string): string[] {
  return detectPii(text)
    .filter((m) => m.confidence >= 0.5)
    .map((m) => `${m.type}:${text.slice(m.start, m.end)}`);
}

describe('detectPii', () => {
  it('finds e-mail addresses', () => {
    expect(found('Contact jane.doe+news@example.co.uk today.', 'email', 'jane.doe+news@example.co.uk')).toBe(1);
    expect(strong('not an address: user@localhost or @handle')).toEqual([]);
  });

  it('finds phone numbers in international and national formats', () => {
    for (const phone of ['+44 20 7946 0958', '(415) 555-2671', '415-555-2671', '415.555.2671', '+1-604-696-5272x565', '0490 75 40 81', '+41 (0)96 471 07 95']) {
      expect(found(`Call ${phone} after six.`, 'phone', phone), phone).toBeGreaterThanOrEqual(0.9);
    }
    expect(found('my cell: 9498777106', 'phone', '9498777106')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not read dates, prices, years, ranges or plain numbers as phone numbers', () => {
    for (const text of [
      'The meeting is on 2023-01-15 at 10:30.',
      'Born 15.01.1990 in Leeds.',
      'It costs $1,299.99 or €1.234.567 in total.',
      'In 1999 we sold 12345 units, about 3.14159265 per person.',
      'Eat 700-1000 calories; the war lasted 1939-1945.',
      'Population: 12 345 678.',
      'ISBN 978-3-16-148410-0',
    ]) {
      expect(strong(text), text).toEqual([]);
    }
  });

  it('finds Luhn-valid payment cards and ignores invalid ones', () => {
    expect(found('card 4111 1111 1111 1111 exp 12/29', 'payment_card', '4111 1111 1111 1111')).toBe(1);
    expect(found('card 4111-1111-1111-1111.', 'payment_card', '4111-1111-1111-1111')).toBe(1);
    expect(found('amex 378282246310005', 'payment_card', '378282246310005')).toBe(1);
    expect(strong('card 4111 1111 1111 1112 exp 12/29')).toEqual([]);
    expect(strong('zeros 0000 0000 0000 0000')).toEqual([]);
  });

  it('finds IBANs with a valid checksum, printed or compact, in any case', () => {
    expect(found('IBAN: GB82 WEST 1234 5698 7654 32, thanks', 'iban', 'GB82 WEST 1234 5698 7654 32')).toBe(1);
    expect(found('pay DE89370400440532013000 now', 'iban', 'DE89370400440532013000')).toBe(1);
    expect(found('gb82west12345698765432', 'iban', 'gb82west12345698765432')).toBe(1);
    expect(strong('IBAN: GB82 WEST 1234 5698 7654 33, thanks')).toEqual([]);
    expect(strong('pay DE89370400440532013001 now')).toEqual([]);
  });

  it('finds US SSNs and rejects impossible ones', () => {
    expect(found('SSN 123-45-6789.', 'us_ssn', '123-45-6789')).toBe(1);
    expect(found('social security number 078051121', 'us_ssn', '078051121')).toBe(0.9);
    for (const bad of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000']) {
      expect(strong(`number ${bad} here`), bad).toEqual([]);
    }
  });

  it('finds UK National Insurance numbers and applies the prefix rules', () => {
    expect(found('NI number AB123456C.', 'uk_nino', 'AB123456C')).toBe(1);
    expect(found('NI number AB 12 34 56 C.', 'uk_nino', 'AB 12 34 56 C')).toBe(1);
    for (const bad of ['BG123456A', 'GB123456A', 'DA123456A', 'AO123456A', 'AB123456E']) {
      expect(detectPii(`NI number ${bad}.`).filter((m) => m.type === 'uk_nino'), bad).toEqual([]);
    }
  });

  it('finds IPv4 and IPv6 addresses but not version strings, times or C++ scopes', () => {
    expect(found('from 203.0.113.7 at noon', 'ip_address', '203.0.113.7')).toBe(1);
    expect(found('host 2001:db8::8a2e:370:7334 is up', 'ip_address', '2001:db8::8a2e:370:7334')).toBe(1);
    expect(found('localhost 127.0.0.1', 'ip_address', '127.0.0.1')).toBeLessThan(1);
    for (const text of ['octet 256.1.1.1 is out of range', 'release 1.2.3.4.5', 'version 1.2.3.4', 'at 12:30:45', 'std::vector<int> a::b']) {
      expect(detectPii(text).filter((m) => m.type === 'ip_address'), text).toEqual([]);
    }
  });

  it('finds street addresses and postcodes', () => {
    expect(found('Visit 221B Baker Street soon', 'street_address', '221B Baker Street')).toBe(0.9);
    expect(found('at 1600 Pennsylvania Avenue NW.', 'street_address', '1600 Pennsylvania Avenue NW')).toBe(0.9);
    expect(found('Wohnt in Hauptstraße 5, Berlin', 'street_address', 'Hauptstraße 5')).toBe(0.8);
    expect(found('Via Franscini 71, Lugano', 'street_address', 'Via Franscini 71')).toBe(0.8);
    expect(found('London SW1A 1AA', 'postcode', 'SW1A 1AA')).toBe(0.7);
    expect(found('Springfield, IL 62704', 'postcode', 'IL 62704')).toBe(0.7);
    for (const text of [
      'She walked 3 blocks down the street.',
      'It is a 30 minute drive to the coast.',
      'In 2012 National Book Critics Circle awards were given.',
      'Tie 2 knots, then investigate 5 clues.',
    ]) {
      expect(strong(text), text).toEqual([]);
    }
  });

  it('keeps the most specific reading when spans overlap, and reports spans in order', () => {
    const text = 'Card 4111111111111111, IBAN DE89370400440532013000, mail a@b.io';
    const ms = detectPii(text);
    expect(ms.map((m) => m.type)).toEqual(['payment_card', 'iban', 'email']);
    for (let i = 1; i < ms.length; i++) expect(ms[i]!.start).toBeGreaterThanOrEqual(ms[i - 1]!.end);
  });

  it('has no false positives on ordinary prose and math', () => {
    const text =
      'Janet’s ducks lay 16 eggs per day. She eats three for breakfast and bakes muffins with 4. ' +
      'She sells the remainder at $2 per egg. How much does she make every day? Chapter 12, verse 3.';
    expect(detectPii(text)).toEqual([]);
  });

  it('survives hostile input quickly', () => {
    const started = performance.now();
    for (const text of ['', '\ud800\udfff\ud800', '1 '.repeat(50_000), '@'.repeat(100_000), 'a'.repeat(100_000) + '@', ':'.repeat(100_000) + '1']) {
      expect(Array.isArray(detectPii(text))).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
