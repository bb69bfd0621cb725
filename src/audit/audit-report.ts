import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { AuditEvent, DecisionAuditEvent } from './audit-event.js';
import type { AuditVerifyReport } from './log-verifier.js';
import { DEFAULT_MIN_SCORE } from './query-audit-log.js';
import { barChartSvg, escapeHtml, stackedColumnsSvg, type BarItem, type TimeBucket } from './svg-charts.js';
import { BLOCK_COLOR, CAUTION_COLOR, NEUTRAL_COLOR, ROUTE_COLOR, outcomeKeyColor, targetColor } from './report-colors.js';
import { verifyAuditLog, type AuditLogSource, type VerifyAuditLogOptions } from './verify-audit-log.js';

/** Counts gathered in one streaming pass; memory grows with distinct labels and hours, not records. */
export interface AuditAggregate {
  minScore: number;
  /** Live decision records that verified and are counted in the charts (shadow decisions are in `shadow`). */
  decisions: number;
  firstTs?: string;
  lastTs?: string;
  byOutcome: Map<string, number>;
  byEffectiveOutcome: Map<string, number>;
  byTarget: Map<string, number>;
  byStage: Map<string, number>;
  byMode: Map<string, number>;
  byDeterminingRule: Map<string, number>;
  /** What each determining rule led to: `block`, or the targets it routed to. */
  ruleOutcomes: Map<string, Set<string>>;
  byMatchedRule: Map<string, number>;
  byCategory: Map<string, number>;
  byUnmet: Map<string, number>;
  byUnmetTarget: Map<string, number>;
  byClassifierError: Map<string, number>;
  decisionsWithClassifierErrors: number;
  byPolicy: Map<string, { id: string; revision: string; sha256: string; count: number; blocked: number; first: string; last: string }>;
  /** Decisions per minute while there are few distinct minutes, else per hour; by `block` or target. */
  perMinute: Map<number, Record<string, number>> | undefined;
  perHour: Map<number, Record<string, number>>;
  /** The first decisions of each effective outcome (`block`, or the target routed to), to look up. */
  samples: Map<string, DecisionSample[]>;
  /** Records in range that failed verification: left out of every count and chart. */
  excluded: { records: number; decisions: number; list: ExcludedRecord[] };
  writerStarts: number;
  writerStops: number;
  crashedEpochs: number;
  lostRecords: number;
  /**
   * Shadow decisions (a candidate policy's verdict recorded beside the live one, never enforced),
   * counted apart: they are not traffic, and counted with it they would inflate every figure.
   */
  shadow?: AuditAggregate;
}

export interface DecisionSample {
  decisionId: string;
  ts: string;
  requestId?: string;
}

export interface ExcludedRecord {
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  kind: string;
  decisionId?: string;
  problems: string[];
}

const MAX_MINUTE_BUCKETS = 2000;
const SAMPLE_SIZE = 3;
const MAX_EXCLUDED_LISTED = 200;
const MAX_RULE_OUTCOMES = 5000;

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
    ruleOutcomes: new Map(),
    byMatchedRule: new Map(),
    byCategory: new Map(),
    byUnmet: new Map(),
    byUnmetTarget: new Map(),
    byClassifierError: new Map(),
    decisionsWithClassifierErrors: 0,
    byPolicy: new Map(),
    perMinute: new Map(),
    perHour: new Map(),
    samples: new Map(),
    excluded: { records: 0, decisions: 0, list: [] },
    writerStarts: 0,
    writerStops: 0,
    crashedEpochs: 0,
    lostRecords: 0,
  };
}

/** `block`, or the target the decision was effectively routed to. */
export function effectiveOutcomeKey(event: DecisionAuditEvent): string {
  const outcome = event.effective?.outcome ?? event.outcome;
  if (outcome === 'block') return 'block';
  return event.effective?.target ?? event.target ?? '(no target)';
}

/**
 * Adds one record. A record with `problems` (error codes `verifyAuditLog` found at it) is not
 * counted anywhere but in `excluded`: a chart must not show what the log cannot vouch for.
 */
