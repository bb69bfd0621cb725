import type { PiiMatch } from './pii-match.js';

/*
 * Letter classes are spelled out (Latin, Greek, Cyrillic) instead of \p{L}: V8 runs \p{...}
 * classes over two-byte strings (any text with a curly quote) about twenty times slower.
 */
const L = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF\\u1E00-\\u1EFF';
const LU = 'A-Z\\u00C0-\\u00D6\\u00D8-\\u00DE\\u0386-\\u03AB\\u0400-\\u042F';
const SUFFIXES =
  'Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Terr|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Trl|Mews|Gardens|Grove|Alley|Plaza|Expressway|Freeway|Turnpike|Walkway';
const TITLE_WORD = `[${LU}][${L}'.-]*`;

/** 221B Baker Street, 1600 Pennsylvania Avenue NW, 10 Downing St. */
const NUMBER_NAME_SUFFIX = new RegExp(
  `(?<![${L}0-9$€£.,/-])\\d{1,6}[A-Za-z]?(?:[ ,]+${TITLE_WORD}){1,4} (?:${SUFFIXES})\\.?(?:,? (?:N|S|E|W|NE|NW|SE|SW)\\b)?(?![${L}0-9])`,
  'y',
);
/** All-lowercase writing: only full suffix words, and names without function words or units. */
const LOWERCASE_ADDRESS = new RegExp(
  `(?<![${L}0-9$€£.,/-])\\d{1,5}(?: (?!(?:the|a|an|of|on|in|at|to|and|or|down|up|across|along|from|my|our|your|his|her|their|this|that|more|other|new|old|big|small|long|short|blocks?|miles?|km|kilometers?|meters?|feet|foot|yards?|steps?|minutes?|hours?|seconds?|days?|weeks?|months?|years?|times?|houses?|cars?|people|lanes?)\\b)[a-z\\u00DF-\\u00FF]+){1,3} (?:street|avenue|road|lane|boulevard)(?![${L}0-9])`,
  'y',
);
/**
 * Continental forms: Koskikatu 25, Hauptstraße 5, Søndergade 52, Kossuth utca 5, hersnapvej 18.
 * The match is the house number; the street name is captured in a lookbehind, so the regex
 * only does work at digits instead of at every letter.
 */
const NAME_SUFFIX_NUMBER = new RegExp(
  `(?<=(?<![${L}0-9])((?:[${L}]{2,}(?:straße|strasse|gasse|allee|platz|weg|laan|straat|gracht|vej|vænget|gade|gatan|vägen|väg|veien|vegen|gata|katu|tie|kuja|stræti)|[${LU}][${L}]+ (?:utca|út|tér|gate|gata|vei|vej|ulica|straße|strasse|weg|kuja|katu|tie|kapu))\\.? ))\\d{1,4}[A-Za-z]?(?![${L}0-9])`,
  'iy',
);
/** English words that happen to end like a Nordic street name. */
const NOT_A_STREET = /^(?:[a-z]*(?:ene|bri)gade|(?:neck|bow|un|aun|hog|pat|par|sor|or|ami|mi)tie)\b/i;
/** Rue de la Paix 12, Via Franscini 71, Rua do Arenque 1634, Calle Mayor 5 (name captured as above). */
const PREFIX_NAME_NUMBER = new RegExp(
  `(?<=(?<![${L}0-9])((?:Rue|Via|Viale|Calle|Avenida|Rua|Piazza|Corso|Chemin|Plaza|Praça|Largo|Ulica|Carrer)(?: (?:(?:de|do|da|del|della|di|la|le|des|du|dos|das|dei|degli|d') ?)?[${LU}][${L}'.-]*){1,4},? ))\\d{1,4}[A-Za-z]?(?![${L}0-9])`,
  'y',
);
/** 12 rue de la Paix, 137 Avenue Teboulbi. */
const NUMBER_PREFIX_NAME = new RegExp(
  `(?<![${L}0-9$€£.,/-])\\d{1,4},? (?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai)(?: (?:(?:de|du|des|la|le|d')\\s?)?[${LU}][${L}'-]*){1,4}`,
  'y',
);
const PO_BOX = /\b(?:P\.? ?O\.? Box|PO Box|Post Office Box|(?:PSC|Unit|CMR) \d{3,5},? Box) \d{1,6}\b|\b[APD]PO A[AEP] \d{5}\b/g;
const UK_POSTCODE =
  /(?<![A-Za-z0-9])(?:GIR 0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])( ?)\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])/y;
const US_STATE_ZIP =
  /(?<![A-Za-z0-9])(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),? \d{5}(?:-\d{4})?(?!\d)/y;
const MAY_HOLD_BOX_OR_UNIT = /Box|BOX|APO|DPO|FPO|Apt|Apartment|Suite|Ste\.|Flat|Unit/;
const UNIT = /\b(?:Apt\.?|Apartment|Suite|Ste\.|Flat|Unit) #?\d{1,5}[A-Z]?\b/g;
/** A four-digit number that reads as a year ("2012 National Book Critics Circle"). */
const YEAR_LIKE = /^(?:1[89]|20)\d\d\b/;

