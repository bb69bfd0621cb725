import type { AgeRequirement, ConsentRequirement, Jurisdiction, Requirements } from './policy-schema.js';
import type { AgeMethod, AssuranceLevel, SubjectContext } from '../subjects/subject-context.js';
import { consentStateAt } from '../subjects/consent/consent-state.js';
import type { SubjectEvidence, UnmetRequirement } from './evaluation-types.js';
import { assuranceRank, effectiveAssurance, strongerLevel } from '../subjects/assurance.js';
import { IMPLIED_AGE_LEVEL, intersectMethods, shorterValidity, strictestConsent, strictestJurisdiction } from './strictest.js';
import { classifyJurisdiction, displayJurisdiction } from '../subjects/jurisdiction.js';
import { compareSemVer, parseSemVer } from '../util/semver.js';

/** The minimum age used when a requirement says "jurisdiction" and the table gives none. */
export const DEFAULT_MINIMUM_AGE = 18;
/** A verification time this far in the future is a bad clock or a forgery, not a valid check. */
const FUTURE_SKEW_MS = 60_000;
const DAY_MS = 86_400_000;

/** Requirements after merging: one concrete value per dimension. */
export interface EffectiveRequirements {
  age?: { minimum: number; level: AssuranceLevel; methods?: AgeMethod[]; maxAgeDays?: number };
  consent: ConsentRequirement[];
}

/** Why the subject's jurisdiction could not pick a row: not a region code, or no region ISO 3166 knows. */
export type UnresolvedJurisdiction = 'malformed' | 'unknown';

export interface JurisdictionRow {
  code: string;
  /** The table key that applied: the exact code, its country, `*`, or `strictest` (every row combined). */
  row: string;
  rule: Jurisdiction | undefined;
  /** Set when the subject's jurisdiction could not be used, and what was applied instead. */
  unresolved?: { reason: UnresolvedJurisdiction; applied: 'strictest' | 'default-row'; rows: string[]; from?: string };
}

export interface LookupJurisdictionOptions {
  /** `defaults.unknownJurisdiction` (default `strictest`). */
  unknown?: 'strictest' | 'default-row';
  /** Where a value was given but rejected upstream (the subject resolver's `jurisdictionRejected`). */
  rejected?: string | undefined;
}

/**
 * Exact code (`US-UT`), then its country (`US`), then `*` for any other region ISO 3166 knows
 * (`FR`). A well-formed code the table names is used even if ISO does not know it (an `XX` row).
 * A jurisdiction that is malformed (`KR-`, `US-UT, US-CA`, `KR` with a zero-width space), was
 * rejected by the subject resolver, or is no region at all gets the strictest combination of every
 * row by default — an unreadable region must never be a way around a stricter row — or the `*` row
 * under `default-row`. No jurisdiction at all gets the `*` row.
 */
export function lookupJurisdiction(
  table: Readonly<Record<string, Jurisdiction>> | undefined,
  code: string | undefined,
  options: LookupJurisdictionOptions = {},
): JurisdictionRow {
  const c = classifyJurisdiction(code);
  if (c.kind === 'code' || c.kind === 'unassigned') {
    const candidates = c.kind === 'code' ? [c.code, c.code.split('-')[0] ?? c.code] : [c.code];
    for (const key of candidates) {
      const rule = table?.[key];
      if (rule) return { code: c.code, row: key, rule };
    }
    if (c.kind === 'code') return { code: c.code, row: '*', rule: table?.['*'] };
  }
  // No jurisdiction at all is the integration's choice, not something a request can forge from
  // a stricter region: the policy's `*` row.
  if (c.kind === 'missing' && options.rejected == null) return { code: 'unknown', row: '*', rule: table?.['*'] };
  const reason: UnresolvedJurisdiction = c.kind === 'unassigned' ? 'unknown' : 'malformed';
  const shown = c.kind === 'unassigned' ? c.code : c.kind === 'malformed' ? displayJurisdiction(code) : 'unknown';
  const rows = Object.keys(table ?? {}).sort();
  const unresolved: NonNullable<JurisdictionRow['unresolved']> = { reason, applied: options.unknown ?? 'strictest', rows };
  if (options.rejected != null) unresolved.from = options.rejected;
  if (unresolved.applied === 'default-row') return { code: shown, row: '*', rule: table?.['*'], unresolved: { ...unresolved, rows: table?.['*'] ? ['*'] : [] } };
  return { code: shown, row: 'strictest', rule: strictestRow(table), unresolved };
}

/** Every row at once: highest minimum age and level, the methods all rows accept, shortest validity, every denied target. */
export function strictestRow(table: Readonly<Record<string, Jurisdiction>> | undefined): Jurisdiction | undefined {
  const rows = Object.values(table ?? {});
  return rows.length === 0 ? undefined : strictestJurisdiction(rows);
}