export function addToAuditAggregate(agg: AuditAggregate, event: AuditEvent, problems: readonly string[] = []): void {
  if (problems.length > 0) {
    agg.excluded.records++;
    if (event.kind === 'decision') agg.excluded.decisions++;
    if (agg.excluded.list.length < MAX_EXCLUDED_LISTED) {
      agg.excluded.list.push({
        writer: String(event.writer),
        epoch: Number(event.epoch),
        seq: Number(event.seq),
        ts: String(event.ts),
        kind: String(event.kind),
        ...(event.kind === 'decision' && typeof event.decisionId === 'string' ? { decisionId: event.decisionId } : {}),
        problems: [...new Set(problems)],
      });
    }
    return;
  }
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
  if (event.shadow === true) countDecision((agg.shadow ??= createAuditAggregate(agg.minScore)), event);
  else countDecision(agg, event);
}

function countDecision(agg: AuditAggregate, event: DecisionAuditEvent): void {
  agg.decisions++;
  if (agg.firstTs === undefined || event.ts < agg.firstTs) agg.firstTs = event.ts;
  if (agg.lastTs === undefined || event.ts > agg.lastTs) agg.lastTs = event.ts;
  const key = effectiveOutcomeKey(event);
  inc(agg.byOutcome, event.outcome);
  inc(agg.byEffectiveOutcome, event.effective?.outcome ?? event.outcome);
  inc(agg.byTarget, key === 'block' ? '(blocked)' : key);
  inc(agg.byStage, event.stage);
  inc(agg.byMode, event.mode);
  for (const r of event.determiningRules ?? []) {
    inc(agg.byDeterminingRule, r);
    let led = agg.ruleOutcomes.get(r);
    if (!led && agg.ruleOutcomes.size < MAX_RULE_OUTCOMES) agg.ruleOutcomes.set(r, (led = new Set()));
    led?.add(key);
  }
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
    const policyKey = `${p.id}\u0000${p.revision}\u0000${p.sha256}`;
    const seen = agg.byPolicy.get(policyKey);
    if (seen) {
      seen.count++;
      if (key === 'block') seen.blocked++;
      if (event.ts < seen.first) seen.first = event.ts;
      if (event.ts > seen.last) seen.last = event.ts;
    } else agg.byPolicy.set(policyKey, { id: p.id, revision: p.revision, sha256: p.sha256, count: 1, blocked: key === 'block' ? 1 : 0, first: event.ts, last: event.ts });
  }
  let samples = agg.samples.get(key);
  if (!samples) agg.samples.set(key, (samples = []));
  if (samples.length < SAMPLE_SIZE) samples.push({ decisionId: event.decisionId, ts: event.ts, ...(event.requestId !== undefined ? { requestId: event.requestId } : {}) });
  const ms = Date.parse(event.ts);
  if (Number.isFinite(ms)) {
    const hour = Math.floor(ms / 3_600_000) * 3_600_000;
    bucket(agg.perHour, hour)[key] = (bucket(agg.perHour, hour)[key] ?? 0) + 1;
    if (agg.perMinute) {
      const minute = bucket(agg.perMinute, Math.floor(ms / 60_000) * 60_000);
      minute[key] = (minute[key] ?? 0) + 1;
      if (agg.perMinute.size > MAX_MINUTE_BUCKETS) agg.perMinute = undefined;
    }
  }
}

export interface WriteAuditReportOptions extends Pick<VerifyAuditLogOptions, 'from' | 'to' | 'publicKey' | 'witness' | 'unsigned' | 'live'> {
  out: string;
  minScore?: number;
  title?: string;
  now?: Date;
  /** How the log was named on the command line, for the commands the report suggests. */
  sourceArg?: string;
  /** Also show the shadow decisions, in a section of their own (they are never counted with the live ones). */
  shadow?: boolean;
}

/** Verifies and aggregates the log in one streaming pass, then writes the self-contained HTML report. */
export async function writeAuditReport(source: AuditLogSource, options: WriteAuditReportOptions): Promise<{ verify: AuditVerifyReport; aggregate: AuditAggregate }> {
  const aggregate = createAuditAggregate(options.minScore ?? DEFAULT_MIN_SCORE);
  const verify = await verifyAuditLog(source, {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.publicKey !== undefined ? { publicKey: options.publicKey } : {}),
    ...(options.witness !== undefined ? { witness: options.witness } : {}),
    ...(options.unsigned ? { unsigned: true } : {}),
    ...(options.live ? { live: true } : {}),
    onRecord: (event, _line, problems) => addToAuditAggregate(aggregate, event, problems),
  });
  const html = renderAuditReportHtml(aggregate, verify, {
    ...(options.title ? { title: options.title } : {}),
    generatedAt: options.now ?? new Date(),
    ...(options.sourceArg !== undefined ? { sourceArg: options.sourceArg } : {}),
    ...(options.shadow ? { shadow: true } : {}),
  });
  const tmp = `${options.out}.tmp-${process.pid}`;
  const stream = createWriteStream(tmp);
  stream.end(html);
  await finished(stream);
  await rename(tmp, options.out);
  return { verify, aggregate };
}

