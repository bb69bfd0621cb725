import type { ResolvedPolicy, ResolvedRule } from '../policy/policy.js';
import type { Effect } from '../policy/policy-schema.js';
import { diffCondition } from './diff-conditions.js';
import { diffRequirements, withDirection } from './diff-requirements.js';
import { itemPath, sameValue, setDifference } from './diff-values.js';
import type { Direction, PolicyChange } from './policy-change.js';

/**
 * Which way a rule matching more requests moves enforcement. Blocks, warnings and redactions
 * are stricter the more they match; a route sends requests away from the default route to a
 * target chosen for them (gated, or private), so is stricter too — except a route to the
 * default route itself, which has no direction.
 */
export function broaderMeans(rule: ResolvedRule, defaultRoute: string): Direction | undefined {
  if (rule.effect.action === 'route' && rule.effect.target === defaultRoute) return undefined;
  return 'stricter';
}

const flip = (d: Direction | undefined): Direction | undefined => (d === 'stricter' ? 'looser' : d === 'looser' ? 'stricter' : undefined);

/** Rules matched by id: added, removed, and per rule each of condition, thresholds, effect, precedence, stage and warnings. */
export function diffRules(before: ResolvedPolicy, after: ResolvedPolicy): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const old of before.rules) {
    const now = after.rules.find((r) => r.id === old.id);
    if (!now) {
      out.push(withDirection({ section: 'rules', kind: 'removed', item: old.id, path: itemPath('rules', old.id), before: old }, flip(broaderMeans(old, before.defaults.route))));
      continue;
    }
    out.push(...diffRule(old, now, after.defaults.route));
  }
  for (const now of after.rules) {
    if (!before.rules.some((r) => r.id === now.id)) {
      out.push(withDirection({ section: 'rules', kind: 'added', item: now.id, path: itemPath('rules', now.id), after: now }, broaderMeans(now, after.defaults.route)));
    }
  }
  return out;
}

function diffRule(b: ResolvedRule, a: ResolvedRule, newDefault: string): PolicyChange[] {
  const out: PolicyChange[] = [];
  const base = itemPath('rules', a.id);
  const at = (field: string, path = field): Pick<PolicyChange, 'section' | 'item' | 'field' | 'path'> => ({ section: 'rules', item: a.id, field, path: `${base}.${path}` });
  // A condition matching more is as strict as the rule's effect makes it (the new effect: what ships).
  const sense = broaderMeans(a, newDefault);
  const directionOf = (match: 'broader' | 'narrower' | undefined): Direction | undefined =>
    match == null ? undefined : match === 'broader' ? sense : flip(sense);

  if (b.description !== a.description) out.push({ ...at('description'), kind: 'changed', before: b.description, after: a.description });
  if (b.stage !== a.stage) {
    const covers = (s: string): string[] => (s === 'both' ? ['input', 'output'] : [s]);
    const { added, removed } = setDifference(covers(b.stage), covers(a.stage));
    const match = removed.length === 0 ? 'broader' : added.length === 0 ? 'narrower' : undefined;
    const change: PolicyChange = { ...at('stage'), kind: 'changed', before: b.stage, after: a.stage };
    if (match) change.match = match;
    out.push(withDirection(change, directionOf(match)));
  }
  const cond = diffCondition(b.when, a.when);
  if (cond.kind === 'thresholds') {
    for (const m of cond.moves) {
      out.push(withDirection({ ...at(m.label, m.path), kind: 'threshold', before: m.before, after: m.after, match: m.match }, directionOf(m.match)));
    }
  } else if (cond.kind === 'rewritten') {
    const change: PolicyChange = { ...at('condition', 'when'), kind: 'changed', before: b.when, after: a.when };
    if (cond.match) change.match = cond.match;
    out.push(withDirection(change, directionOf(cond.match)));
  }
  out.push(...diffEffect(b.effect, a.effect, at));
  if (!sameValue(b.warnings, a.warnings)) out.push({ ...at('warnings'), kind: 'changed', before: b.warnings, after: a.warnings });
  return out;
}

type At = (field: string, path?: string) => Pick<PolicyChange, 'section' | 'item' | 'field' | 'path'>;

function diffEffect(b: Effect, a: Effect, at: At): PolicyChange[] {
  if (sameValue(b, a)) return [];
  if (b.action !== a.action) {
    // Becoming a block is stricter whatever it was; ceasing to be one is looser.
    const direction: Direction | undefined = a.action === 'block' ? 'stricter' : b.action === 'block' ? 'looser' : undefined;
    return [withDirection({ ...at('effect'), kind: 'changed', before: b, after: a }, direction)];
  }
  const out: PolicyChange[] = [];
  if (b.action === 'block' && a.action === 'block') {
    if (b.reason !== a.reason) out.push({ ...at('reason', 'effect.reason'), kind: 'changed', before: b.reason, after: a.reason });
    if (b.message !== a.message) out.push({ ...at('message', 'effect.message'), kind: 'changed', before: b.message ?? null, after: a.message ?? null });
  }
  if (b.action === 'route' && a.action === 'route') {
    if (b.target !== a.target) out.push({ ...at('target', 'effect.target'), kind: 'changed', before: b.target, after: a.target });
    if (b.precedence !== a.precedence) {
      out.push({
        ...at('precedence', 'effect.precedence'),
        kind: 'changed',
        before: b.precedence,
        after: a.precedence,
        note: a.precedence > b.precedence ? 'now wins over more of the other matching routes' : 'now loses to more of the other matching routes',
      });
    }
    out.push(...diffRequirements(b.requires, a.requires, { section: 'rules', item: at('').item as string, path: at('', 'effect.requires').path, field: 'requires.' }));
  }
  if (b.action === 'redact' && a.action === 'redact') {
    const { added, removed } = setDifference(b.categories, a.categories);
    const direction: Direction | undefined = removed.length === 0 ? 'stricter' : added.length === 0 ? 'looser' : undefined;
    out.push(withDirection({ ...at('redact categories', 'effect.categories'), kind: 'changed', before: b.categories, after: a.categories }, direction));
  }
  return out;
}
