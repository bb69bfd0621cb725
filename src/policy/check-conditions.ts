import { AGE_METHODS, ASSURANCE_LEVELS } from '../subjects/subject-context.js';
import { didYouMean, listOf } from './did-you-mean.js';
import { childPointer } from './json-pointer.js';
import {
  REQUEST_ATTRIBUTES,
  SUBJECT_ATTRIBUTES,
  type Condition,
  type RequestCondition,
  type ScoreCondition,
  type SubjectCondition,
} from './policy-schema.js';
import { semanticFinding, type SemanticFinding } from './semantic-finding.js';

/** What a condition can be: never true (with where and why), or always true. */
interface Analysis {
  never?: { pointer: string; why: string };
  always: boolean;
}

interface Bound {
  value: number;
  inclusive: boolean;
  /** Where the bound was written, for messages about conjunctions. */
  pointer: string;
}

interface Interval {
  lo: Bound | undefined;
  hi: Bound | undefined;
}

export interface ConditionContext {
  blocklists: ReadonlySet<string>;
  findings: SemanticFinding[];
  /** The policy's target names: the values `servedTarget` can take. */
  targets?: ReadonlySet<string>;
  /** The stage of the rule whose condition this is. */
  stage?: 'input' | 'output' | 'both';
}

/**
 * Checks one rule's condition: unknown attributes and blocklists, thresholds outside [0, 1],
 * comparisons missing, and whether the condition can be true at all. Score intervals are
 * intersected per category across a conjunction, so `gte 0.8` and `lt 0.5` under one `all`
 * is found even when written far apart. Returns what the whole condition can be.
 */
export function checkCondition(condition: Condition, pointer: string, ctx: ConditionContext): Analysis {
  if ('all' in condition) return checkAll(condition.all, pointer, ctx);
  if ('any' in condition) return checkAny(condition.any, pointer, ctx);
  if ('not' in condition) {
    const inner = checkCondition(condition.not, childPointer(pointer, 'not'), ctx);
    if (inner.always) return { never: { pointer, why: '`not` of a condition that is always true' }, always: false };
    return { always: inner.never != null };
  }
  if ('score' in condition) return checkScore(condition, pointer, ctx);
  if ('blocklist' in condition) {
    if (!ctx.blocklists.has(condition.blocklist)) {
      ctx.findings.push(
        semanticFinding(childPointer(pointer, 'blocklist'), `unknown blocklist \`${condition.blocklist}\`${suffix(condition.blocklist, ctx.blocklists)}`, {
          hint: ctx.blocklists.size > 0 ? `blocklists defined: ${listOf([...ctx.blocklists])}` : 'define it under `blocklists`',
        }),
      );
    }
    return { always: false };
  }
  if ('subject' in condition) return checkAttribute(condition, 'subject', condition.subject, pointer, ctx);
  return checkAttribute(condition, 'request', (condition as RequestCondition).request, pointer, ctx);
}

function suffix(value: string, candidates: Iterable<string>): string {
  const s = didYouMean(value, candidates);
  return s != null ? `; did you mean \`${s}\`?` : '';
}

function checkAll(items: readonly Condition[], pointer: string, ctx: ConditionContext): Analysis {
  const results = items.map((c, i) => checkCondition(c, childPointer(pointer, 'all', i), ctx));
  const never = results.find((r) => r.never != null)?.never;
  if (never) return { never, always: false };
  const intervals = new Map<string, Interval>();
  collectScoreBounds(items, childPointer(pointer, 'all'), intervals);
  for (const [category, interval] of intervals) {
    if (isEmpty(interval)) {
      return {
        never: { pointer, why: `\`${category}\` cannot be ${describeBound(interval.lo, 'lo')} and ${describeBound(interval.hi, 'hi')} at once` },
        always: false,
      };
    }
  }
  return { always: results.every((r) => r.always) };
}

/** Score comparisons that must all hold: those directly in the conjunction and in nested `all`s. */
function collectScoreBounds(items: readonly Condition[], pointer: string, intervals: Map<string, Interval>): void {
  items.forEach((c, i) => {
    const p = childPointer(pointer, i);
    if ('all' in c) collectScoreBounds(c.all, childPointer(p, 'all'), intervals);
    else if ('score' in c && inRange(c)) {
      const current = intervals.get(c.score) ?? { lo: undefined, hi: undefined };
      intervals.set(c.score, intersect(current, intervalOf(c, p)));
    }
  });
}