export function renderAuditReportHtml(agg: AuditAggregate, verify: AuditVerifyReport, meta: { title?: string; generatedAt: Date; sourceArg?: string; shadow?: boolean }): string {
  const title = meta.title ?? 'saferoute audit report';
  const errors = verify.findings.filter((f) => f.severity === 'error');
  const warnings = verify.findings.filter((f) => f.severity === 'warning');
  const status = verify.ok ? (warnings.length > 0 ? 'valid, with warnings' : 'valid') : 'problems found';
  const statusClass = verify.ok ? (warnings.length > 0 ? 'warn' : 'ok') : 'bad';
  const keys = [...new Set([...agg.perHour.values()].flatMap((b) => Object.keys(b)))];
  const series = seriesOf(keys);
  const { buckets, unit } = timeBuckets(agg, series.map((x) => x.key));
  const fmt = timeFormatter(unit);
  const blocked = agg.byEffectiveOutcome.get('block') ?? 0;
  const blockedPct = agg.decisions > 0 ? ((blocked / agg.decisions) * 100).toFixed(1) : '0.0';
  const logArg = meta.sourceArg ?? verify.source;

  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  parts.push(`<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>${escapeHtml(title)}</h1><p class="muted">source <code>${escapeHtml(verify.source)}</code> · generated ${escapeHtml(meta.generatedAt.toISOString())}</p></header>`);

  parts.push(`<section id="verification"><h2>Verification</h2>`);
  parts.push(`<p class="status ${statusClass}" id="verification-status">${escapeHtml(status)}</p>`);
  parts.push(`<p class="gloss">${escapeHtml(trustSentence(verify))}</p>`);
  parts.push(
    `<dl class="facts">` +
      fact('records read', verify.counts.records, 'every line of the log read, writer start and stop records included') +
      fact(
        'decisions in range',
        verify.counts.shadowDecisions > 0 ? `${verify.counts.decisions} (${verify.counts.decisions - verify.counts.shadowDecisions} live, ${verify.counts.shadowDecisions} shadow)` : verify.counts.decisions,
        'decision records whose time falls in the range requested',
      ) +
      fact('excluded from the charts', agg.excluded.records, 'records in range that failed verification (listed below); nothing else is counted from them', agg.excluded.records > 0 ? 'bad' : undefined) +
      fact('writers / epochs / segments', `${verify.counts.writers} / ${verify.counts.epochs} / ${verify.counts.segments}`, 'processes that wrote, their runs (a restart is a new epoch), and the files holding them') +
      fact('checkpoints valid / read', `${verify.checkpoints.valid} / ${verify.checkpoints.read}`, 'signed statements of each writer’s last record, read from the log') +
      fact('signatures verified', verify.checkpoints.signaturesVerified, 'checkpoints whose Ed25519 signature was checked with the key given') +
      fact('witness', verify.witness ? `${verify.witness.byCheckpointer.length} writer(s)` : 'none', verify.witness ? `newest checkpoints held outside the log, at ${verify.witness.location}` : 'no copy of the checkpoints outside the log was compared: a log cut back to a checkpoint would look complete') +
      fact('errors / warnings', `${verify.counts.errors} / ${verify.counts.warnings}`, 'problems found; any error makes the log invalid', verify.counts.errors > 0 ? 'bad' : undefined) +
      `</dl><dl class="facts wide">` +
      fact('range requested', rangeText(verify.range.requested), 'the --from / --to given') +
      fact('range covered', rangeText(verify.range.covered), 'first and last record time found in the range') +
      `</dl>`,
  );
  if (agg.excluded.records > 0) {
    parts.push(
      `<h3 id="excluded">Records excluded from the charts (${agg.excluded.records})</h3><p class="gloss">These records are in range but failed verification: the counts and charts below leave them out. Look at each with <code>saferoute audit query ${escapeHtml(logArg)} --all-kinds --decision ID</code> or in its segment.</p>`,
    );
    parts.push(
      table(
        ['writer', 'epoch', 'seq', 'time', 'record', 'why'],
        agg.excluded.list.map((x) => [x.writer, String(x.epoch), String(x.seq), x.ts, x.decisionId ?? `(${x.kind})`, x.problems.join(', ')]),
        ['nowrap', 'num', 'num', 'nowrap', '', ''],
      ),
    );
    if (agg.excluded.records > agg.excluded.list.length) parts.push(`<p class="muted">${agg.excluded.records - agg.excluded.list.length} more not listed.</p>`);
  }
  if (verify.findings.length > 0) {
    parts.push(`<h3>Findings</h3><table class="findings"><thead><tr><th>severity</th><th>code</th><th>where</th><th>what</th></tr></thead><tbody>`);
    for (const f of [...errors, ...warnings].slice(0, 500)) {
      const where = [f.writer, f.epoch !== undefined ? `epoch ${f.epoch}` : '', f.segment !== undefined ? `segment ${f.segment}` : '', f.line !== undefined ? `line ${f.line}` : '', f.seq !== undefined ? `seq ${f.seq}` : '', f.checkpointer ? `checkpoints of ${f.checkpointer}` : '']
        .filter(Boolean)
        .join(' · ');
      parts.push(`<tr class="${f.severity}"><td class="nowrap">${f.severity}</td><td class="nowrap"><code>${f.code}</code></td><td class="where">${escapeHtml(where)}</td><td class="what">${messageHtml(f.message)}</td></tr>`);
    }
    parts.push(`</tbody></table>`);
    if (verify.findings.length > 500) parts.push(`<p class="muted">${verify.findings.length - 500} more findings not shown; run <code>saferoute audit verify --json</code> for all.</p>`);
  }
  parts.push(`<details><summary>Segments (${verify.segments.length})</summary><table><thead><tr><th>writer</th><th>epoch</th><th>segment</th><th>records</th><th>seq</th><th>time</th><th>status</th></tr></thead><tbody>`);
  for (const s of verify.segments.slice(0, 1000)) {
    parts.push(
      `<tr><td class="nowrap">${escapeHtml(s.writer)}</td><td class="num">${s.epoch}</td><td class="num">${s.segment}</td><td class="num">${s.records}</td><td class="nowrap">${s.firstSeq ?? ''}–${s.lastSeq ?? ''}</td><td>${escapeHtml(s.firstTs ?? '')} – ${escapeHtml(s.lastTs ?? '')}</td><td class="nowrap ${s.status === 'valid' ? 'ok' : 'bad'}">${s.status}</td></tr>`,
    );
  }
  parts.push(`</tbody></table></details></section>`);

  parts.push(`<section id="summary"><h2>Decisions</h2><dl class="facts">`);
  parts.push(
    fact('decisions counted', agg.decisions, 'live decisions in range that verified; every chart below counts these') +
      fact(
        'shadow decisions (not counted)',
        agg.shadow?.decisions ?? 0,
        meta.shadow
          ? 'candidate policies’ verdicts recorded beside the live ones, never enforced: left out of every figure here, shown apart below'
          : 'candidate policies’ verdicts recorded beside the live ones, never enforced: left out of every figure (--shadow shows them apart)',
      ) +
      fact('blocked (effective)', `${blocked} (${blockedPct}%)`, 'decisions whose enforced outcome was a block (monitor mode enforces the default route)') +
      fact('with classifier failures', agg.decisionsWithClassifierErrors, 'decisions taken while a classifier failed (they fail closed)') +
      fact('writer starts / stops', `${agg.writerStarts} / ${agg.writerStops}`, 'runs begun and cleanly ended') +
      fact('epochs ended by a crash', agg.crashedEpochs, 'runs whose last line was torn, as the next run found it') +
      fact('records lost (continue mode)', agg.lostRecords, 'decisions released without a durable record, as the writer reported') +
      `</dl><dl class="facts wide">` +
      fact('first decision', agg.firstTs ?? '—', 'time of the earliest decision counted') +
      fact('last decision', agg.lastTs ?? '—', 'time of the latest decision counted'),
  );
  parts.push(`</dl></section>`);

  parts.push(
    `<section id="over-time"><h2>Decisions over time <span class="muted">(per ${unit})</span></h2>` +
      `<p class="gloss">Decisions counted per ${unit}, stacked by what happened: blocked in red, routed in the colour of their target.</p>` +
      stackedColumnsSvg('decisions over time by effective outcome', buckets, series, fmt) +
      `</section>`,
  );
  parts.push(chartSection('by-outcome', 'By outcome (policy verdict)', outcomeItems(agg.byOutcome), 'The policy’s verdict per decision; in monitor mode it may differ from what was enforced.'));
  parts.push(chartSection('by-target', 'By target (effective)', aggregateItems(agg.byTarget, (label) => (label === '(blocked)' ? BLOCK_COLOR : targetColor(label))), 'Where each decision was actually sent; blocked decisions in red.'));
  parts.push(chartSection('by-stage', 'By stage and mode', [...aggregateItems(agg.byStage), ...aggregateItems(agg.byMode).map((i) => ({ ...i, label: `mode: ${i.label}` }))], 'Input (prompt) and output (answer) checks; enforce and monitor mode.'));
  parts.push(
    chartSection(
      'by-rule',
      'By determining rule',
      aggregateItems(agg.byDeterminingRule, (label) => ruleColor(agg.ruleOutcomes.get(label)), 30),
      'Rules that decided (a decision may have several). A rule that only blocked is red, one that only routed to one target has that target’s colour, a mixed one is grey.',
      agg.byDeterminingRule.size > 30 ? `top 30 of ${agg.byDeterminingRule.size}` : undefined,
    ),
  );
  parts.push(chartSection('by-matched-rule', 'By matched rule', aggregateItems(agg.byMatchedRule, undefined, 30), 'Every rule whose condition held, whether or not it decided.'));
  parts.push(chartSection('by-category', `By category (score ≥ ${agg.minScore})`, aggregateItems(agg.byCategory, undefined, 30), `Decisions in which a category scored at least ${agg.minScore} (one decision counts in each such category).`));
  parts.push(
    chartSection(
      'unmet',
      'Unmet requirements',
      aggregateItems(agg.byUnmet, () => CAUTION_COLOR),
      'Age and consent requirements a decision found unmet, per code; the table gives the target that required it.',
      undefined,
      table(['requirement → target', 'decisions'], [...agg.byUnmetTarget].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)]), ['', 'num']),
    ),
  );
  parts.push(chartSection('classifier-failures', 'Classifier failures', aggregateItems(agg.byClassifierError, () => CAUTION_COLOR, 30), 'Classifier errors by classifier and code (each one made its decision fail closed).'));
  parts.push(samplesSection(agg, logArg));
  if (meta.shadow) parts.push(shadowSection(agg.shadow, logArg));
  parts.push(
    `<section id="policies"><h2>Policy revisions</h2><p class="gloss">Each policy revision that decided, by the SHA-256 of the resolved policy (hover for all of it), with the decisions it took.</p>` +
      table(
        ['policy', 'revision', 'sha256', 'decisions', 'first', 'last'],
        [...agg.byPolicy.values()].sort((a, b) => (a.first < b.first ? -1 : 1)).map((p) => [p.id, p.revision, p.sha256, String(p.count), p.first, p.last]),
        ['', 'nowrap', 'hash', 'num', 'nowrap', 'nowrap'],
      ) +
      `</section>`,
  );
  parts.push(`<footer class="muted">Subjects appear only as HMAC pseudonyms and texts as keyed digests unless the policy asked otherwise; this report holds counts and decision ids only.</footer>`);
  parts.push(`</body></html>\n`);
  return parts.join('\n');
}

