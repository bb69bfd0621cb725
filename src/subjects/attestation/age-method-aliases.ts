import type { AgeMethod, AssuranceLevel } from '../subject-context.js';

/**
 * Vendor and standards names for verification methods, mapped to ours. Keys are normalised
 * (lowercase, `-`, `.` and spaces as `_`). A name not listed here is not guessed at: the token is
 * refused as `unknown_method`, because mapping an unknown method to anything but "not acceptable"
 * could let a weak check pass as a strong one.
 */
export const AGE_METHOD_ALIASES: Readonly<Record<string, AgeMethod>> = {
  photo_id_match: 'photo_id_match',
  photo_id: 'photo_id_match',
  id_document: 'photo_id_match',
  document: 'photo_id_match',
  document_check: 'photo_id_match',
  id_scan: 'photo_id_match',
  // OpenID Connect for Identity Assurance (draft) identity proofing methods over a document.
  pipp: 'photo_id_match',
  sripp: 'photo_id_match',
  facial_age_estimation: 'facial_age_estimation',
  age_estimation: 'facial_age_estimation',
  face_age_estimation: 'facial_age_estimation',
  facial_estimation: 'facial_age_estimation',
  open_banking: 'open_banking',
  bank_account: 'open_banking',
  bank_check: 'open_banking',
  digital_id_wallet: 'digital_id_wallet',
  digital_id: 'digital_id_wallet',
  eid: 'digital_id_wallet',
  eudi_wallet: 'digital_id_wallet',
  mdl: 'digital_id_wallet',
  mdoc: 'digital_id_wallet',
  wallet: 'digital_id_wallet',
  credit_card: 'credit_card',
  payment_card: 'credit_card',
  card_check: 'credit_card',
  mobile_operator: 'mobile_operator',
  mno: 'mobile_operator',
  mobile_network_operator: 'mobile_operator',
  email_age_estimation: 'email_age_estimation',
  email_estimation: 'email_age_estimation',
  school_or_government_record: 'school_or_government_record',
  government_record: 'school_or_government_record',
  electronic_record: 'school_or_government_record',
  school_record: 'school_or_government_record',
  self_declaration: 'self_declaration',
  self_declared: 'self_declaration',
  self_asserted: 'self_declaration',
  self_attested: 'self_declaration',
  declaration: 'self_declaration',
};

/** Ours, plus eIDAS levels of assurance (low → standard, substantial → enhanced, high → strict). */
export const ASSURANCE_LEVEL_ALIASES: Readonly<Record<string, AssuranceLevel>> = {
  asserted: 'asserted',
  standard: 'standard',
  enhanced: 'enhanced',
  strict: 'strict',
  low: 'standard',
  substantial: 'enhanced',
  high: 'strict',
  eidas_low: 'standard',
  eidas_substantial: 'enhanced',
  eidas_high: 'strict',
  'http://eidas.europa.eu/loa/low': 'standard',
  'http://eidas.europa.eu/loa/substantial': 'enhanced',
  'http://eidas.europa.eu/loa/high': 'strict',
};

function normaliseName(value: string): string {
  return value.trim().toLowerCase().replace(/[\s.-]+/g, '_');
}

export function normaliseAgeMethod(value: unknown): AgeMethod | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const key = normaliseName(value);
  return Object.prototype.hasOwnProperty.call(AGE_METHOD_ALIASES, key) ? AGE_METHOD_ALIASES[key] : undefined;
}

export function normaliseAssuranceLevel(value: unknown): AssuranceLevel | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const lower = value.trim().toLowerCase();
  const key = lower.startsWith('http') ? lower : normaliseName(lower);
  return Object.prototype.hasOwnProperty.call(ASSURANCE_LEVEL_ALIASES, key) ? ASSURANCE_LEVEL_ALIASES[key] : undefined;
}

/** For details shown to operators: vendor strings are cut short and stripped of control characters. */
export function quoteForDetail(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.replace(/[\u0000-\u001f\u007f`]/g, '?').slice(0, 64);
}