function checkAny(items: readonly Condition[], pointer: string, ctx: ConditionContext): Analysis {
  if (items.length === 0) return { never: { pointer, why: 'an empty `any` is never true' }, always: false };
  const results = items.map((c, i) => checkCondition(c, childPointer(pointer, 'any', i), ctx));
  if (results.every((r) => r.never != null)) {
    return { never: { pointer, why: 'none of the alternatives under `any` can be true' }, always: false };
  }
  results.forEach((r) => {
    if (r.never) {
      ctx.findings.push(
        semanticFinding(r.never.pointer, `this alternative can never be true: ${r.never.why}`, { severity: 'warning' }),
      );
    }
  });
  return { always: results.some((r) => r.always) };
}

const COMPARISONS = ['gte', 'gt', 'lte', 'lt'] as const;

function inRange(c: ScoreCondition): boolean {
  return COMPARISONS.every((k) => c[k] == null || ((c[k] as number) >= 0 && (c[k] as number) <= 1));
}

function checkScore(c: ScoreCondition, pointer: string, ctx: ConditionContext): Analysis {
  const present = COMPARISONS.filter((k) => c[k] != null);
  if (present.length === 0) {
    ctx.findings.push(
      semanticFinding(pointer, `the score condition on \`${c.score}\` has no comparison`, {
        kind: 'container',
        hint: 'add `gte`, `gt`, `lte` or `lt`, e.g. `"gte": 0.8`',
      }),
    );
    return { always: false };
  }
  let outOfRange = false;
  for (const k of present) {
    const v = c[k] as number;
    if (v < 0 || v > 1) {
      outOfRange = true;
      ctx.findings.push(
        semanticFinding(childPointer(pointer, k), `threshold ${v} is outside [0, 1]`, { hint: 'scores are probabilities between 0 and 1' }),
      );
    }
  }
  if (outOfRange) return { always: false };
  const interval = intervalOf(c, pointer);
  if (isEmpty(interval)) {
    const parts = present.map((k) => `${SYMBOL[k]} ${c[k] as number}`).join(' and ');
    return { never: { pointer, why: `no score of \`${c.score}\` is ${parts} (scores lie in [0, 1])` }, always: false };
  }
  if (present.length === 1 && c.gte === 0) {
    ctx.findings.push(
      semanticFinding(childPointer(pointer, 'gte'), `\`gte: 0\` holds for every score: this only tests that \`${c.score}\` was scored`, {
        severity: 'warning',
      }),
    );
  }
  return { always: false };
}

const SYMBOL = { gte: '≥', gt: '>', lte: '≤', lt: '<' } as const;

function intervalOf(c: ScoreCondition, pointer: string): Interval {
  // Scores lie in [0, 1]; those limits are part of every interval.
  let interval: Interval = {
    lo: { value: 0, inclusive: true, pointer: '' },
    hi: { value: 1, inclusive: true, pointer: '' },
  };
  const at = (k: string): string => childPointer(pointer, k);
  if (c.gte != null) interval = intersect(interval, { lo: { value: c.gte, inclusive: true, pointer: at('gte') }, hi: undefined });
  if (c.gt != null) interval = intersect(interval, { lo: { value: c.gt, inclusive: false, pointer: at('gt') }, hi: undefined });
  if (c.lte != null) interval = intersect(interval, { lo: undefined, hi: { value: c.lte, inclusive: true, pointer: at('lte') } });
  if (c.lt != null) interval = intersect(interval, { lo: undefined, hi: { value: c.lt, inclusive: false, pointer: at('lt') } });
  return interval;
}

function intersect(a: Interval, b: Interval): Interval {
  return { lo: tighter(a.lo, b.lo, 'lo'), hi: tighter(a.hi, b.hi, 'hi') };
}

function tighter(a: Bound | undefined, b: Bound | undefined, side: 'lo' | 'hi'): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.value !== b.value) return (side === 'lo' ? a.value > b.value : a.value < b.value) ? a : b;
  // Same value: an exclusive bound is the tighter one; keep a bound the author wrote over the implicit limits.
  if (a.inclusive !== b.inclusive) return a.inclusive ? b : a;
  return a.pointer !== '' ? a : b;
}

