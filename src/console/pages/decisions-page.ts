import type { DecisionAuditEvent } from '../../audit/audit-event.js';
import { BLOCK_COLOR, targetColor } from '../../audit/report-colors.js';
import type { DecisionFilter, DecisionList } from '../decision-list.js';
import { tenantOf } from '../decision-list.js';
import { html, type Html } from '../html.js';

export const DECISION_PAGE_LIMIT = 200;

/** The filter form (GET, so a filtered view is a link) and the newest matching decisions. */
export function decisionsPage(filter: DecisionFilter, list: DecisionList | undefined, error: string | undefined, showTenant: boolean): Html {
  const option = (value: string, label: string, selected: string | undefined): Html => html`<option value="${value}"${selected === value ? ' selected' : ''}>${label}</option>`;
  return html`<h1>Decisions</h1>
<p class="gloss">Recorded decisions, newest first. A row marked <span class="shadow-tag">shadow</span> is a candidate policy's verdict recorded beside the live decision it links to: never enforced, and not counted on the Overview. The subject id you type is turned into its pseudonym with the audit key before it is compared; it is neither stored nor shown.</p>
<form class="filters" method="get" action="/console/decisions" role="search" aria-label="Filter decisions">
  <div><label for="f-from">From (UTC)</label><input id="f-from" name="from" type="text" placeholder="2026-12-01 or 2026-12-01T08:00Z" value="${filter.from ?? ''}"></div>
  <div><label for="f-to">To (UTC)</label><input id="f-to" name="to" type="text" placeholder="2026-12-05T18:00Z" value="${filter.to ?? ''}"></div>
  <div><label for="f-outcome">Outcome</label><select id="f-outcome" name="outcome">${option('', 'any', filter.outcome ?? '')}${option('block', 'block', filter.outcome)}${option('route', 'route', filter.outcome)}</select></div>
  <div><label for="f-target">Target</label><input id="f-target" name="target" type="text" list="known-targets" value="${filter.target ?? ''}"></div>
  <div><label for="f-rule">Rule</label><input id="f-rule" name="rule" type="text" list="known-rules" value="${filter.rule ?? ''}"></div>
  ${showTenant ? html`<div><label for="f-tenant">Tenant</label><input id="f-tenant" name="tenant" type="text" list="known-tenants" value="${filter.tenant ?? ''}"></div>` : ''}
  <div><label for="f-shadow">Shadow decisions</label><select id="f-shadow" name="shadow">${option('', 'shown, marked', filter.shadow ?? '')}${option('exclude', 'hidden', filter.shadow)}${option('only', 'only these', filter.shadow)}</select></div>
  <div><label for="f-subject">Subject id</label><input id="f-subject" name="subject" type="text" autocomplete="off" value="${filter.subjectId ?? ''}"></div>
  <div class="actions"><button type="submit">Filter</button><a class="button secondary" href="/console/decisions">Clear</a></div>
</form>
<datalist id="known-targets">${(list?.seen.targets ?? []).map((t) => html`<option value="${t}">`)}</datalist>
<datalist id="known-rules">${(list?.seen.rules ?? []).map((t) => html`<option value="${t}">`)}</datalist>
<datalist id="known-tenants">${(list?.seen.tenants ?? []).map((t) => html`<option value="${t}">`)}</datalist>
${error ? html`<p class="bad-note" role="alert">${error}</p>` : ''}
${list ? results(list, showTenant) : ''}`;
}

function results(list: DecisionList, showTenant: boolean): Html {
  if (list.matched === 0) return html`<p id="decision-count">No decision matches.</p>`;
  const split = list.shadowMatched > 0 ? ` (${list.matched - list.shadowMatched} live, ${list.shadowMatched} shadow)` : '';
  return html`<p id="decision-count">${list.matched} matching decision${list.matched === 1 ? '' : 's'}${split}${list.matched > list.rows.length ? `; the newest ${list.rows.length} shown` : ''}.</p>
<div class="table-wrap"><table class="stack" id="decisions"><thead><tr><th>time (UTC)</th><th>stage</th><th>outcome</th><th>target</th><th>determining rules</th>${showTenant ? html`<th>tenant</th>` : ''}<th>policy</th><th>decision</th></tr></thead><tbody>
${list.rows.map((d) => row(d, showTenant))}
</tbody></table></div>`;
}

export function outcomeCell(d: DecisionAuditEvent): Html {
  const enforced = d.effective.outcome !== d.outcome ? html` <span class="muted">(enforced: ${d.effective.outcome}${d.effective.target ? ` → ${d.effective.target}` : ''}, ${d.mode})</span>` : '';
  return d.outcome === 'block'
    ? html`<span class="outcome-block"><svg class="swatch" width="11" height="11" aria-hidden="true"><rect width="11" height="11" fill="${BLOCK_COLOR}"/></svg>block</span>${d.reason ? html` <span class="muted">${d.reason}</span>` : ''}${enforced}`
    : html`<span class="outcome-route">route</span>${enforced}`;
}

export function targetCell(target: string | undefined): Html {
  if (!target) return html`<span class="muted">—</span>`;
  return html`<svg class="swatch" width="11" height="11" aria-hidden="true"><rect width="11" height="11" fill="${targetColor(target)}"/></svg>${target}`;
}

function row(d: DecisionAuditEvent, showTenant: boolean): Html {
  const shadow =
    d.shadow === true
      ? html`<span class="shadow-tag" title="a candidate policy's verdict, never enforced">shadow</span>${d.shadowOf ? html`<span class="muted">of <a href="/console/decisions/${encodeURIComponent(d.shadowOf)}">${d.shadowOf.slice(0, 8)}…</a></span> ` : ''}`
      : '';
  return html`<tr${d.shadow === true ? html` class="shadow"` : ''}>
<td data-label="time" class="nowrap">${d.decidedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</td>
<td data-label="stage">${d.stage}</td>
<td data-label="outcome">${shadow}${outcomeCell(d)}</td>
<td data-label="target">${targetCell(d.target)}</td>
<td data-label="rules">${d.determiningRules.length > 0 ? d.determiningRules.map((r, i) => html`${i > 0 ? ', ' : ''}<code>${r}</code>`) : html`<span class="muted">default route</span>`}</td>
${showTenant ? html`<td data-label="tenant">${tenantOf(d) ?? '?'}</td>` : ''}
<td data-label="policy">${d.policy.id}@${d.policy.revision}</td>
<td data-label="decision"><a href="/console/decisions/${encodeURIComponent(d.decisionId)}">${d.decisionId.slice(0, 8)}…<span class="muted"> details</span></a></td>
</tr>`;
}
