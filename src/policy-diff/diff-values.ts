import { canonicalJson } from '../util/canonical-json.js';

/** Same JSON meaning (key order never counts). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Items of `b` not in `a` and items of `a` not in `b`, compared by JSON meaning. */
export function setDifference<T>(a: readonly T[], b: readonly T[]): { added: T[]; removed: T[] } {
  const keyOf = (v: T): string => canonicalJson(v);
  const inA = new Set(a.map(keyOf));
  const inB = new Set(b.map(keyOf));
  return { added: b.filter((v) => !inA.has(keyOf(v))), removed: a.filter((v) => !inB.has(keyOf(v))) };
}

/** Keys of both records, `a`'s order first, then the keys only `b` has. */
export function unionKeys(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** A bracketed path segment for an id (`rules[block-minors]`). */
export function itemPath(section: string, id: string): string {
  return `${section}[${id}]`;
}
