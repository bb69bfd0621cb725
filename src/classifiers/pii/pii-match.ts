export const PII_TYPES = [
  'email',
  'phone',
  'payment_card',
  'iban',
  'us_ssn',
  'uk_nino',
  'ip_address',
  'street_address',
  'postcode',
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** A detected item. Offsets are UTF-16 indices into the original text, end exclusive. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
  /**
   * 1 for items that pass a checksum or an unambiguous format (a Luhn-valid card, an IBAN, an
   * e-mail address); lower for patterns that are often something else (a bare digit group
   * that may be a phone number, a postcode on its own).
   */
  confidence: number;
}

/** Placeholders used by `redactPii`. */
export const PII_PLACEHOLDERS: Readonly<Record<PiiType, string>> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  payment_card: '[CARD_NUMBER]',
  iban: '[IBAN]',
  us_ssn: '[SSN]',
  uk_nino: '[NINO]',
  ip_address: '[IP_ADDRESS]',
  street_address: '[ADDRESS]',
  postcode: '[POSTCODE]',
};

export function isPiiType(value: string): value is PiiType {
  return (PII_TYPES as readonly string[]).includes(value);
}
