import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { capitalAt, numberThenSpaceOrComma, spaceBefore, STREET_PATTERNS } from './find-street-addresses.js';

const PIECES = [
  '12', '221B', '1600', '5', '10', '137', '1634', '25a', '2012', '10001', '94105-1234', ',', ', ', ' ', '  ', '.', '-', '/', 'x',
  'Baker', 'Street', 'St', 'St.', 'Avenue', 'NW', 'N', 'Downing', 'Pennsylvania', 'main', 'street', 'road', 'old', 'the',
  'rue', 'Rue', 'de', 'la', 'Paix', 'Avenue', 'Teboulbi', 'Via', 'Franscini', 'Calle', 'Mayor', 'Rua', 'do', 'Arenque',
  'Hauptstraße', 'Koskikatu', 'hersnapvej', 'Kossuth', 'utca', 'Søndergade', 'SW1A', '1AA', 'SW1A 1AA', 'EC1A1BB', 'GIR 0AA',
  'NY', 'CA', 'TX', 'M1', 'W1A', 'B', 'é', 'Ünter', 'maple', 'oak', 'mill', 'lane', 'Gasse', 'Straat', 'Piazza', 'Navona', '42 elm road', '7 maple lane,',
];

function texts(count: number, seed: number): string[] {
  const rnd = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    let t = '';
    const n = 2 + Math.floor(rnd() * 10);
    for (let i = 0; i < n; i++) t += PIECES[Math.floor(rnd() * PIECES.length)]! + (rnd() < 0.7 ? ' ' : '');
    return t;
  });
}

function matchesAt(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.exec(text) !== null;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

describe('findStreetAddresses: the conditions that let a run of digits skip the patterns', () => {
  it('hold wherever the pattern they stand for matches (generated addresses, postcodes and near misses)', () => {
    const p = STREET_PATTERNS;
    const matched = new Map<RegExp, number>();
    const count = (pattern: RegExp): void => void matched.set(pattern, (matched.get(pattern) ?? 0) + 1);
    for (const text of texts(20_000, 5)) {
      for (let at = 0; at < text.length; at++) {
        for (const pattern of [p.UK_POSTCODE, p.US_STATE_ZIP]) {
          if (!matchesAt(pattern, text, at)) continue;
          count(pattern);
          expect(capitalAt(text, at), text).toBe(true);
        }
        if (!isDigit(text.charCodeAt(at)) || (at > 0 && isDigit(text.charCodeAt(at - 1)))) continue;
        for (const pattern of [p.NUMBER_NAME_SUFFIX, p.LOWERCASE_ADDRESS, p.NUMBER_PREFIX_NAME]) {
          if (!matchesAt(pattern, text, at)) continue;
          count(pattern);
          expect(numberThenSpaceOrComma(text, at), `${pattern.source.slice(0, 30)} in ${text}`).toBe(true);
        }
        for (const pattern of [p.NAME_SUFFIX_NUMBER, p.PREFIX_NAME_NUMBER]) {
          if (!matchesAt(pattern, text, at)) continue;
          count(pattern);
          expect(spaceBefore(text, at), `${pattern.source.slice(0, 30)} in ${text}`).toBe(true);
        }
      }
    }
    // The generator must produce matches of every kind for this to mean anything.
    for (const pattern of Object.values(p)) expect(matched.get(pattern) ?? 0, pattern.source.slice(0, 160)).toBeGreaterThan(50);
  });
});
