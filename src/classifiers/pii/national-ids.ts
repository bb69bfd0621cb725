/**
 * US Social Security number structure (SSA rules, valid before and after 2011 randomisation):
 * area not 000, 666 or 900-999; group not 00; serial not 0000.
 */
export function isValidUsSsn(area: string, group: string, serial: string): boolean {
  if (!/^\d{3}$/.test(area) || !/^\d{2}$/.test(group) || !/^\d{4}$/.test(serial)) return false;
  if (area === '000' || area === '666' || area[0] === '9') return false;
  return group !== '00' && serial !== '0000';
}

const NINO_FIRST = /^[A-CEGHJ-PR-TW-Z]$/;
const NINO_SECOND = /^[A-CEGHJ-NPR-TW-Z]$/;
const NINO_FORBIDDEN_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * UK National Insurance number (HMRC rules): two prefix letters (D, F, I, Q, U, V never; O not
 * second; BG, GB, KN, NK, NT, TN, ZZ never), six digits, suffix A-D. Spaces are ignored.
 */
export function isValidUkNino(value: string): boolean {
  const v = value.replace(/ /g, '').toUpperCase();
  const m = /^([A-Z])([A-Z])(\d{6})([A-D])$/.exec(v);
  if (!m) return false;
  const [, first, second] = m as unknown as [string, string, string];
  return NINO_FIRST.test(first) && NINO_SECOND.test(second) && !NINO_FORBIDDEN_PREFIXES.has(first + second);
}