function collect(text: string, pattern: RegExp, type: PiiMatch['type'], confidence: number, out: PiiMatch[]): void {
  for (const m of text.matchAll(pattern)) {
    out.push({ type, start: m.index, end: m.index + m[0].length, confidence });
  }
}

const DIGIT_RUN = /[0-9]+/g;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

function isUpperAscii(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/**
 * What the patterns need around a run of digits starting at `p`, read off their sources (a test
 * checks each one against every match on generated addresses), so a run that lacks it skips them:
 * - NUMBER_NAME_SUFFIX, LOWERCASE_ADDRESS and NUMBER_PREFIX_NAME take the whole run (`\d{1,6}`
 *   and the like, then no digit) and go on with a space or a comma, after at most one letter;
 * - NAME_SUFFIX_NUMBER and PREFIX_NAME_NUMBER end their look-behind with a space;
 * - UK_POSTCODE and US_STATE_ZIP, tried a few chars before the run, start with a capital.
 */
export function numberThenSpaceOrComma(text: string, p: number): boolean {
  let q = p;
  while (q < text.length && isDigit(text.charCodeAt(q))) q++;
  let c = text.charCodeAt(q);
  if (isAsciiLetter(c)) c = text.charCodeAt(q + 1);
  return c === 0x20 || c === 0x2c;
}

export function spaceBefore(text: string, p: number): boolean {
  return text.charCodeAt(p - 1) === 0x20;
}

export function capitalAt(text: string, at: number): boolean {
  return at >= 0 && isUpperAscii(text.charCodeAt(at));
}

/** The patterns, for the test that checks the conditions above. */
export const STREET_PATTERNS = { NUMBER_NAME_SUFFIX, LOWERCASE_ADDRESS, NUMBER_PREFIX_NAME, NAME_SUFFIX_NUMBER, PREFIX_NAME_NUMBER, UK_POSTCODE, US_STATE_ZIP };

/** Runs a sticky pattern at one position. */
function matchAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  if (index < 0) return null;
  pattern.lastIndex = index;
  return pattern.exec(text);
}

/**
 * Street addresses and postcodes. Street names are recognised by a number plus a street word,
 * which is a pattern, not a checksum: confidences stay below 1, and all-lowercase or bare
 * postcodes count as weaker signals.
 *
 * Every pattern is tried only where a run of digits starts (or a fixed distance before it),
 * with sticky regexes: scanning the whole text with each pattern costs ten times more.
 */
export function findStreetAddresses(text: string, out: PiiMatch[]): void {
  const push = (type: PiiMatch['type'], start: number, end: number, confidence: number): void => {
    out.push({ type, start, end, confidence });
  };
  // Where each run of digits starts, found by the regex engine: the text is a slice of the one
  // classified (a window around its digits), and V8 reads a slice's chars one by one at several
  // times the cost of a flat string's, which made this loop a fifth of the PII finders' time.
  DIGIT_RUN.lastIndex = 0;
  for (let run = DIGIT_RUN.exec(text); run !== null; run = DIGIT_RUN.exec(text)) {
    const p = run.index;
    let m: RegExpExecArray | null;
    if (numberThenSpaceOrComma(text, p)) {
      m = matchAt(NUMBER_NAME_SUFFIX, text, p);
      if (m) push('street_address', p, p + m[0].length, YEAR_LIKE.test(m[0]) ? 0.4 : 0.9);
      m = matchAt(LOWERCASE_ADDRESS, text, p);
      if (m) push('street_address', p, p + m[0].length, 0.6);
      m = matchAt(NUMBER_PREFIX_NAME, text, p);
      if (m) push('street_address', p, p + m[0].length, 0.8);
    }
    if (spaceBefore(text, p)) {
      m = matchAt(NAME_SUFFIX_NUMBER, text, p);
      if (m && !NOT_A_STREET.test(m[1] ?? '')) push('street_address', p - (m[1] ?? '').length, p + m[0].length, 0.8);
      m = matchAt(PREFIX_NAME_NUMBER, text, p);
      if (m) push('street_address', p - (m[1] ?? '').length, p + m[0].length, 0.8);
    }
    for (let back = 1; back <= 2; back++) {
      m = capitalAt(text, p - back) ? matchAt(UK_POSTCODE, text, p - back) : null;
      // Written without its space, a postcode looks like many product and model codes.
      if (m) push('postcode', p - back, p - back + m[0].length, m[1] ? 0.7 : 0.4);
    }
    for (let back = 3; back <= 4; back++) {
      m = capitalAt(text, p - back) ? matchAt(US_STATE_ZIP, text, p - back) : null;
      if (m) push('postcode', p - back, p - back + m[0].length, 0.7);
    }
  }
  if (MAY_HOLD_BOX_OR_UNIT.test(text)) {
    collect(text, PO_BOX, 'street_address', 0.8, out);
    collect(text, UNIT, 'street_address', 0.4, out);
  }
}