/**
 * Merges the requirements of a target and of every matching rule that routes to it, together with
 * the jurisdiction row and the policy's age floor: the strictest value of each dimension wins
 * (highest age and level, intersection of methods, shortest validity, union of consent scopes
 * with the highest version). Without an explicit level an age requirement needs `standard`, so a
 * self-declaration never meets one unless the policy says `asserted` outright.
 */
export function mergeRequirements(
  parts: readonly (Requirements | undefined)[],
  jurisdiction: Jurisdiction | undefined,
  ageFloor: number | undefined,
): EffectiveRequirements {
  const ages = parts.map((p) => p?.age).filter((a): a is AgeRequirement => a != null);
  const consent = strictestConsent(parts.flatMap((p) => p?.consent ?? []));
  if (ages.length === 0) return { consent };

  let minimum = Math.max(ageFloor ?? 0, jurisdiction?.minimumAge ?? 0);
  let level: AssuranceLevel | undefined = jurisdiction?.level;
  let methods: AgeMethod[] | undefined = jurisdiction?.methods ? [...jurisdiction.methods] : undefined;
  let maxAgeDays = jurisdiction?.maxAgeDays;
  for (const a of ages) {
    const m = a.minimum === 'jurisdiction' ? (jurisdiction?.minimumAge ?? DEFAULT_MINIMUM_AGE) : a.minimum;
    minimum = Math.max(minimum, m);
    // A requirement without a level means `standard`: an explicit lower level elsewhere (a rule,
    // a jurisdiction row saying `asserted`) can never lower it.
    level = strongerLevel(level, a.level ?? IMPLIED_AGE_LEVEL);
    methods = intersectMethods(methods, a.methods);
    maxAgeDays = shorterValidity(maxAgeDays, a.maxAgeDays);
  }
  const age: NonNullable<EffectiveRequirements['age']> = { minimum, level: level ?? IMPLIED_AGE_LEVEL };
  if (methods) age.methods = methods;
  if (maxAgeDays != null) age.maxAgeDays = maxAgeDays;
  return { age, consent };
}


/**
 * Checks effective requirements against a subject as of `now`. Every unmet dimension is reported,
 * not just the first, so an app can tell the person everything they need to do at once.
 */
export function checkRequirements(
  target: string,
  req: EffectiveRequirements,
  subject: SubjectContext | undefined,
  jurisdiction: JurisdictionRow,
  now: number,
): UnmetRequirement[] {
  const unmet: UnmetRequirement[] = [];
  if (jurisdiction.rule?.deny?.includes(target)) {
    const u = jurisdiction.unresolved;
    unmet.push({
      code: 'jurisdiction_restricted',
      target,
      detail:
        u != null
          ? `the subject's jurisdiction is ${describeUnresolved(jurisdiction)}, so the strictest jurisdiction row applies, and \`${target}\` is not offered in every region; pass an ISO 3166 code such as \`GB\` or \`US-UT\``
          : `target \`${target}\` is not available in \`${jurisdiction.code}\` (jurisdiction row \`${jurisdiction.row}\`)`,
    });
  }
  if (req.age) checkAge(target, req.age, subject, now, unmet);
  for (const c of req.consent) checkConsent(target, c, subject, now, unmet);
  return unmet;
}

