import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { AuditEvent } from './audit-event.js';
import type { AuditVerifyReport } from './log-verifier.js';
import { DEFAULT_MIN_SCORE } from './query-audit-log.js';
import { barChartSvg, escapeHtml, PALETTE, stackedColumnsSvg, type BarItem, type TimeBucket } from './svg-charts.js';
import { verifyAuditLog, type AuditLogSource, type VerifyAuditLogOptions } from './verify-audit-log.js';

/** Counts gathered in one streaming pass; memory grows with distinct labels and hours, not records. */
export interface AuditAggregate {
  minScore: number;
  decisions: number;
  firstTs?: string;
  lastTs?: string;
  byOutcome: Map<string, number>;
  byEffectiveOutcome: Map<string, number>;
  byTarget: Map<string, number>;
  byStage: Map<string, number>;
  byMode: Map<string, number>;
  byDeterminingRule: Map<string, number>;
  byMatchedRule: Map<string, number>;
  byCategory: Map<string, number>;
  byUnmet: Map<string, number>;
  byUnmetTarget: Map<string, number>;
  byClassifierError: Map<string, number>;
  decisionsWithClassifierErrors: number;
  byPolicy: Map<string, { id: string; revision: string; sha256: string; count: number; first: string; last: string }>;
  /** Decisions per minute while there are few distinct minutes, else per hour. */
  perMinute: Map<number, { route: number; block: number }> | undefined;
  perHour: Map<number, { route: number; block: number }>;
  writerStarts: number;
  writerStops: number;
  crashedEpochs: number;
  lostRecords: number;
}

const MAX_MINUTE_BUCKETS = 2000;

export function createAuditAggregate(minScore = DEFAULT_MIN_SCORE): AuditAggregate {
  return {
    minScore,
    decisions: 0,
    byOutcome: new Map(),
    byEffectiveOutcome: new Map(),
    byTarget: new Map(),
    byStage: new Map(),
    byMode: new Map(),
    byDeterminingRule: new Map(),
    byMatchedRule: new Map(),
    byCategory: new Map(),
    byUnmet: new Map(),
    byUnmetTarget: new Map(),
    byClassifierError: new Map(),
    decisionsWithClassifierErrors: 0,
    byPolicy: new Map(),
    perMinute: new Map(),
    perHour: new Map(),
    writerStarts: 0,
    writerStops: 0,
    crashedEpochs: 0,
    lostRecords: 0,
  };
}

export function addToAuditAggregate(agg: AuditAggregate, event: AuditEvent): void {
  switch (event.kind) {
    case 'writer-start':
      agg.writerStarts++;
      if (event.previous?.tornTail) agg.crashedEpochs++;
      return;
    case 'writer-stop':
      agg.writerStops++;
      return;
    case 'lost':
      agg.lostRecords += event.count;
      return;
    case 'decision':
      break;
    default:
      return;
  }
  agg.decisions++;
  if (agg.firstTs === undefined || event.ts < agg.firstTs) agg.firstTs = event.ts;
  if (agg.lastTs === undefined || event.ts > agg.lastTs) agg.lastTs = event.ts;
  inc(agg.byOutcome, event.outcome);
  inc(agg.byEffectiveOutcome, event.effective?.outcome ?? event.outcome);
  inc(agg.byTarget, event.effective?.target ?? event.target ?? '(blocked)');
  inc(agg.byStage, event.stage);
  inc(agg.byMode, event.mode);
  for (const r of event.determiningRules ?? []) inc(agg.byDeterminingRule, r);
  for (const r of event.matchedRules ?? []) inc(agg.byMatchedRule, r);
  for (const [category, score] of Object.entries(event.scores ?? {})) {
    if (score != null && score >= agg.minScore) inc(agg.byCategory, category);
  }
  for (const u of event.unmet ?? []) {
    inc(agg.byUnmet, u.code);
    inc(agg.byUnmetTarget, `${u.code} → ${u.target}`);
  }
  if ((event.classifierErrors ?? []).length > 0) agg.decisionsWithClassifierErrors++;
  for (const e of event.classifierErrors ?? []) inc(agg.byClassifierError, `${e.classifier}: ${e.code}`);
  const p = event.policy;
  if (p) {
    const key = `${p.id}\u0000${p.revision}\u0000${p.sha256}`;
    const seen = agg.byPolicy.get(key);
    if (seen) {
      seen.count++;
      if (event.ts < seen.first) seen.first = event.ts;
      if (event.ts > seen.last) seen.last = event.ts;
    } else agg.byPolicy.set(key, { id: p.id, revision: p.revision, sha256: p.sha256, count: 1, first: event.ts, last: event.ts });
  }
  const ms = Date.parse(event.ts);
  if (Number.isFinite(ms)) {
    const outcome = event.effective?.outcome === 'block' || event.outcome === 'block' ? 'block' : 'route';
    const hour = Math.floor(ms / 3_600_000) * 3_600_000;
    bucket(agg.perHour, hour)[outcome]++;
    if (agg.perMinute) {
      bucket(agg.perMinute, Math.floor(ms / 60_000) * 60_000)[outcome]++;
      if (agg.perMinute.size > MAX_MINUTE_BUCKETS) agg.perMinute = undefined;
    }
  }
}