/** The candidate policies' decisions, apart from the live traffic: per candidate, how many and how many it would have blocked. */
function shadowSection(shadow: AuditAggregate | undefined, logArg: string): string {
  const head = `<section id="shadow"><h2>Shadow decisions <span class="muted">(candidate policies, never enforced)</span></h2>`;
  if (!shadow || shadow.decisions === 0) return `${head}<p class="muted">No shadow decisions in range (a guard or gateway records them only when it is given a \`shadow\` policy).</p></section>`;
  const blocked = shadow.byEffectiveOutcome.get('block') ?? 0;
  return (
    head +
    `<p class="gloss">Each is the verdict a candidate policy would have given on a live decision, recorded with it and linked to it; none of them was enforced and none is counted above. Compare them with the live verdicts through <code>saferoute replay --shadow ${escapeHtml(logArg)}</code>.</p>` +
    `<dl class="facts">` +
    fact('shadow decisions', shadow.decisions, 'verdicts of candidate policies in range that verified') +
    fact('would have blocked', `${blocked} (${((blocked / shadow.decisions) * 100).toFixed(1)}%)`, 'shadow decisions whose outcome under the candidate would have been a block') +
    `</dl>` +
    table(
      ['candidate policy', 'revision', 'sha256', 'decisions', 'would block', 'first', 'last'],
      [...shadow.byPolicy.values()].sort((a, b) => (a.first < b.first ? -1 : 1)).map((p) => [p.id, p.revision, p.sha256, String(p.count), String(p.blocked), p.first, p.last]),
      ['', 'nowrap', 'hash', 'num', 'num', 'nowrap', 'nowrap'],
    ) +
    barChartSvg('shadow decisions by effective outcome', aggregateItems(shadow.byTarget, (label) => (label === '(blocked)' ? BLOCK_COLOR : targetColor(label)))) +
    `</section>`
  );
}