function checkAge(
  target: string,
  req: NonNullable<EffectiveRequirements['age']>,
  subject: SubjectContext | undefined,
  now: number,
  unmet: UnmetRequirement[],
): void {
  const age = subject?.age;
  if (!age) {
    const rejected = subject?.rejectedAttestations?.[0];
    if (rejected) {
      unmet.push({
        code: rejected.reason === 'expired' ? 'age_verification_expired' : 'age_verification_invalid',
        target,
        detail: `the age attestation was rejected: ${rejected.reason}${rejected.issuer ? ` (issuer \`${rejected.issuer}\`)` : ''}`,
      });
    } else {
      unmet.push({ code: 'age_verification_required', target, detail: `target \`${target}\` needs a verified age of ${req.minimum}+` });
    }
    return;
  }
  const verifiedAt = Date.parse(age.verifiedAt);
  if (!Number.isFinite(verifiedAt) || verifiedAt > now + FUTURE_SKEW_MS) {
    unmet.push({
      code: 'age_verification_invalid',
      target,
      detail: `the verification time \`${age.verifiedAt}\` is ${Number.isFinite(verifiedAt) ? 'in the future' : 'not a valid time'}`,
    });
    return;
  }
  if (age.expiresAt != null) {
    const exp = Date.parse(age.expiresAt);
    if (!Number.isFinite(exp) || exp <= now) {
      unmet.push({ code: 'age_verification_expired', target, detail: `the age verification expired at \`${age.expiresAt}\`` });
    }
  }
  if (req.maxAgeDays != null && now - verifiedAt > req.maxAgeDays * DAY_MS) {
    const days = Math.floor((now - verifiedAt) / DAY_MS);
    unmet.push({
      code: 'age_verification_expired',
      target,
      detail: `the age was verified ${days} days ago; at most ${req.maxAgeDays} days are accepted`,
    });
  }
  if (!(age.over >= req.minimum)) {
    unmet.push({ code: 'age_below_minimum', target, detail: `verified age ${age.over}+ is below the minimum ${req.minimum}` });
  }
  const level = effectiveAssurance(age);
  if (assuranceRank(level) < assuranceRank(req.level)) {
    unmet.push({
      code: 'age_assurance_insufficient',
      target,
      detail:
        age.method === 'self_declaration'
          ? `a self-declared age only counts as \`asserted\`; \`${req.level}\` or above is required`
          : `assurance \`${level}\` is below the required \`${req.level}\``,
    });
  }
  if (req.methods && !req.methods.includes(age.method)) {
    unmet.push({
      code: 'age_method_not_accepted',
      target,
      detail: `method \`${age.method}\` is not accepted; accepted: ${req.methods.map((m) => `\`${m}\``).join(', ')}`,
    });
  }
}

function checkConsent(target: string, req: ConsentRequirement, subject: SubjectContext | undefined, now: number, unmet: UnmetRequirement[]): void {
  const status = consentStateAt(subject?.consents ?? [], req.scope, new Date(now));
  const { state } = status;
  const scope = req.scope;
  switch (state) {
    case 'none':
      unmet.push({ code: 'consent_required', target, scope, detail: `consent to \`${scope}\` ${req.minVersion}+ is required` });
      return;
    case 'withdrawn':
      unmet.push({ code: 'consent_withdrawn', target, scope, detail: `consent to \`${scope}\` was withdrawn at ${status.since ?? 'an unknown time'}` });
      return;
    case 'expired':
      unmet.push({ code: 'consent_expired', target, scope, detail: `consent to \`${scope}\` expired` });
      return;
    default: {
      const have = status.version != null ? parseSemVer(status.version) : undefined;
      const need = parseSemVer(req.minVersion);
      if (!have || !need || compareSemVer(have, need) < 0) {
        unmet.push({
          code: 'consent_outdated',
          target,
          scope,
          detail: `consent to \`${scope}\` was given for version ${status.version ?? '?'}; ${req.minVersion} or later is required${
            have && need && have.major < need.major ? ' (a new major version needs fresh consent)' : ''
          }`,
        });
      }
    }
  }
}

function describeUnresolved(j: JurisdictionRow): string {
  if (j.unresolved?.reason === 'unknown') return `\`${j.code}\`, which is not an ISO 3166 region`;
  const from = j.unresolved?.from != null ? ` (from ${j.unresolved.from})` : '';
  return j.code === 'unknown' ? `not a region code${from}` : `not a region code (\`${j.code}\`)${from}`;
}

/** The evidence of age and consent the decision used, for the audit record. */
export function subjectEvidence(
  subject: SubjectContext | undefined,
  jurisdiction: JurisdictionRow,
  consentScopes: readonly string[],
  now: number,
): SubjectEvidence {
  const evidence: SubjectEvidence = {
    jurisdiction: {
      code: jurisdiction.code,
      row: jurisdiction.row,
      source: subject?.jurisdiction != null && jurisdiction.unresolved == null ? (subject.jurisdictionSource ?? 'declared') : 'unknown',
    },
    consents: [],
  };
  if (jurisdiction.unresolved) evidence.jurisdiction.unresolved = { ...jurisdiction.unresolved, rows: [...jurisdiction.unresolved.rows] };
  const age = subject?.age;
  if (age) {
    evidence.age = { over: age.over, method: age.method, level: age.level, verifiedAt: age.verifiedAt };
    if (age.issuer != null) evidence.age.issuer = age.issuer;
    if (age.attestationId != null) evidence.age.attestationId = age.attestationId;
  }
  for (const scope of consentScopes) {
    const status = consentStateAt(subject?.consents ?? [], scope, new Date(now));
    const c: SubjectEvidence['consents'][number] = { scope, version: status.version ?? '', state: status.state };
    if (status.since != null) c.at = status.since;
    if (status.recordId != null) c.recordId = status.recordId;
    evidence.consents.push(c);
  }
  return evidence;
}