export interface WriteAuditReportOptions extends Pick<VerifyAuditLogOptions, 'from' | 'to' | 'publicKey'> {
  out: string;
  minScore?: number;
  title?: string;
  now?: Date;
}

/** Verifies and aggregates the log in one streaming pass, then writes the self-contained HTML report. */
export async function writeAuditReport(source: AuditLogSource, options: WriteAuditReportOptions): Promise<{ verify: AuditVerifyReport; aggregate: AuditAggregate }> {
  const aggregate = createAuditAggregate(options.minScore ?? DEFAULT_MIN_SCORE);
  const verify = await verifyAuditLog(source, {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.publicKey !== undefined ? { publicKey: options.publicKey } : {}),
    onRecord: (event) => addToAuditAggregate(aggregate, event),
  });
  const html = renderAuditReportHtml(aggregate, verify, { ...(options.title ? { title: options.title } : {}), generatedAt: options.now ?? new Date() });
  const tmp = `${options.out}.tmp-${process.pid}`;
  const stream = createWriteStream(tmp);
  stream.end(html);
  await finished(stream);
  await rename(tmp, options.out);
  return { verify, aggregate };
}

export function renderAuditReportHtml(agg: AuditAggregate, verify: AuditVerifyReport, meta: { title?: string; generatedAt: Date }): string {
  const title = meta.title ?? 'saferoute audit report';
  const errors = verify.findings.filter((f) => f.severity === 'error');
  const warnings = verify.findings.filter((f) => f.severity === 'warning');
  const status = verify.ok ? (warnings.length > 0 ? 'valid, with warnings' : 'valid') : 'problems found';
  const statusClass = verify.ok ? (warnings.length > 0 ? 'warn' : 'ok') : 'bad';
  const { buckets, unit } = timeBuckets(agg);
  const fmt = timeFormatter(unit);
  const blockedPct = agg.decisions > 0 ? (((agg.byEffectiveOutcome.get('block') ?? 0) / agg.decisions) * 100).toFixed(1) : '0.0';

  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  parts.push(`<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>${escapeHtml(title)}</h1><p class="muted">source <code>${escapeHtml(verify.source)}</code> · generated ${escapeHtml(meta.generatedAt.toISOString())}</p></header>`);

  parts.push(`<section id="verification"><h2>Verification</h2>`);
  parts.push(`<p class="status ${statusClass}" id="verification-status">${escapeHtml(status)}</p>`);
  parts.push(
    `<dl class="facts">` +
      fact('records read', verify.counts.records) +
      fact('decisions in range', verify.counts.decisions) +
      fact('writers', verify.counts.writers) +
      fact('epochs', verify.counts.epochs) +
      fact('segments', verify.counts.segments) +
      fact('checkpoints valid / read', `${verify.checkpoints.valid} / ${verify.checkpoints.read}`) +
      fact('signatures verified', verify.checkpoints.signaturesVerified) +
      fact('errors', verify.counts.errors) +
      fact('warnings', verify.counts.warnings) +
      fact('range requested', rangeText(verify.range.requested)) +
      fact('range covered', rangeText(verify.range.covered)) +
      `</dl>`,
  );
  if (verify.findings.length > 0) {
    parts.push(`<h3>Findings</h3><table class="findings"><thead><tr><th>severity</th><th>code</th><th>where</th><th>what</th></tr></thead><tbody>`);
    for (const f of [...errors, ...warnings].slice(0, 500)) {
      const where = [f.writer, f.epoch !== undefined ? `epoch ${f.epoch}` : '', f.segment !== undefined ? `segment ${f.segment}` : '', f.line !== undefined ? `line ${f.line}` : '', f.checkpointer ? `checkpoints of ${f.checkpointer}` : '']
        .filter(Boolean)
        .join(' · ');
      parts.push(`<tr class="${f.severity}"><td>${f.severity}</td><td><code>${f.code}</code></td><td>${escapeHtml(where)}</td><td>${escapeHtml(f.message)}</td></tr>`);
    }
    parts.push(`</tbody></table>`);
    if (verify.findings.length > 500) parts.push(`<p class="muted">${verify.findings.length - 500} more findings not shown; run <code>saferoute audit verify --json</code> for all.</p>`);
  }
  parts.push(`<details><summary>Segments (${verify.segments.length})</summary><table><thead><tr><th>writer</th><th>epoch</th><th>segment</th><th>records</th><th>seq</th><th>time</th><th>status</th></tr></thead><tbody>`);
  for (const s of verify.segments.slice(0, 1000)) {
    parts.push(
      `<tr><td>${escapeHtml(s.writer)}</td><td>${s.epoch}</td><td>${s.segment}</td><td>${s.records}</td><td>${s.firstSeq ?? ''}–${s.lastSeq ?? ''}</td><td>${escapeHtml(s.firstTs ?? '')} – ${escapeHtml(s.lastTs ?? '')}</td><td class="${s.status === 'valid' ? 'ok' : 'bad'}">${s.status}</td></tr>`,
    );
  }
  parts.push(`</tbody></table></details></section>`);

  parts.push(`<section id="summary"><h2>Decisions</h2><dl class="facts">`);
  parts.push(
    fact('decisions', agg.decisions) +
      fact('blocked (effective)', `${agg.byEffectiveOutcome.get('block') ?? 0} (${blockedPct}%)`) +
      fact('first', agg.firstTs ?? '—') +
      fact('last', agg.lastTs ?? '—') +
      fact('with classifier failures', agg.decisionsWithClassifierErrors) +
      fact('writer starts / stops', `${agg.writerStarts} / ${agg.writerStops}`) +
      fact('epochs ended by a crash', agg.crashedEpochs) +
      fact('records lost (continue mode)', agg.lostRecords),
  );
  parts.push(`</dl></section>`);

  parts.push(
    `<section id="over-time"><h2>Decisions over time <span class="muted">(per ${unit})</span></h2>` +
      stackedColumnsSvg('decisions over time by effective outcome', buckets, [
        { key: 'route', label: 'routed', color: PALETTE[0] as string },
        { key: 'block', label: 'blocked', color: PALETTE[1] as string },
      ], fmt) +
      `</section>`,
  );
  parts.push(chartSection('by-outcome', 'By outcome (policy verdict)', items(agg.byOutcome, { route: PALETTE[0] as string, block: PALETTE[1] as string })));
  parts.push(chartSection('by-target', 'By target (effective)', items(agg.byTarget)));
  parts.push(chartSection('by-stage', 'By stage and mode', [...items(agg.byStage), ...items(agg.byMode).map((i) => ({ ...i, label: `mode: ${i.label}` }))]));
  parts.push(chartSection('by-rule', 'By determining rule', items(agg.byDeterminingRule, undefined, 30), agg.byDeterminingRule.size > 30 ? `top 30 of ${agg.byDeterminingRule.size}` : undefined));
  parts.push(chartSection('by-matched-rule', 'By matched rule', items(agg.byMatchedRule, undefined, 30)));
  parts.push(chartSection('by-category', `By category (score ≥ ${agg.minScore})`, items(agg.byCategory, undefined, 30)));
  parts.push(chartSection('unmet', 'Unmet requirements', items(agg.byUnmet), undefined, table(['requirement → target', 'decisions'], [...agg.byUnmetTarget].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)]))));
  parts.push(chartSection('classifier-failures', 'Classifier failures', items(agg.byClassifierError, {}, 30)));
  parts.push(
    `<section id="policies"><h2>Policy revisions</h2>` +
      table(
        ['policy', 'revision', 'sha256', 'decisions', 'first', 'last'],
        [...agg.byPolicy.values()].sort((a, b) => (a.first < b.first ? -1 : 1)).map((p) => [p.id, p.revision, p.sha256, String(p.count), p.first, p.last]),
      ) +
      `</section>`,
  );
  parts.push(`<footer class="muted">Subjects appear only as HMAC pseudonyms and texts as keyed digests unless the policy asked otherwise; this report holds counts only.</footer>`);
  parts.push(`</body></html>\n`);
  return parts.join('\n');
}

