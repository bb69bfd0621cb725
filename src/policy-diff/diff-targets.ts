import type { ResolvedPolicy, ResolvedTarget } from '../policy/policy.js';
import type { OnUnmet } from '../policy/policy-schema.js';
import { diffRequirements, withDirection } from './diff-requirements.js';
import { itemPath, sameValue, unionKeys } from './diff-values.js';
import type { Direction, PolicyChange } from './policy-change.js';

const PLAIN_FIELDS = ['description', 'provider', 'model', 'baseURL', 'apiKeyEnv', 'options'] as const;

/** Targets by name: added, removed, their model settings, requirements and `onUnmet`. */
export function diffTargets(before: ResolvedPolicy, after: ResolvedPolicy): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const name of unionKeys(before.targets, after.targets)) {
    const b = before.targets[name];
    const a = after.targets[name];
    const path = itemPath('targets', name);
    if (!a) out.push({ section: 'targets', kind: 'removed', item: name, path, before: b });
    else if (!b) out.push({ section: 'targets', kind: 'added', item: name, path, after: a });
    else out.push(...diffTarget(name, b, a, path));
  }
  return out;
}

function diffTarget(name: string, b: ResolvedTarget, a: ResolvedTarget, path: string): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const field of PLAIN_FIELDS) {
    if (!sameValue(b[field], a[field])) out.push({ section: 'targets', kind: 'changed', item: name, field, path: `${path}.${field}`, before: b[field] ?? null, after: a[field] ?? null });
  }
  out.push(...diffRequirements(b.requirements, a.requirements, { section: 'targets', item: name, path: `${path}.requirements`, field: '' }));
  if (!sameValue(b.onUnmet, a.onUnmet)) {
    out.push(withDirection({ section: 'targets', kind: 'changed', item: name, field: 'onUnmet', path: `${path}.onUnmet`, before: b.onUnmet, after: a.onUnmet }, onUnmetDirection(b.onUnmet, a.onUnmet)));
  }
  return out;
}

/** Falling back to another target serves what blocking refused: looser; the reverse stricter. */
function onUnmetDirection(b: OnUnmet, a: OnUnmet): Direction | undefined {
  if (b.action === a.action) return undefined;
  return a.action === 'block' ? 'stricter' : 'looser';
}
