import type { ConsoleSession } from './console-session.js';
import { html, withCode, type Html } from './html.js';
import type { LogStatus } from './log-status.js';

export type ConsoleSection = 'overview' | 'decisions' | 'policies' | 'playground';

export interface PageFrame {
  title: string;
  session: ConsoleSession;
  csrf: string;
  status: LogStatus;
  active?: ConsoleSection;
  body: Html;
  now: Date;
}

const NAV: [ConsoleSection, string, string][] = [
  ['overview', 'Overview', '/console'],
  ['decisions', 'Decisions', '/console/decisions'],
  ['policies', 'Policies', '/console/policies'],
  ['playground', 'Playground', '/console/playground'],
];

/** Every page: navigation, who is logged in, and the audit log's verification status. */
export function page(frame: PageFrame): string {
  return document(
    frame.title,
    html`<a class="skip" href="#content">Skip to content</a>
<header class="top">
  <a class="brand" href="/console">saferoute console</a>
  <nav aria-label="Sections"><ul>${NAV.map(([key, label, href]) => html`<li><a href="${href}"${frame.active === key ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
  <div class="who"><span>tenant <strong>${frame.session.tenant}</strong> · key <strong>${frame.session.keyId}</strong> · ${frame.session.role}</span>
    <form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${frame.csrf}"><button type="submit">Log out</button></form></div>
</header>
<main id="content" tabindex="-1">
${logStatusBanner(frame.status, frame.now)}
${frame.body}
</main>`,
    frame.csrf,
  );
}

export function document(title: string, body: Html, csrf?: string): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${csrf ? html`<meta name="csrf-token" content="${csrf}">` : ''}<title>${title} · saferoute console</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/console/assets/console.css"><script src="/console/assets/console.js" defer></script></head>
<body>${body}</body></html>`.value}\n`;
}

/** Valid, with warnings, or what failed — with the findings, on every page. */
export function logStatusBanner(status: LogStatus, now: Date): Html {
  const age = Math.max(0, Math.round((now.getTime() - status.checkedAt.getTime()) / 1000));
  const label = { valid: 'valid', warnings: 'valid, with warnings', invalid: 'verification failed', none: 'no audit log', unreadable: 'cannot be read' }[status.state];
  const r = status.report;
  const detail = r
    ? `${r.counts.records} records, ${r.counts.writers} writer(s); checkpoints ${r.checkpoints.valid}/${r.checkpoints.read} valid, ${r.checkpoints.signaturesVerified} signatures verified; ${r.witness ? `witness ${r.witness.location}` : 'no witness compared'}`
    : (status.message ?? '');
  const findings = status.findings.slice(0, 20);
  return html`<section class="logstatus ${status.state}" id="log-status" aria-label="Audit log verification">
<span class="badge ${status.state}">Audit log: ${label}</span><span class="muted">${detail} · checked ${age} s ago</span>
${
  findings.length > 0
    ? html`<details${status.state === 'invalid' ? ' open' : ''}><summary>${status.findings.length} finding(s)</summary><ul class="problems">${findings.map(
        (f) => html`<li class="${f.severity}"><strong>${f.severity}</strong> <code>${f.code}</code> ${[f.writer, f.segment !== undefined ? `segment ${f.segment}` : '', f.line !== undefined ? `line ${f.line}` : '', f.seq !== undefined ? `seq ${f.seq}` : ''].filter(Boolean).join(' · ')}: ${withCode(f.message)}</li>`,
      )}</ul></details>`
    : ''
}
</section>`;
}
