import type { ResolvedPolicy } from '../policy/policy.js';
import { limitDirection, minimumDirection, rankDirection } from './direction.js';
import { withDirection } from './diff-requirements.js';
import { itemPath, sameValue, setDifference, unionKeys } from './diff-values.js';
import type { ChangeSection, Direction, PolicyChange } from './policy-change.js';

/** A scalar setting: changed, with a direction when `direction` gives one. */
function setting(section: ChangeSection, path: string, before: unknown, after: unknown, direction?: Direction, note?: string): PolicyChange[] {
  if (sameValue(before ?? null, after ?? null)) return [];
  const change: PolicyChange = { section, kind: 'changed', field: path, path, before: before ?? null, after: after ?? null };
  if (note != null) change.note = note;
  return [withDirection(change, direction)];
}

/** Identity, mode, defaults, classifiers, input, output and audit settings. */
export function diffSettings(b: ResolvedPolicy, a: ResolvedPolicy): PolicyChange[] {
  return [
    ...setting('policy', 'id', b.id, a.id),
    ...setting('policy', 'revision', b.revision, a.revision),
    ...setting('policy', 'description', b.description, a.description),
    ...setting('policy', 'ageFloor', b.ageFloor, a.ageFloor, minimumDirection(b.ageFloor, a.ageFloor)),
    ...setting('mode', 'mode', b.mode, a.mode, rankDirection(['monitor', 'enforce'], b.mode, a.mode), a.mode === 'monitor' ? 'decisions are logged, not enforced' : 'decisions are enforced'),
    ...setting('defaults', 'defaults.route', b.defaults.route, a.defaults.route, undefined, 'where requests no rule matches go'),
    ...setting('defaults', 'defaults.onClassifierError', b.defaults.onClassifierError, a.defaults.onClassifierError, rankDirection(['strictest', 'block'], b.defaults.onClassifierError, a.defaults.onClassifierError)),
    ...setting('defaults', 'defaults.unknownJurisdiction', b.defaults.unknownJurisdiction, a.defaults.unknownJurisdiction, rankDirection(['default-row', 'strictest'], b.defaults.unknownJurisdiction, a.defaults.unknownJurisdiction)),
    ...classifierList(b, a, 'input'),
    ...classifierList(b, a, 'output'),
    ...setting('input', 'input.historyMessages', b.input.historyMessages, a.input.historyMessages, minimumDirection(b.input.historyMessages, a.input.historyMessages), 'earlier turns classified with the latest'),
    ...setting('input', 'input.includeSystem', b.input.includeSystem, a.input.includeSystem, rankDirection([false, true], b.input.includeSystem, a.input.includeSystem)),
    ...setting('input', 'input.extraText', b.input.extraText, a.input.extraText, rankDirection(['classify', 'refuse'], b.input.extraText, a.input.extraText)),
    ...setting('output', 'output.onBlock', b.output.onBlock, a.output.onBlock),
    ...setting('output', 'output.replacement', b.output.replacement, a.output.replacement),
    ...setting('output', 'output.streaming.mode', b.output.streaming.mode, a.output.streaming.mode, rankDirection(['progressive', 'hold-back'], b.output.streaming.mode, a.output.streaming.mode)),
    ...setting('output', 'output.streaming.holdBackChars', b.output.streaming.holdBackChars, a.output.streaming.holdBackChars, minimumDirection(b.output.streaming.holdBackChars, a.output.streaming.holdBackChars)),
    ...setting('output', 'output.streaming.checkEveryChars', b.output.streaming.checkEveryChars, a.output.streaming.checkEveryChars, limitDirection(b.output.streaming.checkEveryChars, a.output.streaming.checkEveryChars)),
    ...setting('audit', 'audit.text', b.audit.text, a.audit.text, undefined, 'what of the text the audit log keeps'),
  ];
}

/** Absent means the engine's default classifiers, which is not the same as any list. */
function classifierList(b: ResolvedPolicy, a: ResolvedPolicy, stage: 'input' | 'output'): PolicyChange[] {
  const before = b.classifiers[stage];
  const after = a.classifiers[stage];
  if (sameValue(before, after)) return [];
  const change: PolicyChange = { section: 'classifiers', kind: 'changed', field: `classifiers.${stage}`, path: `classifiers.${stage}`, before: before ?? 'default', after: after ?? 'default' };
  if (before && after) {
    const { added, removed } = setDifference(before, after);
    const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
    change.note = parts.length ? parts.join('; ') : 'same classifiers in another order (a cascade or escalation order)';
  }
  return [change];
}

/** Blocklists by id (their terms as sets) and messages by id. */
export function diffBlocklistsAndMessages(b: ResolvedPolicy, a: ResolvedPolicy): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const old of b.blocklists) {
    const now = a.blocklists.find((l) => l.id === old.id);
    const path = itemPath('blocklists', old.id);
    if (!now) {
      out.push({ section: 'blocklists', kind: 'removed', item: old.id, path, before: old });
      continue;
    }
    const { added, removed } = setDifference(old.terms, now.terms);
    if (added.length || removed.length) {
      const note = [added.length ? `${added.length} term${added.length === 1 ? '' : 's'} added` : '', removed.length ? `${removed.length} removed` : ''].filter(Boolean).join(', ');
      out.push({ section: 'blocklists', kind: 'changed', item: old.id, field: 'terms', path: `${path}.terms`, before: removed, after: added, note: `${note} (before: removed terms, after: added terms); the rules naming the list match ${removed.length === 0 ? 'more' : added.length === 0 ? 'less' : 'other'} text` });
    }
    if (old.description !== now.description) out.push({ section: 'blocklists', kind: 'changed', item: old.id, field: 'description', path: `${path}.description`, before: old.description ?? null, after: now.description ?? null });
  }
  for (const now of a.blocklists) {
    if (!b.blocklists.some((l) => l.id === now.id)) out.push({ section: 'blocklists', kind: 'added', item: now.id, path: itemPath('blocklists', now.id), after: now });
  }
  for (const id of unionKeys(b.messages, a.messages)) {
    const before = b.messages[id];
    const after = a.messages[id];
    if (before === after) continue;
    const kind = before == null ? 'added' : after == null ? 'removed' : 'changed';
    const change: PolicyChange = { section: 'messages', kind, item: id, path: itemPath('messages', id) };
    if (kind === 'changed') change.field = 'text';
    if (before != null) change.before = before;
    if (after != null) change.after = after;
    out.push(change);
  }
  return out;
}