function timeBuckets(agg: AuditAggregate): { buckets: TimeBucket[]; unit: string } {
  const source = agg.perMinute && agg.perMinute.size > 0 && spanHours(agg) <= 6 ? { map: agg.perMinute, step: 60_000 } : { map: agg.perHour, step: 3_600_000 };
  if (source.map.size === 0) return { buckets: [], unit: 'hour' };
  const keys = [...source.map.keys()];
  const min = Math.min(...keys);
  const max = Math.max(...keys);
  const steps = [source.step, source.step * 5, source.step * 15, source.step * 60, 6 * 3_600_000, 24 * 3_600_000, 7 * 24 * 3_600_000, 30 * 24 * 3_600_000].filter((s) => s >= source.step);
  const step = steps.find((s) => (max - min) / s + 1 <= 90) ?? (steps[steps.length - 1] as number);
  const buckets = new Map<number, TimeBucket>();
  for (let t = Math.floor(min / step) * step; t <= max; t += step) buckets.set(t, { start: t, values: { route: 0, block: 0 } });
  for (const [t, v] of source.map) {
    const b = buckets.get(Math.floor(t / step) * step) as TimeBucket;
    b.values['route'] = (b.values['route'] ?? 0) + v.route;
    b.values['block'] = (b.values['block'] ?? 0) + v.block;
  }
  return { buckets: [...buckets.values()], unit: unitName(step) };
}

