import type { Decision } from '../../decision/decision.js';
import { formatScore } from '../../policy/evaluate-condition.js';
import type { Style } from './style.js';

export const DECISION_TABLE_HEADERS = ['input', 'outcome', 'target', 'rules', 'unmet', 'warnings', 'top scores'];

/** The highest scores first, the ones that usually explain a decision. */
export function topScores(d: Decision, n = 3): string {
  return Object.entries(d.scores)
    .filter(([, v]) => v != null && v > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .slice(0, n)
    .map(([k, v]) => `${k} ${formatScore(v ?? 0)}`)
    .join(', ');
}

/** `route`, or `BLOCK (reason)`: the reason belongs with the outcome, never in the target column. */
export function outcomeLabel(d: Decision, style: Style): string {
  const label = d.outcome === 'block' ? `${style.red('BLOCK')} (${d.reason ?? 'blocked'})` : style.green('route');
  return d.mode === 'monitor' && d.outcome !== d.effective.outcome ? `${label} (monitor)` : label;
}

export function formatDecisionRows(label: string, d: Decision, style: Style): string[][] {
  return [
    [
      label,
      outcomeLabel(d, style),
      d.target ?? '-',
      d.determiningRules.join(', ') || '(default)',
      [...new Set(d.unmet.map((u) => u.code))].join(', ') || '-',
      d.warnings.join(', ') || '-',
      topScores(d) || '-',
    ],
  ];
}

/** The `--explain` view: every rule, matched or not, on which condition, with which value. */
export function formatTrace(label: string, d: Decision, style: Style): string {
  const out: string[] = [style.bold(`▸ ${label}`)];
  out.push(`  decision ${d.decisionId}: ${d.outcome}${d.target ? ` → ${d.target}` : ''}${d.reason ? ` (${d.reason})` : ''}`);
  for (const t of d.trace ?? []) {
    if (t.skipped) {
      out.push(style.dim(`  – ${t.rule}: not evaluated at the ${d.stage} stage`));
      continue;
    }
    out.push(`  ${t.matched ? style.green('✓') : style.dim('✗')} ${t.rule}${t.matched ? '' : style.dim(' (no match)')}`);
    for (const c of t.conditions) {
      out.push(`      ${c.result ? 'true ' : 'false'}  ${c.condition}  ${style.dim(`observed ${c.observed}`)}`);
    }
  }
  for (const u of d.unmet) out.push(style.yellow(`  unmet ${u.code} (${u.target}): ${u.detail}`));
  for (const e of d.classifierErrors) out.push(style.red(`  classifier ${e.classifier} failed: ${e.code}${e.message ? ` — ${e.message}` : ''}`));
  for (const e of d.evidence.slice(0, 10)) out.push(style.dim(`  evidence ${e.category} [${e.start},${e.end}) "${e.match}" (${e.source})`));
  return out.join('\n') + '\n\n';
}
