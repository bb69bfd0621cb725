import type { AgeMethod, AssuranceLevel } from '../subject-context.js';
import { normaliseAgeMethod, normaliseAssuranceLevel, quoteForDetail } from './age-method-aliases.js';

export interface NormalisedAgeClaims {
  /** Highest age-over threshold attested true; 0 when the token only says the subject is under its thresholds. */
  over: number;
  method: AgeMethod;
  level: AssuranceLevel;
  verifiedAtMs: number;
  trustFramework?: string;
}

export type AgeClaimsResult =
  | { ok: true; value: NormalisedAgeClaims }
  | { ok: false; reason: 'missing_claims' | 'unknown_method' | 'malformed' | 'conflicting_claims'; detail: string };

const OVER = /^(?:age|is)_over_(\d{1,3})$/;
const UNDER = /^age_under_(\d{1,3})$/;
const THRESHOLD = /^\d{1,3}$/;
const MAX_AGE = 150;
const DAY_MS = 86_400_000;
/** 9999-12-31T23:59:59Z: later "dates" are garbage, and `new Date()` cannot represent much more. */
export const MAX_NUMERIC_DATE = 253_402_300_799;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v != null && !Array.isArray(v);
}

/** NumericDate (seconds) or an ISO 8601 date-time string, as milliseconds; undefined if neither. */
export function readTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE ? value * 1000 : undefined;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) && ms >= 0 && ms <= MAX_NUMERIC_DATE * 1000 ? ms : undefined;
  }
  return undefined;
}

/**
 * One statement about the subject's age, reduced to what it says about the date of birth. A
 * birthdate is a range of days (one day, or a whole year when only the year is given); "over N"
 * and "in years" are statements made when the token was issued.
 */
type Signal =
  | { kind: 'over'; n: number; value: boolean; claim: string }
  | { kind: 'born'; from: number; to: number; claim: string }
  | { kind: 'years'; n: number; claim: string };

/** Day number (days since 1970-01-01 UTC) of a calendar date, or undefined if there is no such day. */
function dayOf(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (year < 0 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return Math.floor(ms / DAY_MS);
}

/**
 * The last day someone can have been born on to be at least `years` old at `atMs`: the same
 * month and day `years` earlier, or the last day of that month (29 February in a common year).
 */
function latestBirthForAge(atMs: number, years: number): number {
  const at = new Date(atMs);
  const y = at.getUTCFullYear() - years;
  const m = at.getUTCMonth() + 1;
  for (let d = at.getUTCDate(); d >= 28; d--) {
    const day = dayOf(y, m, d);
    if (day != null) return day;
  }
  return dayOf(y, m, Math.min(at.getUTCDate(), 28)) ?? 0;
}

/** Completed years at `atMs` of someone born on `birthDay`. */
function ageOn(birthDay: number, atMs: number): number {
  const birth = new Date(birthDay * DAY_MS);
  const at = new Date(atMs);
  const bm = birth.getUTCMonth();
  const bd = birth.getUTCDate();
  const am = at.getUTCMonth();
  const ad = at.getUTCDate();
  return at.getUTCFullYear() - birth.getUTCFullYear() - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** Spellings of age claims saferoute does not read: refused, so that no age statement is silently ignored. */
function looksLikeAgeClaim(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return /^(is|age)?(over|under|equalorover|atleast)\d+$/.test(k) || ['birthdate', 'dateofbirth', 'dob', 'ageinyears', 'agebirthyear', 'equalorover'].includes(k);
}

const READ_KEYS = new Set(['birthdate', 'age_in_years', 'age_birth_year', 'age_equal_or_over']);

function collectSignals(obj: Obj, into: Signal[], where: string): string | undefined {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const claim = `${where}${key}`;
    const over = OVER.exec(key) ?? UNDER.exec(key);
    if (over != null) {
      const n = Number(over[1]);
      if (typeof v !== 'boolean') return `\`${claim}\` must be true or false`;
      if (n < 1 || n > MAX_AGE) return `\`${claim}\` is not a plausible age`;
      // `age_under_N: true` says the subject is not yet N.
      into.push({ kind: 'over', n, value: key.startsWith('age_under_') ? !v : v, claim });
      continue;
    }
    if (READ_KEYS.has(key)) continue;
    if (looksLikeAgeClaim(key)) return `\`${quoteForDetail(claim)}\` is not an age claim saferoute reads (\`age_over_NN\`, \`age_under_NN\`, \`age_equal_or_over\`, \`age_in_years\`, \`birthdate\`)`;
  }
  const eoo = obj.age_equal_or_over;
  if (eoo !== undefined) {
    if (!isObject(eoo)) return `\`${where}age_equal_or_over\` must be an object`;
    for (const [k, v] of Object.entries(eoo)) {
      if (!THRESHOLD.test(k) || Number(k) < 1 || Number(k) > MAX_AGE) return `\`${where}age_equal_or_over\` has a bad threshold \`${quoteForDetail(k)}\``;
      if (typeof v !== 'boolean') return `\`${where}age_equal_or_over.${k}\` must be true or false`;
      into.push({ kind: 'over', n: Number(k), value: v, claim: `${where}age_equal_or_over.${k}` });
    }
  }
  if (obj.birthdate !== undefined) {
    const b = obj.birthdate;
    const m = typeof b === 'string' ? /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(b) : null;
    if (m == null) return `\`${where}birthdate\` is not a valid date`;
    // OpenID: year 0000 means the year is withheld; such a birthdate says nothing about age.
    if (m[1] !== '0000') {
      const y = Number(m[1]);
      const from = m[2] != null ? dayOf(y, Number(m[2]), Number(m[3])) : dayOf(y, 1, 1);
      const to = m[2] != null ? from : dayOf(y, 12, 31);
      if (from == null || to == null) return `\`${where}birthdate\` is not a valid date`;
      into.push({ kind: 'born', from, to, claim: `${where}birthdate` });
    } else if (m[2] == null || dayOf(2000, Number(m[2]), Number(m[3])) == null) {
      return `\`${where}birthdate\` is not a valid date`;
    }
  }
  if (obj.age_birth_year !== undefined) {
    const y = obj.age_birth_year;
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 1000 || y > 9999) return `\`${where}age_birth_year\` is not a year`;
    into.push({ kind: 'born', from: dayOf(y, 1, 1) as number, to: dayOf(y, 12, 31) as number, claim: `${where}age_birth_year` });
  }
  if (obj.age_in_years !== undefined) {
    const n = obj.age_in_years;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_AGE) return `\`${where}age_in_years\` is not a plausible age`;
    into.push({ kind: 'years', n, claim: `${where}age_in_years` });
  }
  return undefined;
}

