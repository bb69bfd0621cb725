import { basename } from 'node:path';
import { targetColor } from '../../audit/report-colors.js';
import { formatPolicyDiff } from '../../policy-diff/format-policy-diff.js';
import { html, withCode, type Html } from '../html.js';
import { jurisdictionInWords, onUnmetInWords, requirementsInWords, ruleInWords } from '../policy-words.js';
import type { PolicyView } from '../policy-view.js';

export function policiesIndex(tenants: { id: string; policy: { id: string; revision: string } }[]): Html {
  return html`<h1>Policies</h1>
<p class="gloss">The policy each tenant is served with right now.</p>
<ul>${tenants.map((t) => html`<li><a href="/console/policies/${encodeURIComponent(t.id)}">${t.id}</a>: <code>${t.policy.id}@${t.policy.revision}</code></li>`)}</ul>`;
}

/** One tenant's live policy, for people: targets, jurisdictions, rules in words, the change since the previous revision, who signed. */
export function policyPage(v: PolicyView, canEdit: boolean): Html {
  const doc = v.policy.document;
  return html`<h1>Policy of ${v.tenant}: <code>${v.policy.id}@${v.policy.revision}</code></h1>
${doc.description ? html`<p>${doc.description}</p>` : ''}
<dl class="facts" id="policy-facts">
  <div><dt>file</dt><dd><code>${basename(v.file)}</code></dd></div>
  <div><dt>mode</dt><dd>${doc.mode === 'monitor' ? 'monitor (verdicts recorded, the default route enforced)' : 'enforce'}</dd></div>
  <div><dt>default route</dt><dd><code>${doc.defaults.route}</code>; on a classifier error: ${doc.defaults.onClassifierError}</dd></div>
  <div><dt>age floor</dt><dd>${doc.ageFloor ?? 'none'}</dd></div>
  <div><dt>request text in the audit log</dt><dd>${doc.audit.text === 'digest' ? 'a keyed digest only' : doc.audit.text}</dd></div>
  <div><dt>sha256</dt><dd><code>${v.policy.sha256}</code></dd></div>
  <div id="policy-signer"><dt>signed by</dt><dd>${signerText(v)}</dd></div>
</dl>
${canEdit ? html`<div class="actions"><a class="button" href="/console/policies/${encodeURIComponent(v.tenant)}/edit">Edit a copy</a></div>` : ''}
<h2>Targets</h2>
<div class="table-wrap"><table class="stack" id="policy-targets"><thead><tr><th>target</th><th>model</th><th>requires</th><th>when unmet</th></tr></thead><tbody>
${Object.entries(doc.targets).map(
  ([name, t]) =>
    html`<tr><td data-label="target"><svg class="swatch" width="11" height="11" aria-hidden="true"><rect width="11" height="11" fill="${targetColor(name)}"/></svg><code>${name}</code>${t.description ? html`<br><span class="muted">${t.description}</span>` : ''}</td><td data-label="model">${t.provider} <code>${t.model}</code></td><td data-label="requires">${withCode(requirementsInWords(t.requirements))}</td><td data-label="when unmet">${withCode(onUnmetInWords(t))}</td></tr>`,
)}
</tbody></table></div>
<h2>Jurisdictions</h2>
<div class="table-wrap"><table class="stack" id="policy-jurisdictions"><thead><tr><th>region</th><th>rule</th><th>note</th></tr></thead><tbody>
${Object.entries(doc.jurisdictions).map(([code, j]) => html`<tr><td data-label="region"><code>${code}</code>${code === '*' ? html` <span class="muted">(everywhere else)</span>` : ''}</td><td data-label="rule">${withCode(jurisdictionInWords(j))}</td><td data-label="note">${j.note ?? ''}</td></tr>`)}
</tbody></table></div>
<h2>Rules</h2>
<ol id="policy-rules">${doc.rules.map((r) => html`<li data-rule="${r.id}"><strong><code>${r.id}</code></strong> — ${withCode(ruleInWords(r))}${r.description ? html`<br><span class="muted">${r.description}</span>` : ''}${r.warnings.length > 0 ? html`<br><span class="muted">warnings: ${r.warnings.join(', ')}</span>` : ''}</li>`)}</ol>
<p class="muted">When no rule routes, requests go to <code>${doc.defaults.route}</code>; a block outranks any route, and of the routes the highest precedence wins.</p>
<h2>Since the previous revision</h2>
${'none' in v.previous ? html`<p class="muted" id="policy-diff">No diff: ${v.previous.none}.</p>` : html`<p>Compared with <code>${v.previous.policy.revision}</code> (archived with the log): ${v.previous.diff.summary.changes} change(s), ${v.previous.diff.summary.stricter} stricter, ${v.previous.diff.summary.looser} looser.</p><pre id="policy-diff">${formatPolicyDiff(v.previous.diff)}</pre>`}
${v.saved.length > 0 ? html`<h2>Saved revisions not yet served</h2><ul id="saved-revisions">${v.saved.map((s) => html`<li><code>${basename(s.file)}</code> ${s.signed ? '(signed)' : '(not signed)'}</li>`)}</ul><p class="muted">Point the tenant’s <code>policy</code> in the gateway config at one to serve it; the gateway reloads on the change.</p>` : ''}`;
}

function signerText(v: PolicyView): string {
  const s = v.signature;
  switch (s.state) {
    case 'verified':
      return `${s.signedBy.signer} (key ${s.signedBy.keyId}) at ${s.signedBy.signedAt}, verified against the trusted keys when it was loaded`;
    case 'signed':
      return s.matches
        ? `${s.signature.signer} (key ${s.signature.keyId}) at ${s.signature.signedAt}; not checked against trusted keys (the gateway does not require signed policies)`
        : `a signature by ${s.signature.signer} is beside it, but for another version: the policy changed after it was signed`;
    case 'unsigned':
      return 'nobody: no signature file beside it';
    case 'malformed':
      return `the signature file cannot be used: ${s.message}`;
  }
}
