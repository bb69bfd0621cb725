import { strongerLevel } from '../subjects/assurance.js';
import type { AgeMethod, AssuranceLevel } from '../subjects/subject-context.js';
import { compareSemVer } from '../util/semver.js';
import type { ConsentRequirement, Jurisdiction } from './policy-schema.js';

/**
 * "Strictest wins", once, for everything that combines requirements: evaluation (a target, the
 * rules routing to it, the jurisdiction row, the age floor) and `extends` (a base and a product).
 * Each function takes the values of one dimension and returns the strictest; absent means "no
 * constraint", so it never wins over a present value.
 */

/** An age requirement without a level needs this: an explicit lower level elsewhere can never lower it. */
export const IMPLIED_AGE_LEVEL: AssuranceLevel = 'standard';

export { strongerLevel };

/** The higher minimum age. */
export function higherMinimum(a: number | undefined, b: number | undefined): number | undefined {
  if (a == null) return b;
  if (b == null) return a;
  return Math.max(a, b);
}

/** The methods both accept (an absent list accepts every method). */
export function intersectMethods(a: readonly AgeMethod[] | undefined, b: readonly AgeMethod[] | undefined): AgeMethod[] | undefined {
  if (!a) return b ? [...b] : undefined;
  if (!b) return [...a];
  return b.filter((m) => a.includes(m));
}

/** The shorter validity in days. */
export function shorterValidity(a: number | undefined, b: number | undefined): number | undefined {
  if (a == null) return b;
  if (b == null) return a;
  return Math.min(a, b);
}

/** Whether consent version `a` is newer than `than` (a newer minimum is stricter). */
export function isNewerVersion(a: string, than: string): boolean {
  return compareSemVer(a, than) > 0 && compareSemVer(than, '0.0.0') >= 0;
}

/** One requirement per scope, the highest `minVersion` of each, sorted by scope. */
export function strictestConsent(all: readonly ConsentRequirement[]): ConsentRequirement[] {
  const byScope = new Map<string, ConsentRequirement>();
  for (const c of all) {
    const prev = byScope.get(c.scope);
    if (!prev || isNewerVersion(c.minVersion, prev.minVersion)) byScope.set(c.scope, c);
  }
  return [...byScope.values()].sort((x, y) => (x.scope < y.scope ? -1 : x.scope > y.scope ? 1 : 0));
}

/** Several jurisdiction rows as one: highest minimum age and level, the methods all accept, shortest validity, every denied target. */
export function strictestJurisdiction(rows: readonly (Jurisdiction | undefined)[]): Jurisdiction {
  const out: Jurisdiction = {};
  const deny = new Set<string>();
  let first = true;
  for (const r of rows) {
    if (!r) continue;
    const minimumAge = higherMinimum(out.minimumAge, r.minimumAge);
    if (minimumAge != null) out.minimumAge = minimumAge;
    const level = strongerLevel(out.level, r.level);
    if (level != null) out.level = level;
    const methods = first ? (r.methods ? [...r.methods] : undefined) : intersectMethods(out.methods, r.methods);
    if (methods) out.methods = methods;
    const maxAgeDays = shorterValidity(out.maxAgeDays, r.maxAgeDays);
    if (maxAgeDays != null) out.maxAgeDays = maxAgeDays;
    for (const t of r.deny ?? []) deny.add(t);
    first = false;
  }
  if (deny.size > 0) out.deny = [...deny].sort();
  return out;
}
