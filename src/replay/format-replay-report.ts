import { renderTable } from '../cli/format/table.js';
import type { ReplaySummary } from './replay-summary.js';

export interface ReplayHeading {
  /** What was replayed: a directory, `PostgreSQL`, a corpus file. */
  source: string;
  /** The candidate policy, `id@revision (sha256 …)`. */
  policy: string;
  /** What `from` and `to` are called (`recorded` and `new`, or `live` and `candidate`). */
  fromName?: string;
  toName?: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The transition table and its explanations, as `saferoute replay` prints them. */
export function formatReplayReport(s: ReplaySummary, h: ReplayHeading): string {
  const fromName = h.fromName ?? 'recorded';
  const toName = h.toName ?? 'new';
  const out: string[] = [];
  const range = s.first !== undefined ? ` (${s.first} – ${s.last ?? s.first})` : '';
  out.push(`replayed ${count(s.records)} decisions from ${h.source}${range} under ${h.policy}`);
  const replayed = s.fromFacts + s.fromText;
  const left = s.unreplayed.reduce((n, u) => n + u.count, 0);
  out.push(
    `${count(replayed)} re-decided (${count(s.fromFacts)} from facts, ${count(s.fromText)} from text)` +
      (left > 0 ? `, ${count(left)} not re-evaluated (below)` : '') +
      `; ${count(s.changed)} change${s.changed === 1 ? '' : 's'}`,
  );
  out.push('');
  if (s.transitions.length > 0) {
    // The last column only when something changed; no line ends in padding.
    const anyChange = s.transitions.some((t) => t.from !== t.to);
    const rows = s.transitions.map((t) => [t.from, t.to, count(t.count), ...(anyChange ? [t.from === t.to ? '' : 'changed'] : [])]);
    const table = renderTable([fromName, toName, 'decisions', ...(anyChange ? [''] : [])], rows);
    out.push(table.split('\n').map((line) => line.trimEnd()).join('\n').trimEnd());
  } else out.push('no decision to replay');
  const changed = s.transitions.filter((t) => t.from !== t.to);
  if (changed.length > 0) {
    out.push('');
    out.push('changes:');
    for (const t of changed) {
      out.push(`  ${t.from} → ${t.to} (${count(t.count)})`);
      out.push(`    was decided by: ${rules(t.was)}`);
      out.push(`    now decided by: ${rules(t.now)}`);
      out.push(`    e.g. ${t.sample.join(', ')}`);
    }
  }
  if (s.unreplayed.length > 0) {
    out.push('');
    out.push('not re-evaluated:');
    for (const u of s.unreplayed) {
      out.push(`  ${count(u.count)} ${u.reason}: ${u.note}`);
      out.push(`    e.g. ${u.sample.join(', ')}`);
    }
  }
  if (s.notes.length > 0) {
    out.push('');
    out.push('notes:');
    for (const n of s.notes) out.push(`  ${count(n.count)} ${n.reason}: ${n.note}`);
  }
  return out.join('\n') + '\n';
}

function rules(list: [string, number][]): string {
  return list.length === 0 ? 'the default route' : list.map(([r, n]) => `${r} (${count(n)})`).join(', ');
}