interface Bound {
  day: number;
  claim: string;
}

/**
 * Every signal narrows the range of possible birth dates; if nothing is left, the token says
 * two things that cannot both be true. Statements made at issuance are read as loosely as the
 * token allows (a "not over N" as of the earliest time it can have been made, an "over N" as of
 * the latest), so only certain contradictions are refused. Never puts a date in a message.
 */
function birthRange(signals: readonly Signal[], earliestMs: number, latestMs: number): { from?: Bound; to?: Bound; conflict?: string } {
  let from: Bound | undefined;
  let to: Bound | undefined;
  const atLeast = (day: number, claim: string): void => {
    if (from == null || day > from.day) from = { day, claim };
  };
  const atMost = (day: number, claim: string): void => {
    if (to == null || day < to.day) to = { day, claim };
  };
  for (const s of signals) {
    if (s.kind === 'born') {
      atLeast(s.from, s.claim);
      atMost(s.to, s.claim);
    } else if (s.kind === 'over') {
      if (s.value) atMost(latestBirthForAge(latestMs, s.n), s.claim);
      else atLeast(latestBirthForAge(earliestMs, s.n) + 1, s.claim);
    } else {
      atMost(latestBirthForAge(latestMs, s.n), s.claim);
      atLeast(latestBirthForAge(earliestMs, s.n + 1) + 1, s.claim);
    }
    if (from != null && to != null && from.day > to.day) {
      const [a, b] = from.claim === to.claim ? [from.claim, from.claim] : [to.claim, from.claim];
      return { conflict: a === b ? `\`${a}\` contradicts itself` : `\`${describe(signals, a)}\` contradicts \`${describe(signals, b)}\`` };
    }
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function describe(signals: readonly Signal[], claim: string): string {
  const s = signals.find((x) => x.claim === claim);
  return s?.kind === 'over' && !claim.startsWith('age_under_') && !claim.includes('.age_under_') ? `${claim}: ${String(s.value)}` : claim;
}

/**
 * Maps an attestation's claims to normalised age evidence. Accepted shapes:
 * - flat: `age_over_NN: true|false` (or `is_over_NN`), `age_under_NN`, `age_equal_or_over:
 *   { "NN": true }`, `age_in_years`, `age_birth_year`, `birthdate`, with `age_method`,
 *   `age_assurance_level` (or `assurance_level`) and `age_verified_at` (NumericDate or ISO string);
 * - OpenID Connect for Identity Assurance: `verified_claims` (object or array) with `claims`
 *   holding any of the age claims above, and `verification` holding `trust_framework`,
 *   `assurance_level`, `time` and `evidence[0].method` (or `.type`) — the `verification` of the
 *   first entry with age claims is used. Flat claims take precedence over `verification` for
 *   method, level and time.
 * Every age claim of the token, in every entry, must agree: a contradiction (`age_over_18: true`
 * with a birthdate of twelve years ago, `age_over_18: true` with `age_over_16: false`, two
 * entries giving different birthdates) is `conflicting_claims`. An age claim spelt in a way
 * saferoute does not read is `malformed` rather than ignored. A birthdate gives the age at the
 * decision time `atMs`, and is never copied anywhere. A missing level means `asserted`;
 * self-declaration is always `asserted`, whatever the token says.
 */
export function normaliseAgeClaims(payload: Obj, iatMs: number | undefined, atMs: number = Date.now()): AgeClaimsResult {
  const signals: Signal[] = [];
  const flatError = collectSignals(payload, signals, '');
  if (flatError != null) return { ok: false, reason: 'malformed', detail: flatError };

  let verification: Obj | undefined;
  const vc = payload.verified_claims;
  if (vc !== undefined) {
    const entries = Array.isArray(vc) ? vc : [vc];
    let found = false;
    for (const [i, entry] of entries.entries()) {
      if (!isObject(entry) || !isObject(entry.claims)) return { ok: false, reason: 'malformed', detail: '`verified_claims` entries need a `claims` object' };
      const before = signals.length;
      const where = Array.isArray(vc) ? `verified_claims[${i}].claims.` : 'verified_claims.claims.';
      const err = collectSignals(entry.claims, signals, where);
      if (err != null) return { ok: false, reason: 'malformed', detail: err };
      if (entry.verification !== undefined && !isObject(entry.verification)) {
        return { ok: false, reason: 'malformed', detail: '`verified_claims.verification` must be an object' };
      }
      // Every entry is read for age claims, so that a second one cannot say otherwise unseen.
      if (!found && signals.length > before) {
        verification = entry.verification as Obj | undefined;
        found = true;
      }
    }
  }

  const evidence = Array.isArray(verification?.evidence) ? (verification.evidence as unknown[])[0] : undefined;
  const evidenceMethod = isObject(evidence) ? (evidence.method ?? evidence.type) : undefined;
  const rawMethod = payload.age_method ?? evidenceMethod;
  if (rawMethod === undefined) return { ok: false, reason: 'missing_claims', detail: 'no verification method (`age_method` or `verified_claims.verification.evidence`)' };
  const method = normaliseAgeMethod(rawMethod);
  if (method == null) return { ok: false, reason: 'unknown_method', detail: `verification method \`${quoteForDetail(rawMethod)}\` is not one saferoute knows` };

  const rawLevel = payload.age_assurance_level ?? payload.assurance_level ?? verification?.assurance_level;
  let level: AssuranceLevel = 'asserted';
  if (rawLevel !== undefined) {
    const mapped = normaliseAssuranceLevel(rawLevel);
    if (mapped == null) return { ok: false, reason: 'missing_claims', detail: `assurance level \`${quoteForDetail(rawLevel)}\` is not recognised` };
    level = mapped;
  }
  if (method === 'self_declaration') level = 'asserted';

  const rawTime = payload.age_verified_at ?? verification?.time;
  let verifiedAtMs: number | undefined;
  if (rawTime !== undefined) {
    verifiedAtMs = readTime(rawTime);
    if (verifiedAtMs == null) return { ok: false, reason: 'malformed', detail: 'the verification time is not a valid date' };
  } else {
    verifiedAtMs = iatMs;
  }
  if (verifiedAtMs == null) return { ok: false, reason: 'missing_claims', detail: 'no verification time (`age_verified_at`, `verified_claims.verification.time` or `iat`)' };

  if (signals.length === 0) {
    return { ok: false, reason: 'missing_claims', detail: 'no age claim (`age_over_NN`, `age_equal_or_over`, `age_in_years`, `birthdate` or `verified_claims`)' };
  }
  // "Over N" statements were made when the token was issued (its `iat`), at the latest; the
  // verification itself may be older.
  const issuedMs = iatMs ?? verifiedAtMs;
  const range = birthRange(signals, Math.min(verifiedAtMs, issuedMs), Math.max(verifiedAtMs, issuedMs));
  if (range.conflict != null) return { ok: false, reason: 'conflicting_claims', detail: `conflicting age claims: ${range.conflict}` };

  let over = 0;
  for (const s of signals) if (s.kind === 'over' && s.value && s.n > over) over = s.n;
  if (signals.some((s) => s.kind !== 'over') && range.to != null) {
    // A birthdate (or an age in years) dates the birth: the age is the one reached at decision
    // time, counted from the latest birth date the claims allow.
    const age = ageOn(range.to.day, atMs);
    if (age < 0 || range.to.day * DAY_MS > Math.max(atMs, issuedMs)) return { ok: false, reason: 'malformed', detail: 'the birthdate lies in the future' };
    if (age > MAX_AGE) return { ok: false, reason: 'malformed', detail: 'the birthdate is not plausible' };
    if (age > over) over = age;
  }

  const value: NormalisedAgeClaims = { over, method, level, verifiedAtMs };
  const tf = verification?.trust_framework;
  if (typeof tf === 'string') value.trustFramework = tf.slice(0, 100);
  return { ok: true, value };
}
