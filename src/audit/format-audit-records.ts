import type { AuditEvent } from './audit-event.js';
import type { AuditRecordRead } from './read-audit-records.js';

export type AuditRecordFormat = 'table' | 'jsonl' | 'csv';

export interface AuditRecordFormatter {
  header(): string;
  row(rec: AuditRecordRead): string;
}

const CSV_COLUMNS = [
  'ts',
  'writer',
  'epoch',
  'seq',
  'kind',
  'decision_id',
  'stage',
  'outcome',
  'target',
  'effective_outcome',
  'effective_target',
  'mode',
  'reason',
  'policy_id',
  'policy_revision',
  'determining_rules',
  'matched_rules',
  'unmet',
  'scores',
  'classifier_errors',
  'subject',
  'latency_ms',
  'hash',
  'request_id',
  'shadow_of',
  'policy_sha256',
] as const;

const TABLE_COLUMNS: { title: string; width: number; value: (e: AuditEvent) => string }[] = [
  { title: 'TIME', width: 24, value: (e) => e.ts },
  { title: 'DECISION', width: 36, value: (e) => (e.kind === 'decision' ? e.decisionId : `(${e.kind})`) },
  { title: 'STAGE', width: 6, value: (e) => (e.kind === 'decision' ? e.stage : '') },
  { title: 'OUTCOME', width: 14, value: (e) => (e.kind === 'decision' ? outcomeText(e) : '') },
  { title: 'TARGET', width: 12, value: (e) => (e.kind === 'decision' ? (e.effective?.target ?? e.target ?? '') : '') },
  { title: 'RULES', width: 28, value: (e) => (e.kind === 'decision' ? e.determiningRules.join(',') : '') },
  { title: 'UNMET', width: 28, value: (e) => (e.kind === 'decision' ? e.unmet.map((u) => u.code).join(',') : '') },
  { title: 'POLICY', width: 20, value: (e) => (e.kind === 'decision' ? `${e.policy.id}@${e.policy.revision}` : '') },
];

export function createAuditRecordFormatter(format: AuditRecordFormat): AuditRecordFormatter {
  switch (format) {
    case 'jsonl':
      return { header: () => '', row: (rec) => rec.line + '\n' };
    case 'csv':
      return { header: () => CSV_COLUMNS.join(',') + '\r\n', row: (rec) => csvRow(rec.event) };
    default:
      return {
        header: () => TABLE_COLUMNS.map((c) => fit(c.title, c.width)).join('  ').trimEnd() + '\n',
        row: (rec) => TABLE_COLUMNS.map((c) => fit(c.value(rec.event), c.width)).join('  ').trimEnd() + '\n',
      };
  }
}

/** The verdict as a table shows it: a shadow decision is marked, so it is never read as enforced. */
export function outcomeText(e: Extract<AuditEvent, { kind: 'decision' }>): string {
  if (e.shadow === true) return `${e.outcome} (shadow)`;
  return e.mode === 'monitor' && e.effective.outcome !== e.outcome ? `${e.outcome}(monitor)` : e.outcome;
}

function csvRow(e: AuditEvent): string {
  const d = e.kind === 'decision' ? e : undefined;
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    ts: e.ts,
    writer: e.writer,
    epoch: String(e.epoch),
    seq: String(e.seq),
    kind: e.kind,
    decision_id: d?.decisionId ?? '',
    stage: d?.stage ?? '',
    outcome: d?.outcome ?? '',
    target: d?.target ?? '',
    effective_outcome: d?.effective.outcome ?? '',
    effective_target: d?.effective.target ?? '',
    mode: d?.mode ?? '',
    reason: d?.reason ?? '',
    policy_id: d?.policy.id ?? '',
    policy_revision: d?.policy.revision ?? '',
    determining_rules: d?.determiningRules.join(';') ?? '',
    matched_rules: d?.matchedRules.join(';') ?? '',
    unmet: d?.unmet.map((u) => `${u.code}:${u.target}`).join(';') ?? '',
    scores: d ? JSON.stringify(d.scores) : '',
    classifier_errors: d?.classifierErrors.map((c) => `${c.classifier}:${c.code}`).join(';') ?? '',
    subject: d?.subject?.pseudonym ?? '',
    latency_ms: d ? String(d.latencyMs) : '',
    hash: e.hash,
    request_id: d?.requestId ?? '',
    shadow_of: d?.shadow === true ? (d.shadowOf ?? '') : '',
    policy_sha256: d?.policy.sha256 ?? '',
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(',') + '\r\n';
}

/** RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet shows the text. */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function fit(text: string, width: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > width ? clean.slice(0, width - 1) + '…' : clean.padEnd(width);
}
