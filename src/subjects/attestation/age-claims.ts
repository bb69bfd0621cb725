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
  | { ok: false; reason: 'missing_claims' | 'unknown_method' | 'malformed'; detail: string };

const AGE_OVER = /^age_over_(\d{1,3})$/;
const THRESHOLD = /^\d{1,3}$/;
const MAX_AGE = 150;
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

/** Completed years at `atMs`; a year-only birthdate is taken as 31 December (the youngest it can mean). */
function ageFromBirthdate(value: unknown, atMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(value);
  if (m == null) return undefined;
  const by = Number(m[1]);
  const bm = m[2] != null ? Number(m[2]) : 12;
  const bd = m[3] != null ? Number(m[3]) : 31;
  if (bm < 1 || bm > 12 || bd < 1 || bd > 31) return undefined;
  const at = new Date(atMs);
  const vm = at.getUTCMonth() + 1;
  const vd = at.getUTCDate();
  const age = at.getUTCFullYear() - by - (vm < bm || (vm === bm && vd < bd) ? 1 : 0);
  return age >= 0 && age <= MAX_AGE ? age : undefined;
}

interface Collected {
  trueOver: number[];
  falseOver: number[];
  birthdates: unknown[];
}

function collectFlags(obj: Obj, into: Collected, where: string): string | undefined {
  for (const key of Object.keys(obj)) {
    const m = AGE_OVER.exec(key);
    if (m != null) {
      const n = Number(m[1]);
      const v = obj[key];
      if (typeof v !== 'boolean') return `\`${where}${key}\` must be true or false`;
      if (n < 1 || n > MAX_AGE) return `\`${where}${key}\` is not a plausible age`;
      (v ? into.trueOver : into.falseOver).push(n);
    }
  }
  const eoo = obj.age_equal_or_over;
  if (eoo !== undefined) {
    if (!isObject(eoo)) return `\`${where}age_equal_or_over\` must be an object`;
    for (const [k, v] of Object.entries(eoo)) {
      if (!THRESHOLD.test(k) || Number(k) < 1 || Number(k) > MAX_AGE) return `\`${where}age_equal_or_over\` has a bad threshold \`${quoteForDetail(k)}\``;
      if (typeof v !== 'boolean') return `\`${where}age_equal_or_over.${k}\` must be true or false`;
      (v ? into.trueOver : into.falseOver).push(Number(k));
    }
  }
  if (obj.birthdate !== undefined) into.birthdates.push(obj.birthdate);
  return undefined;
}

/**
 * Maps an attestation's claims to normalised age evidence. Accepted shapes:
 * - flat: `age_over_NN: true|false`, `age_equal_or_over: { "NN": true }`, with `age_method`,
 *   `age_assurance_level` (or `assurance_level`) and `age_verified_at` (NumericDate or ISO string);
 * - OpenID Connect for Identity Assurance: `verified_claims` (object or array; the first entry with
 *   age claims is used) with `claims` holding `age_over_NN`, `age_equal_or_over` or `birthdate`, and
 *   `verification` holding `trust_framework`, `assurance_level`, `time` and `evidence[0].method`
 *   (or `.type`). Flat claims take precedence over `verification` for method, level and time.
 * A birthdate is turned into completed years at the verification time and never copied anywhere.
 * A missing level means `asserted`; self-declaration is always `asserted`, whatever the token says.
 */
export function normaliseAgeClaims(payload: Obj, iatMs: number | undefined): AgeClaimsResult {
  const collected: Collected = { trueOver: [], falseOver: [], birthdates: [] };
  const flatError = collectFlags(payload, collected, '');
  if (flatError != null) return { ok: false, reason: 'malformed', detail: flatError };

  let verification: Obj | undefined;
  const vc = payload.verified_claims;
  if (vc !== undefined) {
    const entries = Array.isArray(vc) ? vc : [vc];
    for (const entry of entries) {
      if (!isObject(entry) || !isObject(entry.claims)) return { ok: false, reason: 'malformed', detail: '`verified_claims` entries need a `claims` object' };
      const before = collected.trueOver.length + collected.falseOver.length + collected.birthdates.length;
      const err = collectFlags(entry.claims, collected, 'verified_claims.claims.');
      if (err != null) return { ok: false, reason: 'malformed', detail: err };
      const after = collected.trueOver.length + collected.falseOver.length + collected.birthdates.length;
      if (after > before) {
        if (entry.verification !== undefined && !isObject(entry.verification)) {
          return { ok: false, reason: 'malformed', detail: '`verified_claims.verification` must be an object' };
        }
        verification = entry.verification as Obj | undefined;
        break;
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

  for (const b of collected.birthdates) {
    const age = ageFromBirthdate(b, verifiedAtMs);
    if (age == null) return { ok: false, reason: 'malformed', detail: '`birthdate` is not a valid date' };
    collected.trueOver.push(age);
  }
  if (collected.trueOver.length === 0 && collected.falseOver.length === 0) {
    return { ok: false, reason: 'missing_claims', detail: 'no age claim (`age_over_NN`, `age_equal_or_over` or `verified_claims`)' };
  }
  const over = collected.trueOver.length > 0 ? Math.max(...collected.trueOver) : 0;
  const lowestFalse = collected.falseOver.length > 0 ? Math.min(...collected.falseOver) : Infinity;
  if (lowestFalse <= over) return { ok: false, reason: 'malformed', detail: `conflicting age claims: over ${over} and not over ${lowestFalse}` };

  const value: NormalisedAgeClaims = { over, method, level, verifiedAtMs };
  const tf = verification?.trust_framework;
  if (typeof tf === 'string') value.trustFramework = tf.slice(0, 100);
  return { ok: true, value };
}
