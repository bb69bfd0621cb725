import { BLOCK_COLOR, CAUTION_COLOR, NEUTRAL_COLOR, targetColor } from '../../audit/report-colors.js';
import type { Decision } from '../../decision/decision.js';
import { AGE_METHODS, ASSURANCE_LEVELS } from '../../subjects/subject-context.js';
import { html, type Html } from '../html.js';
import type { PlaygroundForm } from '../playground-input.js';

/**
 * The playground: a prompt and a described subject, decided by the tenant's live policy with every
 * rule traced. Nothing here is recorded in the audit log: it is a question about the policy, not a request.
 */
export function playgroundPage(form: PlaygroundForm, tenants: string[], csrf: string, result?: { decision: Decision } | { problems: string[] }): Html {
  const opt = (value: string, selected: string, label = value): Html => html`<option value="${value}"${value === selected ? ' selected' : ''}>${label}</option>`;
  return html`<h1>Playground</h1>
<p class="gloss">Ask the live policy of a tenant what it would decide for a text and a subject you describe. Every rule is shown with the value it saw. Nothing here is recorded in the audit log.</p>
<div class="grid2">
<form method="post" action="/console/playground" class="card" id="playground-form">
  <input type="hidden" name="csrf" value="${csrf}">
  <div class="grid2">
    <div><label for="p-tenant">Tenant</label><select id="p-tenant" name="tenant">${tenants.map((t) => opt(t, form.tenant))}</select></div>
    <div><label for="p-stage">Stage</label><select id="p-stage" name="stage">${opt('input', form.stage, 'input (a prompt)')}${opt('output', form.stage, 'output (an answer)')}</select></div>
  </div>
  <label for="p-text">Text</label>
  <textarea id="p-text" name="text" class="prompt" required>${form.text}</textarea>
  <fieldset><legend>Subject</legend>
  <div class="grid2">
    <div><label for="p-jurisdiction">Jurisdiction</label><input id="p-jurisdiction" name="jurisdiction" type="text" placeholder="GB, US-UT" value="${form.jurisdiction}"></div>
    <div><label for="p-age">Verified age over</label><input id="p-age" name="ageOver" type="number" min="1" max="120" placeholder="none" value="${form.ageOver}"></div>
    <div><label for="p-level">Assurance level</label><select id="p-level" name="ageLevel">${ASSURANCE_LEVELS.map((l) => opt(l, form.ageLevel))}</select></div>
    <div><label for="p-method">Verified by</label><select id="p-method" name="ageMethod">${AGE_METHODS.map((m) => opt(m, form.ageMethod))}</select></div>
  </div>
  <label for="p-consents">Consents given (scope@version, comma separated)</label><input id="p-consents" name="consents" type="text" placeholder="adult-content@2.0.0" value="${form.consents}">
  </fieldset>
  <div class="actions"><button type="submit">Decide</button></div>
</form>
<div id="playground-result" aria-live="polite">${result ? ('problems' in result ? html`<ul class="problems" role="alert">${result.problems.map((p) => html`<li>${p}</li>`)}</ul>` : decisionPanel(result.decision, form.text)) : html`<p class="muted">The decision appears here.</p>`}</div>
</div>`;
}

function decisionPanel(d: Decision, text: string): Html {
  const verdict = d.outcome === 'block' ? `block${d.reason ? ` (${d.reason})` : ''}` : `route → ${d.target ?? '?'}`;
  const colour = d.outcome === 'block' ? BLOCK_COLOR : targetColor(d.target ?? '');
  const scores = Object.entries(d.scores)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .sort((a, b) => b[1] - a[1]);
  return html`<h2>Decision</h2>
<p id="playground-verdict" class="${d.outcome === 'block' ? 'bad-note' : 'ok-note'}"><svg class="swatch" width="11" height="11" aria-hidden="true"><rect width="11" height="11" fill="${colour}"/></svg><strong>${verdict}</strong>${d.mode === 'monitor' ? ` — monitor mode, enforced: ${d.effective.outcome}${d.effective.target ? ` → ${d.effective.target}` : ''}` : ''}${d.message ? html`<br>Message: “${d.message}”` : ''}</p>
<p>Determining: ${d.determiningRules.length > 0 ? d.determiningRules.map((r, i) => html`${i > 0 ? ', ' : ''}<code>${r}</code>`) : 'the default route'}${d.warnings.length > 0 ? html`; warnings: ${d.warnings.join(', ')}` : ''}</p>
${d.unmet.length > 0 ? html`<h3>Unmet requirements</h3><ul id="playground-unmet">${d.unmet.map((u) => html`<li><code>${u.code}</code> for <code>${u.target}</code>: ${u.detail}</li>`)}</ul>` : ''}
${d.classifierErrors.length > 0 ? html`<p class="bad-note">Classifier errors: ${d.classifierErrors.map((e) => `${e.classifier}: ${e.code}`).join(', ')}</p>` : ''}
<h3>Text, with the evidence marked</h3>
<pre id="playground-text">${highlight(text, d)}</pre>
<h3>Scores</h3>
<table class="bars" id="playground-scores"><thead><tr><th>category</th><th>score</th><th class="num">value</th></tr></thead><tbody>
${scores.map(([cat, v]) => html`<tr><td>${cat}</td><td><svg width="180" height="12" role="img" aria-label="${cat} ${v.toFixed(3)}"><rect width="180" height="12" fill="#eceff2"/><rect width="${Math.round(v * 180)}" height="12" fill="${v >= 0.5 ? CAUTION_COLOR : NEUTRAL_COLOR}"/></svg></td><td class="num">${v.toFixed(3)}</td></tr>`)}
</tbody></table>
<h3>Every rule</h3>
<div class="table-wrap"><table class="stack" id="playground-trace"><thead><tr><th>rule</th><th>condition</th><th>value seen</th><th>held</th></tr></thead><tbody>
${(d.trace ?? []).flatMap((t) =>
  t.skipped
    ? [html`<tr><td data-label="rule"><code>${t.rule}</code></td><td data-label="condition" colspan="3" class="muted">not evaluated at this stage</td></tr>`]
    : t.conditions.map((c, i) => html`<tr data-rule="${t.rule}"><td data-label="rule">${i === 0 ? html`<code>${t.rule}</code> ${t.matched ? html`<strong class="rule-true">matched</strong>` : html`<span class="rule-false">no match</span>`}` : ''}</td><td data-label="condition"><code>${c.condition}</code></td><td data-label="value seen">${c.observed}</td><td data-label="held" class="${c.result ? 'rule-true' : 'rule-false'}">${c.result ? 'yes' : 'no'}</td></tr>`),
)}
</tbody></table></div>`;
}

/** The text with each evidence span (merged where they overlap) in <mark>, titled with its categories. */
function highlight(text: string, d: Decision): Html {
  const spans = d.evidence.filter((e) => e.start >= 0 && e.end <= text.length && e.end > e.start).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number; what: Set<string> }[] = [];
  for (const e of spans) {
    const last = merged[merged.length - 1];
    if (last && e.start < last.end) {
      last.end = Math.max(last.end, e.end);
      last.what.add(e.category);
    } else merged.push({ start: e.start, end: e.end, what: new Set([e.category]) });
  }
  const parts: Html[] = [];
  let at = 0;
  for (const m of merged) {
    parts.push(html`${text.slice(at, m.start)}<mark title="${[...m.what].join(', ')}">${text.slice(m.start, m.end)}</mark>`);
    at = m.end;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}
