import type { ResolvedRule } from '../policy/policy.js';
import type { Condition } from '../policy/policy-schema.js';
import { describeCondition, describeRule, describeValue } from './describe-policy-value.js';
import { CHANGE_SECTIONS, type PolicyChange, type PolicyDiff } from './policy-change.js';

export interface DiffStyle {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const PLAIN: DiffStyle = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/**
 * The diff for people: a heading per section, `+` added, `-` removed, `~` changed, each line
 * ending with its direction, then a count of stricter and looser changes.
 */
export function formatPolicyDiff(diff: PolicyDiff, style: DiffStyle = PLAIN): string {
  const lines: string[] = [];
  const name = (s: PolicyDiff['old']): string => `${s.file ?? s.id} (${s.id}@${s.revision}, sha256 ${s.sha256.slice(0, 12)}…)`;
  lines.push(`${name(diff.old)} → ${name(diff.new)}`);
  if (diff.equal) {
    lines.push(diff.old.sha256 === diff.new.sha256 ? 'no differences: the resolved policies are identical' : 'no semantic differences (only the order of rules or blocklists differs)');
    return lines.join('\n') + '\n';
  }
  for (const section of CHANGE_SECTIONS) {
    const changes = diff.changes.filter((c) => c.section === section);
    if (changes.length === 0) continue;
    lines.push('', style.bold(section));
    let lastItem: string | undefined;
    for (const c of changes) {
      if (c.item != null && c.field != null) {
        // Several changes to one item: the item once, its fields beneath.
        if (c.item !== lastItem) lines.push(`  ${style.yellow('~')} ${c.item}`);
        lines.push(`      ${describeChange(c)}${directionText(c, style)}`);
      } else lines.push(`  ${marker(c, style)} ${c.item != null ? c.item + ' ' : ''}${describeChange(c)}${directionText(c, style)}`);
      lastItem = c.item != null && c.field != null ? c.item : undefined;
    }
  }
  const s = diff.summary;
  lines.push('', `${s.changes} change${s.changes === 1 ? '' : 's'}: ${s.stricter} stricter, ${s.looser} looser, ${s.neither} neither`);
  return lines.join('\n') + '\n';
}

function marker(c: PolicyChange, style: DiffStyle): string {
  return c.kind === 'added' ? style.green('+') : c.kind === 'removed' ? style.red('-') : style.yellow('~');
}

function describeChange(c: PolicyChange): string {
  const what = c.field ?? '';
  const isRule = c.section === 'rules';
  if (c.kind === 'added' || c.kind === 'removed') {
    const value = c.kind === 'added' ? c.after : c.before;
    const shown = isRule && c.field == null ? describeRule(value as ResolvedRule) : describeValue(value);
    return `${what ? what + ' ' : ''}${c.kind}: ${shown}`;
  }
  if (c.field === 'condition') return `condition: ${describeCondition(c.before as Condition)}  →  ${describeCondition(c.after as Condition)}`;
  if (c.field === 'effect') return `effect: ${describeValue(c.before)} → ${describeValue(c.after)}`;
  if (c.path === '') return c.note ?? 'changed';
  return `${what || 'value'}: ${describeValue(c.before)} → ${describeValue(c.after)}`;
}

function directionText(c: PolicyChange, style: DiffStyle): string {
  const parts: string[] = [];
  if (c.direction) parts.push(c.direction === 'stricter' ? style.green('stricter') : style.red('looser'));
  if (c.match) parts.push(c.match === 'broader' ? 'the rule matches more requests' : 'the rule matches fewer requests');
  if (c.note && c.path !== '') parts.push(c.note);
  return parts.length ? `  ${style.dim('(')}${parts.join('; ')}${style.dim(')')}` : '';
}
