/**
 * The console's only stylesheet and script, served from the gateway itself (`/console/assets/…`):
 * no build step, no CDN, nothing inline, so the CSP can be `default-src 'self'`.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --fg: #1d2733; --muted: #4f5d6b; --line: #d5dbe1; --bg: #ffffff; --panel: #f5f7f9; --ok: #1e7a43; --warn: #8a5a00; --bad: #b03a2e; --link: #1458a6; --focus: #0b63ce; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: 8px; z-index: 10; }
.skip:focus { left: 8px; }
header.top { background: #1d2733; color: #fff; padding: 10px 20px; display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; }
header.top .brand { font-weight: 700; font-size: 17px; color: #fff; text-decoration: none; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 0; }
header.top nav a { color: #dfe7ef; text-decoration: none; padding: 4px 2px; border-bottom: 2px solid transparent; }
header.top nav a[aria-current="page"] { color: #fff; border-bottom-color: #7fb3ff; }
header.top .who { margin-left: auto; display: flex; gap: 10px; align-items: center; font-size: 13px; color: #dfe7ef; flex-wrap: wrap; }
header.top .who button { background: transparent; color: #fff; border: 1px solid #8b9bab; border-radius: 4px; padding: 3px 10px; cursor: pointer; font: inherit; }
main { max-width: 1320px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.muted, .gloss { color: var(--muted); font-size: 13px; }
.gloss { margin: 2px 0 10px; }
code, pre, textarea.code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: #eef1f4; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--panel); padding: 10px; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.logstatus { border-radius: 6px; padding: 8px 12px; margin: 8px 0 12px; border: 1px solid var(--line); background: var(--panel); }
.logstatus .badge { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 4px; color: #fff; margin-right: 8px; }
.badge.ok, .badge.valid { background: var(--ok); } .badge.warn, .badge.warnings { background: var(--warn); } .badge.bad, .badge.invalid, .badge.unreadable { background: var(--bad); } .badge.none { background: #5d6d7e; }
.logstatus.invalid, .logstatus.unreadable { border-color: var(--bad); background: #fbeeec; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.outcome-block { color: var(--bad); font-weight: 600; } .outcome-route { color: var(--ok); font-weight: 600; }
tr.shadow td { background: #f6f3fb; } .shadow-tag { display: inline-block; font-size: 12px; font-weight: 600; padding: 0 6px; margin-right: 6px; border: 1px dashed #6c4f99; border-radius: 3px; color: #4b3570; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px 14px; align-items: end; background: var(--panel); padding: 12px; border-radius: 6px; }
label { display: block; font-size: 13px; font-weight: 600; margin-bottom: 3px; }
input[type=text], input[type=password], input[type=number], input[type=datetime-local], select, textarea { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #8796a5; border-radius: 4px; background: #fff; color: var(--fg); }
textarea.code { min-height: 480px; white-space: pre; tab-size: 2; }
textarea.prompt { min-height: 110px; }
button, .button { font: inherit; font-weight: 600; padding: 7px 14px; border-radius: 4px; border: 1px solid #1458a6; background: #1458a6; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: #1458a6; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px 28px; align-items: start; }
.grid3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px 20px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: #fff; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 14px; margin: 10px 0; }
dl.facts div { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; }
dt { color: var(--muted); font-size: 12.5px; } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
ul.problems { list-style: none; padding: 0; margin: 6px 0; }
ul.problems li { padding: 5px 8px; border-left: 4px solid var(--bad); background: #fbeeec; margin: 4px 0; overflow-wrap: anywhere; }
ul.problems li.warning { border-left-color: var(--warn); background: #fdf5e6; }
ul.problems button { background: none; border: none; color: var(--link); text-decoration: underline; padding: 0; font-weight: 600; cursor: pointer; }
.ok-note { padding: 6px 10px; border-left: 4px solid var(--ok); background: #ecf7f0; }
.bad-note { padding: 6px 10px; border-left: 4px solid var(--bad); background: #fbeeec; }
.editor { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; }
mark { background: #ffe08a; color: inherit; padding: 0 1px; border-radius: 2px; }
.bars svg { display: block; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .lbl { font: 12px system-ui, sans-serif; fill: #1d2733; } svg .val { font: 11px system-ui, sans-serif; fill: #4f5d6b; }
svg .axis { stroke: #888; } svg .grid { stroke: #eceff2; }
.login { max-width: 440px; margin: 60px auto; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 8px 12px; } legend { font-weight: 600; padding: 0 4px; }
tr.changed td { background: #fdf5e6; }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
.rule-true { color: var(--ok); font-weight: 600; } .rule-false { color: var(--muted); }
@media (max-width: 900px) {
  .grid2, .grid3, .editor { grid-template-columns: minmax(0, 1fr); }
  header.top .who { margin-left: 0; }
  main { padding: 12px 12px 32px; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px 0; }
  table.stack td { display: block; position: relative; border: none; padding: 3px 10px 3px calc(8.5em + 18px); min-height: 1.9em; overflow-wrap: anywhere; }
  table.stack td::before { content: attr(data-label); position: absolute; left: 10px; width: 8.5em; color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
  textarea.code { min-height: 360px; }
}
`;

/** Live validation in the policy editor; everything else works as plain forms. */
export const CONSOLE_JS = `
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var area = document.getElementById('policy-text');
  var out = document.getElementById('live-problems');
  if (!area || !out || !csrf) return;
  var url = area.getAttribute('data-validate-url');
  var timer = null;
  var seq = 0;
  function lineStart(text, line) {
    var pos = 0;
    for (var i = 1; i < line; i++) { var n = text.indexOf('\\n', pos); if (n < 0) return text.length; pos = n + 1; }
    return pos;
  }
  function jump(line, column) {
    var pos = lineStart(area.value, line) + Math.max(0, column - 1);
    area.focus();
    area.setSelectionRange(pos, pos);
    var lh = parseFloat(getComputedStyle(area).lineHeight) || 19;
    area.scrollTop = Math.max(0, (line - 3) * lh);
  }
  function render(result) {
    out.textContent = '';
    var status = document.createElement('p');
    status.id = 'live-status';
    if (result.ok && result.problems.length === 0) { status.className = 'ok-note'; status.textContent = result.summary; out.appendChild(status); return; }
    status.className = result.ok ? 'ok-note' : 'bad-note';
    status.textContent = result.summary;
    out.appendChild(status);
    var ul = document.createElement('ul');
    ul.className = 'problems';
    result.problems.forEach(function (p) {
      var li = document.createElement('li');
      li.className = p.severity;
      li.setAttribute('data-line', String(p.line));
      if (p.line > 0) {
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = 'line ' + p.line + ', column ' + p.column;
        b.addEventListener('click', function () { jump(p.line, p.column); });
        li.appendChild(b);
        li.appendChild(document.createTextNode(' '));
      }
      var code = document.createElement('code');
      code.textContent = p.text;
      li.appendChild(code);
      ul.appendChild(li);
    });
    out.appendChild(ul);
  }
  function check() {
    var mine = ++seq;
    fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.getAttribute('content') }, body: JSON.stringify({ text: area.value }) })
      .then(function (r) { return r.json(); })
      .then(function (result) { if (mine === seq) render(result); })
      .catch(function () { if (mine === seq) { out.textContent = 'could not check the draft (is the gateway still running?)'; } });
  }
  area.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(check, 350); });
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-jump-line')) { e.preventDefault(); jump(Number(t.getAttribute('data-jump-line')), Number(t.getAttribute('data-jump-column') || '1')); }
  });
})();
`;
