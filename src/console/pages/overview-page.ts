import { aggregateItems, outcomeItems, ruleColor, seriesOf, timeBuckets, timeFormatter, type AuditAggregate } from '../../audit/audit-report.js';
import { BLOCK_COLOR, CAUTION_COLOR, targetColor } from '../../audit/report-colors.js';
import { barChartSvg, stackedColumnsSvg, type BarItem } from '../../audit/svg-charts.js';
import { html, raw, type Html } from '../html.js';

/**
 * The figures of the auditor's HTML report (`saferoute audit report`), from the same aggregate and
 * with the same fixed colours: blocked is red, each target keeps its colour, caution is amber.
 */
export function overviewPage(agg: AuditAggregate | undefined, scope: string): Html {
  if (!agg) return html`<h1>Overview</h1><p>No figures: the audit log could not be read (see above).</p>`;
  const keys = [...new Set([...agg.perHour.values()].flatMap((b) => Object.keys(b)))];
  const series = seriesOf(keys);
  const { buckets, unit } = timeBuckets(agg, series.map((s) => s.key));
  const blocked = agg.byEffectiveOutcome.get('block') ?? 0;
  const pct = agg.decisions > 0 ? ((blocked / agg.decisions) * 100).toFixed(1) : '0.0';
  return html`<h1>Overview</h1>
<p class="gloss">${scope}. Records that failed verification are left out of every figure (${agg.excluded.records} here), and so are shadow decisions: a candidate policy's verdict recorded beside a live one, never enforced (${agg.shadow?.decisions ?? 0} here; the Decisions page lists them, marked).</p>
<dl class="facts" id="overview-facts">
  <div><dt>decisions (live)</dt><dd>${agg.decisions}</dd></div>
  <div><dt>blocked (enforced)</dt><dd>${blocked} (${pct}%)</dd></div>
  <div><dt>shadow decisions (not counted)</dt><dd>${agg.shadow?.decisions ?? 0}</dd></div>
  <div><dt>with classifier failures</dt><dd>${agg.decisionsWithClassifierErrors}</dd></div>
  <div><dt>first · last decision</dt><dd>${agg.firstTs ?? '—'} · ${agg.lastTs ?? '—'}</dd></div>
</dl>
<section aria-labelledby="h-time"><h2 id="h-time">Decisions over time <span class="muted">(per ${unit})</span></h2>
<p class="gloss">Stacked by what happened: blocked in red, routed in the colour of its target.</p>
${raw(stackedColumnsSvg('decisions over time by outcome and target', buckets, series, timeFormatter(unit), { width: 1200 }))}</section>
<div class="grid2">
${chart('h-outcome', 'By outcome (policy verdict)', outcomeItems(agg.byOutcome), 'The policy’s verdict; in monitor mode it may differ from what was enforced.')}
${chart('h-target', 'By target (enforced)', aggregateItems(agg.byTarget, (l) => (l === '(blocked)' ? BLOCK_COLOR : targetColor(l))), 'Where each decision was sent; blocked in red.')}
${chart('h-rules', 'Top determining rules', aggregateItems(agg.byDeterminingRule, (l) => ruleColor(agg.ruleOutcomes.get(l)), 15), 'A rule that only blocked is red, one that only routed to one target has its colour, a mixed one is grey.')}
${chart('h-unmet', 'Unmet requirements by code', aggregateItems(agg.byUnmet, () => CAUTION_COLOR), 'Age and consent requirements found unmet.')}
${chart('h-classifier', 'Classifier errors', aggregateItems(agg.byClassifierError, () => CAUTION_COLOR, 15), 'By classifier and code; each made its decision fail closed.')}
${chart('h-category', `By category (score ≥ ${agg.minScore})`, aggregateItems(agg.byCategory, undefined, 15), 'Decisions in which a category scored at least this much.')}
</div>
<h2>Policy revisions that decided</h2>
<div class="table-wrap"><table class="stack"><thead><tr><th>policy</th><th>revision</th><th>sha256</th><th class="num">decisions</th><th>first</th><th>last</th></tr></thead><tbody>
${[...agg.byPolicy.values()].map((p) => html`<tr><td data-label="policy">${p.id}</td><td data-label="revision">${p.revision}</td><td data-label="sha256"><code title="${p.sha256}">${p.sha256.slice(0, 12)}…</code></td><td data-label="decisions" class="num">${p.count}</td><td data-label="first">${p.first}</td><td data-label="last">${p.last}</td></tr>`)}
</tbody></table></div>`;
}

function chart(id: string, title: string, items: BarItem[], gloss: string): Html {
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2><p class="gloss">${gloss}</p>${raw(barChartSvg(title, items, { width: 600 }))}</section>`;
}
