import type { Condition } from '../policy/policy-schema.js';
import { sameValue, setDifference } from './diff-values.js';

const COMPARISONS = ['gte', 'gt', 'lte', 'lt'] as const;
type Comparison = (typeof COMPARISONS)[number];

/** A numeric comparison of a condition that moved, the rest of the condition unchanged. */
export interface ThresholdMove {
  /** Path inside the condition, e.g. `when.all[0].gte`. */
  path: string;
  /** `sexual gte`, `subject.ageOver gte`, `request.metadata.tier lte`. */
  label: string;
  before: number;
  after: number;
  /** The condition now holds for more requests (`broader`) or fewer (`narrower`). */
  match: 'broader' | 'narrower';
}

export type ConditionDiff =
  | { kind: 'same' }
  | { kind: 'thresholds'; moves: ThresholdMove[] }
  /** The structure changed; `match` when one side plainly contains the other (a branch added to `any`). */
  | { kind: 'rewritten'; match?: 'broader' | 'narrower' };

/**
 * Compares two rule conditions. When only numbers of comparisons differ, each move is reported
 * with the way it takes the condition: lowering a `gte` (or raising an `lte`) makes it hold more
 * often, and under an odd number of `not`s the other way round.
 */
export function diffCondition(before: Condition, after: Condition, root = 'when'): ConditionDiff {
  if (sameValue(before, after)) return { kind: 'same' };
  const moves: ThresholdMove[] = [];
  if (walk(before, after, root, false, moves)) return { kind: 'thresholds', moves };
  const match = containment(before, after);
  return match ? { kind: 'rewritten', match } : { kind: 'rewritten' };
}

function walk(b: Condition, a: Condition, path: string, negated: boolean, moves: ThresholdMove[]): boolean {
  if ('all' in b || 'any' in b) {
    const key = 'all' in b ? 'all' : 'any';
    const bs = (b as Record<string, Condition[]>)[key] as Condition[];
    const as = (a as Record<string, Condition[] | undefined>)[key];
    if (!Array.isArray(as) || as.length !== bs.length) return false;
    return bs.every((child, i) => walk(child, as[i] as Condition, `${path}.${key}[${i}]`, negated, moves));
  }
  if ('not' in b) return 'not' in a && walk(b.not, a.not, `${path}.not`, !negated, moves);
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  const keys = new Set([...Object.keys(bRecord), ...Object.keys(aRecord)]);
  const local: ThresholdMove[] = [];
  for (const k of keys) {
    const bv = bRecord[k];
    const av = aRecord[k];
    if (COMPARISONS.includes(k as Comparison) && typeof bv === 'number' && typeof av === 'number') {
      if (bv === av) continue;
      // Lowering a lower bound or raising an upper bound lets more values through.
      const lowerBound = k === 'gte' || k === 'gt';
      const broader = lowerBound ? av < bv : av > bv;
      local.push({ path: `${path}.${k}`, label: `${subjectOf(bRecord)} ${k}`, before: bv, after: av, match: broader !== negated ? 'broader' : 'narrower' });
    } else if (!sameValue(bv, av)) return false;
  }
  moves.push(...local);
  return true;
}

function subjectOf(c: Record<string, unknown>): string {
  if (typeof c['score'] === 'string') return c['score'];
  if (typeof c['subject'] === 'string') return `subject.${c['subject']}`;
  if (typeof c['request'] === 'string') return `request.${c['request']}`;
  return 'value';
}

/** `any` gaining branches (or `all` losing some) holds more often; the reverse less often. */
function containment(b: Condition, a: Condition): 'broader' | 'narrower' | undefined {
  const parts = (c: Condition, key: 'any' | 'all'): Condition[] => (key in c ? ((c as Record<string, Condition[]>)[key] as Condition[]) : [c]);
  for (const key of ['any', 'all'] as const) {
    if (!(key in b) && !(key in a)) continue;
    const { added, removed } = setDifference(parts(b, key), parts(a, key));
    if (added.length > 0 && removed.length > 0) continue;
    if (added.length === 0 && removed.length === 0) continue;
    const grew = added.length > 0;
    // More alternatives: holds more often. More conjuncts: holds less often.
    return (key === 'any') === grew ? 'broader' : 'narrower';
  }
  return undefined;
}