function spanHours(agg: AuditAggregate): number {
  if (!agg.firstTs || !agg.lastTs) return 0;
  return (Date.parse(agg.lastTs) - Date.parse(agg.firstTs)) / 3_600_000;
}

function unitName(step: number): string {
  const names: [number, string][] = [
    [60_000, 'minute'],
    [300_000, '5 minutes'],
    [900_000, '15 minutes'],
    [3_600_000, 'hour'],
    [21_600_000, '6 hours'],
    [86_400_000, 'day'],
    [604_800_000, 'week'],
    [2_592_000_000, '30 days'],
  ];
  return names.find(([s]) => s === step)?.[1] ?? `${step / 60_000} minutes`;
}

function timeFormatter(unit: string): (ms: number) => string {
  return (ms) => {
    const iso = new Date(ms).toISOString();
    return unit.includes('minute') || unit.includes('hour') ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  };
}

function chartSection(id: string, title: string, data: BarItem[], note?: string, extra = ''): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}${note ? ` <span class="muted">(${escapeHtml(note)})</span>` : ''}</h2>${barChartSvg(title, data)}${extra}</section>`;
}

function items(map: Map<string, number>, colors: Record<string, string> = {}, limit = 50): BarItem[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([label, value]) => ({ label, value, ...(colors[label] ? { color: colors[label] } : {}) }));
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return (
    `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

function fact(label: string, value: string | number): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(String(value))}</dd></div>`;
}

function rangeText(range: { from?: string; to?: string }): string {
  if (!range.from && !range.to) return 'everything';
  return `${range.from ?? '…'} – ${range.to ?? '…'}`;
}

function inc(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function bucket(map: Map<number, { route: number; block: number }>, key: number): { route: number; block: number } {
  let b = map.get(key);
  if (!b) map.set(key, (b = { route: 0, block: 0 }));
  return b;
}

const CSS = `
:root { color-scheme: light; --fg: #1d2733; --muted: #5d6d7e; --line: #d5dbe1; --ok: #1e8449; --warn: #b9770e; --bad: #c0392b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1000px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; }
.muted { color: var(--muted); font-weight: normal; font-size: 13px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f4f6f8; padding: 1px 4px; border-radius: 3px; word-break: break-all; }
.status { display: inline-block; font-weight: 600; font-size: 16px; padding: 6px 14px; border-radius: 4px; color: #fff; }
.status.ok { background: var(--ok); } .status.warn { background: var(--warn); } .status.bad { background: var(--bad); }
td.ok { color: var(--ok); } td.bad { color: var(--bad); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 16px; margin: 12px 0; }
dl.facts div { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; } dt { color: var(--muted); font-size: 12px; } dd { margin: 0; font-weight: 600; word-break: break-word; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
tr.error td:first-child { color: var(--bad); font-weight: 600; } tr.warning td:first-child { color: var(--warn); font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .lbl { font: 12px system-ui, sans-serif; fill: var(--fg); } svg .val { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .axis { stroke: #888; } svg .grid { stroke: #eceff2; }
details summary { cursor: pointer; margin: 10px 0; }
footer { margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { body { max-width: none; } details { display: block; } }
`;