function isEmpty(i: Interval): boolean {
  if (!i.lo || !i.hi) return false;
  if (i.lo.value > i.hi.value) return true;
  return i.lo.value === i.hi.value && !(i.lo.inclusive && i.hi.inclusive);
}

function describeBound(b: Bound | undefined, side: 'lo' | 'hi'): string {
  if (!b) return side === 'lo' ? '≥ 0' : '≤ 1';
  const op = side === 'lo' ? (b.inclusive ? '≥' : '>') : b.inclusive ? '≤' : '<';
  return `${op} ${b.value}`;
}

const ATTRIBUTE_VALUES: Record<string, readonly string[]> = {
  'subject:ageLevel': ASSURANCE_LEVELS,
  'subject:ageMethod': AGE_METHODS,
};
const BOOLEAN_ATTRIBUTES = new Set(['subject:ageVerified', 'request:hasImages']);
const NUMERIC_ATTRIBUTES = new Set(['subject:ageOver']);

function checkAttribute(
  c: SubjectCondition | RequestCondition,
  kind: 'subject' | 'request',
  name: string,
  pointer: string,
  ctx: ConditionContext,
): Analysis {
  const known: readonly string[] = kind === 'subject' ? SUBJECT_ATTRIBUTES : REQUEST_ATTRIBUTES;
  const prefix = kind === 'subject' ? 'attributes.' : 'metadata.';
  const free = name.startsWith(prefix) && name.length > prefix.length;
  if (!known.includes(name) && !free) {
    ctx.findings.push(
      semanticFinding(childPointer(pointer, kind), `unknown ${kind} attribute \`${name}\`${suffix(name, known)}`, {
        hint: `one of ${listOf(known)}, or \`${prefix}NAME\``,
      }),
    );
  }
  const ops = (['equals', 'in', 'gte', 'lte', 'exists'] as const).filter((k) => c[k] != null);
  if (ops.length === 0) {
    ctx.findings.push(
      semanticFinding(pointer, `the ${kind} condition on \`${name}\` has no comparison`, {
        kind: 'container',
        hint: 'add `equals`, `in`, `gte`, `lte` or `exists`',
      }),
    );
    return { always: false };
  }
  const servedTarget = kind === 'request' && name === 'servedTarget';
  if (servedTarget && ctx.stage === 'input') {
    ctx.findings.push(
      semanticFinding(childPointer(pointer, kind), '`servedTarget` is set only at the output stage, so a rule at the input stage never sees it', {
        hint: 'give the rule stage `output` (or `both`)',
      }),
    );
  }
  const vocabulary = ATTRIBUTE_VALUES[`${kind}:${name}`] ?? (servedTarget && ctx.targets ? [...ctx.targets] : undefined);
  const values: [string, unknown][] = [];
  if (c.equals != null) values.push([childPointer(pointer, 'equals'), c.equals]);
  (c.in ?? []).forEach((v, i) => values.push([childPointer(pointer, 'in', i), v]));
  for (const [p, v] of values) {
    if (vocabulary && !vocabulary.includes(String(v))) {
      ctx.findings.push(
        semanticFinding(p, `\`${String(v)}\` is never a value of \`${name}\`${suffix(String(v), vocabulary)}`, { hint: `one of ${listOf(vocabulary)}` }),
      );
    }
    if (BOOLEAN_ATTRIBUTES.has(`${kind}:${name}`) && typeof v !== 'boolean') {
      ctx.findings.push(semanticFinding(p, `\`${name}\` is \`true\` or \`false\`, never \`${JSON.stringify(v)}\``));
    }
    if (NUMERIC_ATTRIBUTES.has(`${kind}:${name}`) && typeof v !== 'number') {
      ctx.findings.push(semanticFinding(p, `\`${name}\` is a number, never \`${JSON.stringify(v)}\``));
    }
  }
  if (c.in != null && c.in.length === 0) return { never: { pointer: childPointer(pointer, 'in'), why: '`in: []` matches no value' }, always: false };
  if (c.gte != null && c.lte != null && c.gte > c.lte) {
    return { never: { pointer, why: `\`${name}\` cannot be ≥ ${c.gte} and ≤ ${c.lte} at once` }, always: false };
  }
  if (c.exists === false && ops.length > 1) {
    return { never: { pointer, why: `\`exists: false\` contradicts the other comparisons on \`${name}\`` }, always: false };
  }
  return { always: false };
}
