import type { AgeRequirement, ConsentRequirement, Requirements } from '../policy/policy-schema.js';
import { IMPLIED_AGE_LEVEL } from '../policy/strictest.js';
import { levelDirection, limitDirection, methodsDirection, minimumDirection, versionDirection } from './direction.js';
import { sameValue } from './diff-values.js';
import type { ChangeSection, PolicyChange } from './policy-change.js';

interface Where {
  section: ChangeSection;
  item: string;
  /** Path of the requirements object, e.g. `targets[restricted].requirements`. */
  path: string;
  /** Prefix of the field names, e.g. `requirements.` */
  field: string;
}

/**
 * Age and consent requirements, dimension by dimension: a higher minimum or level, fewer methods,
 * a shorter validity, another consent scope or a newer minimum version is stricter.
 */
export function diffRequirements(before: Requirements | undefined, after: Requirements | undefined, where: Where): PolicyChange[] {
  return [...diffAge(before?.age, after?.age, where), ...diffConsent(before?.consent ?? [], after?.consent ?? [], where)];
}

function diffAge(b: AgeRequirement | undefined, a: AgeRequirement | undefined, w: Where): PolicyChange[] {
  if (sameValue(b, a)) return [];
  const at = (name: string): Pick<PolicyChange, 'section' | 'item' | 'path' | 'field'> => ({
    section: w.section,
    item: w.item,
    path: `${w.path}.age${name ? '.' + name : ''}`,
    field: `${w.field}age${name ? '.' + name : ''}`,
  });
  if (b == null && a != null) return [{ ...at(''), kind: 'added', after: a, direction: 'stricter', note: 'a verified age is now required' }];
  if (b != null && a == null) return [{ ...at(''), kind: 'removed', before: b, direction: 'looser', note: 'no verified age is required any more' }];
  if (b == null || a == null) return [];
  const out: PolicyChange[] = [];
  if (b.minimum !== a.minimum) {
    const numeric = typeof b.minimum === 'number' && typeof a.minimum === 'number';
    const change: PolicyChange = { ...at('minimum'), kind: 'changed', before: b.minimum, after: a.minimum };
    const direction = numeric ? minimumDirection(b.minimum as number, a.minimum as number) : undefined;
    if (direction) change.direction = direction;
    else change.note = 'one side reads the minimum from the jurisdiction table: compare the table rows';
    out.push(change);
  }
  if (b.level !== a.level) out.push(withDirection({ ...at('level'), kind: 'changed', before: b.level ?? null, after: a.level ?? null }, levelDirection(b.level, a.level, IMPLIED_AGE_LEVEL)));
  if (!sameValue(b.methods, a.methods)) out.push(withDirection({ ...at('methods'), kind: 'changed', before: b.methods ?? 'any', after: a.methods ?? 'any' }, methodsDirection(b.methods, a.methods)));
  if (b.maxAgeDays !== a.maxAgeDays) out.push(withDirection({ ...at('maxAgeDays'), kind: 'changed', before: b.maxAgeDays ?? null, after: a.maxAgeDays ?? null }, limitDirection(b.maxAgeDays, a.maxAgeDays)));
  return out;
}

function diffConsent(b: readonly ConsentRequirement[], a: readonly ConsentRequirement[], w: Where): PolicyChange[] {
  const out: PolicyChange[] = [];
  const at = (scope: string, name = ''): Pick<PolicyChange, 'section' | 'item' | 'path' | 'field'> => ({
    section: w.section,
    item: w.item,
    path: `${w.path}.consent[${scope}]${name ? '.' + name : ''}`,
    field: `${w.field}consent ${scope}${name ? ' ' + name : ''}`,
  });
  for (const old of b) {
    const now = a.find((c) => c.scope === old.scope);
    if (!now) out.push({ ...at(old.scope), kind: 'removed', before: old, direction: 'looser', note: `consent to \`${old.scope}\` is no longer required` });
    else if (now.minVersion !== old.minVersion) {
      out.push(withDirection({ ...at(old.scope, 'minVersion'), kind: 'changed', before: old.minVersion, after: now.minVersion }, versionDirection(old.minVersion, now.minVersion)));
    }
  }
  for (const now of a) {
    if (!b.some((c) => c.scope === now.scope)) out.push({ ...at(now.scope), kind: 'added', after: now, direction: 'stricter', note: `consent to \`${now.scope}\` ${now.minVersion}+ is now required` });
  }
  return out;
}

export function withDirection(change: PolicyChange, direction: PolicyChange['direction'] | undefined): PolicyChange {
  if (direction) change.direction = direction;
  return change;
}
