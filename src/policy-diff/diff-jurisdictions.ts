import type { ResolvedPolicy } from '../policy/policy.js';
import type { Jurisdiction } from '../policy/policy-schema.js';
import { levelDirection, limitDirection, methodsDirection, minimumDirection } from './direction.js';
import { withDirection } from './diff-requirements.js';
import { itemPath, sameValue, setDifference, unionKeys } from './diff-values.js';
import type { PolicyChange } from './policy-change.js';

/** Jurisdiction rows by region code: added, removed, and each of minimum age, level, methods, validity, denied targets. */
export function diffJurisdictions(before: ResolvedPolicy, after: ResolvedPolicy): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const code of unionKeys(before.jurisdictions, after.jurisdictions)) {
    const b = before.jurisdictions[code];
    const a = after.jurisdictions[code];
    const path = itemPath('jurisdictions', code);
    const instead = code === '*' ? 'no row' : code.includes('-') ? `the \`${code.split('-')[0] ?? code}\` or \`*\` row` : 'the `*` row';
    if (!a) out.push({ section: 'jurisdictions', kind: 'removed', item: code, path, before: b, note: `requests from ${code} now get ${instead}` });
    else if (!b) out.push({ section: 'jurisdictions', kind: 'added', item: code, path, after: a, note: `requests from ${code} used ${instead} before` });
    else out.push(...diffRow(code, b, a, path));
  }
  return out;
}

function diffRow(code: string, b: Jurisdiction, a: Jurisdiction, path: string): PolicyChange[] {
  const out: PolicyChange[] = [];
  const change = (field: keyof Jurisdiction): PolicyChange => ({ section: 'jurisdictions', kind: 'changed', item: code, field, path: `${path}.${field}`, before: b[field] ?? null, after: a[field] ?? null });
  if (b.minimumAge !== a.minimumAge) out.push(withDirection(change('minimumAge'), minimumDirection(b.minimumAge, a.minimumAge)));
  if (b.level !== a.level) out.push(withDirection(change('level'), levelDirection(b.level, a.level)));
  if (!sameValue(b.methods, a.methods)) out.push(withDirection(change('methods'), methodsDirection(b.methods, a.methods)));
  if (b.maxAgeDays !== a.maxAgeDays) out.push(withDirection(change('maxAgeDays'), limitDirection(b.maxAgeDays, a.maxAgeDays)));
  if (!sameValue(b.deny ?? [], a.deny ?? [])) {
    const { added, removed } = setDifference(b.deny ?? [], a.deny ?? []);
    out.push(withDirection(change('deny'), removed.length === 0 ? 'stricter' : added.length === 0 ? 'looser' : undefined));
  }
  if (b.note !== a.note) out.push(change('note'));
  return out;
}
