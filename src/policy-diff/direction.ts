import { assuranceRank } from '../subjects/assurance.js';
import type { AgeMethod, AssuranceLevel } from '../subjects/subject-context.js';
import { compareSemVer, parseSemVer } from '../util/semver.js';
import type { Direction } from './policy-change.js';

/** A minimum (age in years): higher is stricter; none at all is the loosest. */
export function minimumDirection(before: number | undefined, after: number | undefined): Direction | undefined {
  if (before === after) return undefined;
  if (before == null) return 'stricter';
  if (after == null) return 'looser';
  return after > before ? 'stricter' : 'looser';
}

/** A validity limit (days): shorter is stricter; none at all is the loosest. */
export function limitDirection(before: number | undefined, after: number | undefined): Direction | undefined {
  if (before === after) return undefined;
  if (before == null) return 'stricter';
  if (after == null) return 'looser';
  return after < before ? 'stricter' : 'looser';
}

/** An assurance level: higher is stricter; none is read as `implied` (what the engine applies when absent). */
export function levelDirection(before: AssuranceLevel | undefined, after: AssuranceLevel | undefined, implied?: AssuranceLevel): Direction | undefined {
  const b = before ?? implied;
  const a = after ?? implied;
  if (b === a) return undefined;
  if (b == null) return 'stricter';
  if (a == null) return 'looser';
  return assuranceRank(a) > assuranceRank(b) ? 'stricter' : 'looser';
}

/** Accepted methods: absent means any. Fewer accepted is stricter; a swap is neither. */
export function methodsDirection(before: readonly AgeMethod[] | undefined, after: readonly AgeMethod[] | undefined): Direction | undefined {
  if (before == null && after == null) return undefined;
  if (before == null) return 'stricter';
  if (after == null) return 'looser';
  const subset = (x: readonly AgeMethod[], y: readonly AgeMethod[]): boolean => x.every((m) => y.includes(m));
  const aInB = subset(after, before);
  const bInA = subset(before, after);
  if (aInB && bInA) return undefined;
  if (aInB) return 'stricter';
  if (bInA) return 'looser';
  return undefined;
}

/** A minimum version: newer is stricter. */
export function versionDirection(before: string, after: string): Direction | undefined {
  const b = parseSemVer(before);
  const a = parseSemVer(after);
  if (!a || !b) return undefined;
  const c = compareSemVer(a, b);
  return c === 0 ? undefined : c > 0 ? 'stricter' : 'looser';
}

/** One of a closed list of values ordered loosest first (`['monitor', 'enforce']`). */
export function rankDirection<T>(order: readonly T[], before: T, after: T): Direction | undefined {
  const b = order.indexOf(before);
  const a = order.indexOf(after);
  if (a === b || a < 0 || b < 0) return undefined;
  return a > b ? 'stricter' : 'looser';
}
