import { basename } from 'node:path';
import { formatPolicyDiff } from '../../policy-diff/format-policy-diff.js';
import type { ReplaySummary } from '../../replay/replay-summary.js';
import { html, withCode, type Html } from '../html.js';
import type { DraftCheck, DraftTests, SavedRevision } from '../policy-draft.js';

export interface EditorState {
  tenant: string;
  liveFile: string;
  live: { id: string; revision: string };
  text: string;
  csrf: string;
  check?: DraftCheck;
  tests?: DraftTests;
  replay?: { summary: ReplaySummary; since: Date } | { error: string };
  saved?: SavedRevision;
  canSave: { ok: true; signer: string } | { ok: false; why: string };
}

/**
 * The draft editor: a copy of the live policy in a textarea, checked as you type (problems at
 * their line and column, as `saferoute validate` prints them), and four plain form actions that
 * also work without the script: check, run the tests, replay recent traffic, save a signed revision.
 */
export function editorPage(s: EditorState): Html {
  const base = `/console/policies/${encodeURIComponent(s.tenant)}`;
  return html`<h1>Draft of ${s.tenant}’s policy</h1>
<p class="gloss">A copy of <code>${basename(s.liveFile)}</code> (<code>${s.live.id}@${s.live.revision}</code>). The live file is never changed: saving writes a new revision file beside it, signed, for an operator to serve.</p>
<div class="editor">
<form method="post" action="${base}/draft" id="draft-form">
  <input type="hidden" name="csrf" value="${s.csrf}">
  <label for="policy-text">Policy JSON</label>
  <textarea id="policy-text" class="code" name="text" spellcheck="false" autocapitalize="off" autocomplete="off" data-validate-url="${base}/validate" aria-describedby="live-problems">${s.text}</textarea>
  <div class="actions">
    <button type="submit" name="action" value="check" class="secondary">Check</button>
    <button type="submit" name="action" value="test" class="secondary">Run tests</button>
    <button type="submit" name="action" value="replay" class="secondary">Replay recent traffic</button>
    <button type="submit" name="action" value="save"${s.canSave.ok ? '' : ' disabled'}>Save signed revision</button>
  </div>
  ${s.canSave.ok ? html`<p class="muted">Saved revisions are signed as ${s.canSave.signer}.</p>` : html`<p class="muted">${withCode(s.canSave.why)}</p>`}
</form>
<div>
  <h2>Problems</h2>
  <div id="live-problems" aria-live="polite">${s.check ? checkPanel(s.check) : html`<p class="muted">Checked as you type.</p>`}</div>
  ${s.check?.diff && !s.check.diff.equal ? html`<h2>Changes from the live policy</h2><pre id="draft-diff">${formatPolicyDiff(s.check.diff)}</pre>` : ''}
  ${s.saved ? savedPanel(s.saved) : ''}
  ${s.tests ? testsPanel(s.tests) : ''}
  ${s.replay ? replayPanel(s.replay) : ''}
</div>
</div>`;
}

function checkPanel(c: DraftCheck): Html {
  return html`<p id="live-status" class="${c.ok ? 'ok-note' : 'bad-note'}">${c.summary}</p>
${
  c.problems.length > 0
    ? html`<ul class="problems">${c.problems.map(
        (p) => html`<li class="${p.severity}" data-line="${p.line}">${p.line > 0 ? html`<button type="button" data-jump-line="${p.line}" data-jump-column="${p.column}">line ${p.line}, column ${p.column}</button> ` : ''}<code>${p.text}</code></li>`,
      )}</ul>`
    : ''
}`;
}

function savedPanel(s: SavedRevision): Html {
  if (!s.ok) return html`<section id="save-result"><h2>Not saved</h2><p class="bad-note" role="alert">${withCode(s.message)}</p></section>`;
  return html`<section id="save-result"><h2>Saved</h2><p class="ok-note">Wrote <code>${basename(s.file)}</code> and its signature <code>${basename(s.signatureFile)}</code>: ${s.signature.policy.id}@${s.signature.policy.revision}, sha256 <code>${s.signature.policy.sha256}</code>, signed by ${s.signature.signer} (key ${s.signature.keyId}).</p>
<p class="muted">To serve it, point the tenant’s <code>policy</code> in the gateway config at <code>${basename(s.file)}</code>; the gateway reloads on the change.</p></section>`;
}

function testsPanel(t: DraftTests): Html {
  if (!t.ok) return html`<section id="test-results"><h2>Tests</h2><p class="bad-note">The tests in <code>${basename(t.file)}</code> cannot run against this draft:</p><ul class="problems">${t.problems.map((p) => html`<li><code>${p}</code></li>`)}</ul></section>`;
  const r = t.report;
  const failed = r.results.filter((x) => !x.passed);
  return html`<section id="test-results"><h2>Tests</h2>
<p class="${r.failed === 0 ? 'ok-note' : 'bad-note'}" id="test-summary">${r.passed} passed, ${r.failed} failed (<code>${basename(t.file)}</code>)</p>
${failed.length > 0 ? html`<ul class="problems">${failed.map((f) => html`<li><strong>${f.name}</strong>: ${f.diffs.map((d) => html`<br>${d.field}: expected <code>${JSON.stringify(d.expected)}</code>, got <code>${JSON.stringify(d.actual)}</code>`)}</li>`)}</ul>` : ''}
${r.coverage.rules.uncovered.length > 0 ? html`<p class="muted">Rules no test reaches: ${r.coverage.rules.uncovered.join(', ')}</p>` : ''}
</section>`;
}

function replayPanel(r: { summary: ReplaySummary; since: Date } | { error: string }): Html {
  if ('error' in r) return html`<section id="replay-results"><h2>Replay</h2><p class="bad-note">${withCode(r.error)}</p></section>`;
  const s = r.summary;
  return html`<section id="replay-results"><h2>Replay of recent traffic</h2>
<p id="replay-summary">${s.records} recorded decision(s) since ${r.since.toISOString()}: ${s.fromFacts + s.fromText} decided again, <strong>${s.changed} would change</strong>.</p>
<div class="table-wrap"><table class="stack" id="replay-transitions"><thead><tr><th>recorded</th><th>under the draft</th><th class="num">decisions</th><th>rules before → now</th></tr></thead><tbody>
${s.transitions.map(
  (t) => html`<tr${t.from !== t.to ? html` class="changed"` : ''}><td data-label="recorded">${t.from}</td><td data-label="draft">${t.to}${t.from !== t.to ? html` <strong>(changed)</strong>` : ''}</td><td data-label="decisions" class="num">${t.count}</td><td data-label="rules">${t.from === t.to ? html`<span class="muted">unchanged</span>` : `${rulesText(t.was)} → ${rulesText(t.now)}`}</td></tr>`,
)}
</tbody></table></div>
${s.unreplayed.length > 0 ? html`<h3>Not decided again</h3><ul>${s.unreplayed.map((u) => html`<li>${u.count} × ${withCode(u.note)}</li>`)}</ul>` : ''}
</section>`;
}

/** `block-jailbreak ×3, pii-to-private ×1`; `the default route` when no rule decided. */
function rulesText(rules: [string, number][]): string {
  return rules.map(([id, n]) => `${id} ×${n}`).join(', ') || 'the default route';
}
