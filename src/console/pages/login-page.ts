import { html, withCode, type Html } from '../html.js';

/** The login form: an API key with the `auditor`, `editor` or `admin` scope. */
export function loginPage(options: { csrf: string; error?: string; next?: string; open: boolean }): Html {
  return html`<main id="content" class="login">
<h1>saferoute console</h1>
<p class="gloss">Log in with an API key of this gateway that has the <code>auditor</code> scope (read), <code>editor</code> (also drafts and saves policy revisions) or <code>admin</code>. The key is checked once and never stored; the session lasts a few hours.</p>
${options.error ? html`<p class="bad-note" role="alert" id="login-error">${withCode(options.error)}</p>` : ''}
<form method="post" action="/console/login" class="card">
  <input type="hidden" name="csrf" value="${options.csrf}">
  ${options.next ? html`<input type="hidden" name="next" value="${options.next}">` : ''}
  <label for="api-key">API key</label>
  <input id="api-key" name="key" type="password" autocomplete="off" spellcheck="false" ${options.open ? '' : 'required'}>
  ${options.open ? html`<p class="muted">This gateway runs without keys (loopback only): leave the key empty.</p>` : ''}
  <div class="actions"><button type="submit">Log in</button></div>
</form>
</main>`;
}