/** What the verdict rests on, in one sentence. */
function trustSentence(verify: AuditVerifyReport): string {
  const signed = verify.checkpoints.signaturesVerified > 0 ? 'checkpoint signatures were verified with the key given' : 'no checkpoint signature was verified (no key given)';
  const witness = verify.witness
    ? `the log was compared with the checkpoints witnessed at ${verify.witness.location}`
    : 'no witness was compared, so a log cut back to one of its own checkpoints would still look complete';
  return `Every record’s hash and chain link was checked; ${signed}; ${witness}.`;
}

function samplesSection(agg: AuditAggregate, logArg: string): string {
  const keys = [...agg.samples.keys()].sort((a, b) => (a === 'block' ? -1 : b === 'block' ? 1 : a < b ? -1 : 1));
  const rows = keys.flatMap((key) =>
    (agg.samples.get(key) ?? []).map((s, i) => {
      const label = key === 'block' ? 'blocked' : `routed → ${key}`;
      return `<tr><td class="nowrap">${i === 0 ? `<span class="swatch" style="background:${outcomeKeyColor(key)}"></span>${escapeHtml(label)}` : ''}</td><td class="nowrap"><code>${escapeHtml(s.decisionId)}</code></td><td class="nowrap">${escapeHtml(s.ts)}</td><td class="id">${s.requestId !== undefined ? escapeHtml(s.requestId) : ''}</td></tr>`;
    }),
  );
  return (
    `<section id="samples"><h2>Sample decisions</h2><p class="gloss">The first decisions of each outcome, to look up with <code>saferoute audit query ${escapeHtml(logArg)} --decision ID --format jsonl</code>.</p>` +
    (rows.length > 0 ? `<table><thead><tr><th>outcome</th><th>decision id</th><th>time</th><th>request id</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p class="muted">none</p>') +
    `</section>`
  );
}

/** One series per effective outcome: blocked first, then the targets by name. */
export function seriesOf(keys: string[]): { key: string; label: string; color: string }[] {
  const targets = keys.filter((k) => k !== 'block').sort();
  return [{ key: 'block', label: 'blocked', color: BLOCK_COLOR }, ...targets.map((t) => ({ key: t, label: `→ ${t}`, color: targetColor(t) }))];
}

export function timeBuckets(agg: AuditAggregate, keys: string[]): { buckets: TimeBucket[]; unit: string } {
  const source = agg.perMinute && agg.perMinute.size > 0 && spanHours(agg) <= 6 ? { map: agg.perMinute, step: 60_000 } : { map: agg.perHour, step: 3_600_000 };
  if (source.map.size === 0) return { buckets: [], unit: 'hour' };
  const times = [...source.map.keys()];
  const min = Math.min(...times);
  const max = Math.max(...times);
  const steps = [source.step, source.step * 5, source.step * 15, source.step * 60, 6 * 3_600_000, 24 * 3_600_000, 7 * 24 * 3_600_000, 30 * 24 * 3_600_000].filter((s) => s >= source.step);
  const step = steps.find((s) => (max - min) / s + 1 <= 90) ?? (steps[steps.length - 1] as number);
  const buckets = new Map<number, TimeBucket>();
  for (let t = Math.floor(min / step) * step; t <= max; t += step) buckets.set(t, { start: t, values: Object.fromEntries(keys.map((k) => [k, 0])) });
  for (const [t, v] of source.map) {
    const b = buckets.get(Math.floor(t / step) * step) as TimeBucket;
    for (const [k, n] of Object.entries(v)) b.values[k] = (b.values[k] ?? 0) + n;
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

export function timeFormatter(unit: string): (ms: number) => string {
  return (ms) => {
    const iso = new Date(ms).toISOString();
    return unit.includes('minute') || unit.includes('hour') ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  };
}

function chartSection(id: string, title: string, data: BarItem[], gloss: string, note?: string, extra = ''): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}${note ? ` <span class="muted">(${escapeHtml(note)})</span>` : ''}</h2><p class="gloss">${escapeHtml(gloss)}</p>${barChartSvg(title, data)}${extra}</section>`;
}

export function outcomeItems(map: Map<string, number>): BarItem[] {
  return aggregateItems(map, (label) => (label === 'block' ? BLOCK_COLOR : ROUTE_COLOR));
}

/** Red for a rule that only blocked, the target's colour for one that only routed there, grey otherwise. */
export function ruleColor(led: Set<string> | undefined): string {
  if (!led || led.size !== 1) return NEUTRAL_COLOR;
  return outcomeKeyColor([...led][0] as string);
}

export function aggregateItems(map: Map<string, number>, color: (label: string) => string = () => NEUTRAL_COLOR, limit = 50): BarItem[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([label, value]) => ({ label, value, color: color(label) }));
}

/** `classes` per column: `num` (right-aligned), `nowrap`, `hash` (shortened, whole in the tooltip), `id`. */
function table(headers: string[], rows: string[][], classes: string[] = []): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const cell = (c: string, i: number): string => {
    const cls = classes[i] ?? '';
    if (cls === 'hash') return `<td class="nowrap"><code title="${escapeHtml(c)}">${escapeHtml(c.slice(0, 12))}…</code></td>`;
    return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(c)}</td>`;
  };
  return (
    `<table><thead><tr>${headers.map((h, i) => `<th${classes[i] === 'num' ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

/** A finding's message with its `quoted` parts (paths, hashes, names) as code, which may break anywhere. */
function messageHtml(message: string): string {
  return message
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

function fact(label: string, value: string | number, gloss: string, cls?: string): string {
  return `<div${cls ? ` class="${cls}"` : ''}><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(String(value))}</dd><p class="gloss">${escapeHtml(gloss)}</p></div>`;
}

function rangeText(range: { from?: string; to?: string }): string {
  if (!range.from && !range.to) return 'everything';
  return `${range.from ?? '…'} – ${range.to ?? '…'}`;
}

function inc(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function bucket(map: Map<number, Record<string, number>>, key: number): Record<string, number> {
  let b = map.get(key);
  if (!b) map.set(key, (b = {}));
  return b;
}

const CSS = `
:root { color-scheme: light; --fg: #1d2733; --muted: #5d6d7e; --line: #d5dbe1; --ok: #1e8449; --warn: #b9770e; --bad: #c0392b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1160px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.muted { color: var(--muted); font-weight: normal; font-size: 13px; }
.gloss { color: var(--muted); font-size: 12.5px; margin: 2px 0 8px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f4f6f8; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.status { display: inline-block; font-weight: 600; font-size: 16px; padding: 6px 14px; border-radius: 4px; color: #fff; margin: 4px 0; }
.status.ok { background: var(--ok); } .status.warn { background: var(--warn); } .status.bad { background: var(--bad); }
td.ok { color: var(--ok); } td.bad { color: var(--bad); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px 16px; margin: 12px 0; }
dl.facts.wide { grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); }
dl.facts div { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; } dl.facts div.bad { border-color: var(--bad); }
dl.facts .gloss { margin: 2px 0 0; }
dt { color: var(--muted); font-size: 12px; } dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { white-space: nowrap; }
th.num, td.num { text-align: right; white-space: nowrap; } td.nowrap { white-space: nowrap; } td.id { overflow-wrap: anywhere; }
td.where { min-width: 9em; } td.what { min-width: 16em; }
tr.error td:first-child { color: var(--bad); font-weight: 600; } tr.warning td:first-child { color: var(--warn); font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .lbl { font: 12px system-ui, sans-serif; fill: var(--fg); } svg .val { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .axis { stroke: #888; } svg .grid { stroke: #eceff2; }
details summary { cursor: pointer; margin: 10px 0; }
footer { margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { body { padding: 12px; } dl.facts { grid-template-columns: 1fr; } }
@media print { body { max-width: none; } details { display: block; } }
`;
