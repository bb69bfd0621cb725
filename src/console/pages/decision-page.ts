import type { DecisionExplanation } from '../../audit/explain-decision.js';
import { describeCondition, describeFacts, describeRequirements } from '../../cli/format/facts-format.js';
import { html, type Html } from '../html.js';
import { outcomeCell, targetCell } from './decisions-page.js';

/**
 * One decision as `saferoute audit show` explains it: facts, the archived policy's determining
 * rules with the values their conditions saw, the requirements. The request's text appears only
 * when the deciding policy's `audit.text` kept it (`redacted` or `full`); a digest is never shown.
 */
export function decisionPage(e: DecisionExplanation): Html {
  const r = e.record;
  const others = r.matchedRules.filter((id) => !r.determiningRules.includes(id));
  return html`<h1>Decision <code>${r.decisionId}</code></h1>
<p><a href="/console/decisions">← all decisions</a></p>
${r.shadow ? html`<p class="bad-note">A shadow decision of ${r.shadowOf ?? '?'}: a candidate policy's verdict, never enforced.</p>` : ''}
<dl class="facts" id="decision-summary">
  <div><dt>outcome</dt><dd>${outcomeCell(r)}</dd></div>
  <div><dt>target</dt><dd>${targetCell(r.target)}</dd></div>
  <div><dt>stage · mode</dt><dd>${r.stage} · ${r.mode}</dd></div>
  <div><dt>decided at (UTC)</dt><dd>${r.decidedAt}</dd></div>
  <div><dt>policy</dt><dd>${r.policy.id}@${r.policy.revision}</dd></div>
  <div><dt>policy sha256</dt><dd><code>${r.policy.sha256}</code></dd></div>
  <div><dt>signed by</dt><dd>${r.policy.signedBy ? `${r.policy.signedBy.signer} (key ${r.policy.signedBy.keyId}) at ${r.policy.signedBy.signedAt}` : 'not recorded (the policy was not loaded under requireSignedPolicies)'}</dd></div>
  <div><dt>writer · sequence</dt><dd>${r.writer} #${r.seq}</dd></div>
  ${r.requestId ? html`<div><dt>request id</dt><dd><code>${r.requestId}</code></dd></div>` : ''}
  ${r.subject ? html`<div><dt>subject (pseudonym)</dt><dd><code>${r.subject.pseudonym.slice(0, 16)}…</code></dd></div>` : ''}
</dl>
${archiveNote(e)}
<h2>Determining rules</h2>
${r.determiningRules.length === 0 ? html`<p>None: the policy's default route decided.</p>` : ''}
${r.determiningRules.map((id) => ruleBlock(e, id))}
${others.length > 0 ? html`<p>Matched, not determining: ${others.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${id}</code>`)}</p>` : ''}
${
  e.requirements
    ? html`<h2>Requirements of <code>${e.requirements.target}</code></h2><p>Jurisdiction row <code>${e.requirements.jurisdictionRow}</code>: ${describeRequirements(e.requirements.effective)}</p>`
    : ''
}
${r.unmet.length > 0 ? html`<h3>Unmet</h3><ul>${r.unmet.map((u) => html`<li><code>${u.code}</code> for <code>${u.target}</code>${u.scope ? html` (scope <code>${u.scope}</code>)` : ''}</li>`)}</ul>` : ''}
${r.warnings.length > 0 ? html`<p>Warnings: ${r.warnings.join(', ')}</p>` : ''}
${r.classifierErrors.length > 0 ? html`<p class="bad-note">Classifier errors: ${r.classifierErrors.map((c) => `${c.classifier}: ${c.code}`).join(', ')}</p>` : ''}
<h2>Facts</h2>
${r.facts ? html`<ul id="decision-facts">${describeFacts(r.facts).map((line) => html`<li>${line}</li>`)}</ul>` : html`<p>None: recorded before decision facts existed. Scores: <code>${JSON.stringify(r.scores)}</code></p>`}
${e.consistent === false ? html`<p class="bad-note">Deciding again from these facts under the archived policy gives another verdict; the record may have been made with a classifier failure the facts do not show.</p>` : ''}
<h2>Text</h2>
${textOf(e)}`;
}

function archiveNote(e: DecisionExplanation): Html {
  if (e.archive.found) return html`<p class="ok-note">The rules below are read from the policy archived with the log under this SHA-256, not from today's policy file.</p>`;
  const why = e.archive.reason === 'missing' ? 'is not in the archive' : e.archive.reason === 'digest_mismatch' ? 'does not hash to the SHA-256 the record names: it was altered' : 'cannot be read';
  return html`<p class="bad-note">The deciding policy ${why} (${e.archive.where}); only the rule ids the record names are shown.</p>`;
}

function ruleBlock(e: DecisionExplanation, id: string): Html {
  const rule = e.determining.find((x) => x.id === id);
  if (!rule) return html`<h3><code>${id}</code></h3>`;
  const trace = e.trace?.find((t) => t.rule === id);
  return html`<div class="card rule" data-rule="${id}"><h3><code>${id}</code></h3><p>${rule.description}</p>
<p><strong>when</strong> <code>${describeCondition(rule.when)}</code><br><strong>effect</strong> <code>${JSON.stringify(rule.effect)}</code></p>
${trace && trace.conditions.length > 0 ? html`<table><thead><tr><th>condition</th><th>value seen</th><th>held</th></tr></thead><tbody>${trace.conditions.map((c) => html`<tr><td><code>${c.condition}</code></td><td>${c.observed}</td><td class="${c.result ? 'rule-true' : 'rule-false'}">${c.result ? 'yes' : 'no'}</td></tr>`)}</tbody></table>` : ''}
</div>`;
}

function textOf(e: DecisionExplanation): Html {
  const t = e.record.text;
  if (!t) return html`<p class="muted">Not kept.</p>`;
  if (t.mode === 'digest') return html`<p class="muted">Only a keyed digest was kept (the policy's <code>audit.text</code> is <code>digest</code>): the text cannot be shown.</p>`;
  return html`<p class="muted">Kept by the policy's <code>audit.text: ${t.mode}</code>.</p><pre id="decision-text">${t.value}</pre>`;
}
