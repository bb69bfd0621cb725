import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForeignOrigin, requestOrigin } from '../../src/console/request-origin.js';
import { createConsole } from '../../src/console/create-console.js';
import { html, raw } from '../../src/console/html.js';
import { createGatewayApp } from '../../src/gateway/create-gateway-app.js';
import { DEFAULT_CONSOLE } from '../../src/gateway/gateway-config.js';
import { createGatewayHost, type GatewayHost } from '../../src/gateway/gateway-host.js';
import { parseGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { openGatewayConfig } from '../../src/gateway/open-gateway-config.js';

describe('the console section of the gateway config', () => {
  it('fills the defaults and resolves the signing key beside the config', () => {
    const text = JSON.stringify({ tenants: [{ id: 'acme', policy: 'default', apiKeys: [] }], console: { signingKey: 'keys/sign.pem', signer: 'Compliance <c@example.com>' } }, null, 2);
    const r = parseGatewayConfig(text, 'saferoute.config.json', '/srv/gw');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.console).toEqual({ ...DEFAULT_CONSOLE, signingKey: '/srv/gw/keys/sign.pem', signer: 'Compliance <c@example.com>' });
  });

  it('reports a wrong console field at its line, and accepts the auditor and editor scopes', () => {
    const text = JSON.stringify({ tenants: [{ id: 'acme', policy: 'default', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), scopes: ['auditor', 'editor'] }] }], console: { sessionTtlSeconds: 5 } }, null, 2);
    const r = parseGatewayConfig(text, 'saferoute.config.json', '/srv/gw');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.pointer).toBe('/console/sessionTtlSeconds');
    expect(r.issues[0]?.line).toBe(text.split('\n').findIndex((l) => l.includes('sessionTtlSeconds')) + 1);
  });

  it('`serve --console` turns it on, keeping the config’s settings', async () => {
    const open = await openGatewayConfig({ console: true, cwd: '/tmp', env: {} });
    expect(open.console?.enabled).toBe(true);
    const off = await openGatewayConfig({ cwd: '/tmp', env: {} });
    expect(off.console).toBeUndefined();
  });
});

describe('html templates', () => {
  it('escape every value unless it is markup made by html or raw', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p title="${name}">${name}</p>`.value).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${raw('<svg/>')}${undefined}${false}${0}`.value).toBe('<svg/>0');
  });
});

describe('the console of an open (keyless, loopback) gateway', () => {
  let dir: string;
  let host: GatewayHost;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'saferoute-console-open-'));
    const config = await openGatewayConfig({ console: true, cwd: dir, env: {} });
    host = await createGatewayHost(config, { cwd: dir, env: {}, log: () => undefined });
  });
  afterAll(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in with an empty key, as the single tenant', async () => {
    const app = createGatewayApp(host, { console: createConsole(host, { env: {}, cwd: dir }) }).app;
    const origin = 'http://127.0.0.1:8787';
    const login = await app.request(`${origin}/console/login`);
    const token = /name="csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const res = await app.request(`${origin}/console/login`, { method: 'POST', body: new URLSearchParams({ csrf: token, key: '' }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin } });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('saferoute_console='))?.split(';')[0] as string;
    const page = await app.request(`${origin}/console/policies`, { headers: { cookie: session } });
    expect(await page.text()).toContain('<code>default@');
  });
});

describe('request origin behind a TLS proxy', () => {
  const probe = new Hono().all('/', (c) => {
    const o = requestOrigin(c, ['10.0.0.2']);
    return c.json({ https: o.https, foreign: isForeignOrigin(c, o) });
  });
  const ask = async (peer: string, headers: Record<string, string>) =>
    (await probe.request('http://gw.internal:8787/', { method: 'POST', headers: { host: 'gw.internal:8787', ...headers } }, { incoming: { socket: { remoteAddress: peer } } })).json();

  it('believes X-Forwarded-Host and -Proto from a trusted proxy only', async () => {
    const forwarded = { origin: 'https://console.example.com', 'x-forwarded-host': 'console.example.com', 'x-forwarded-proto': 'https' };
    expect(await ask('10.0.0.2', forwarded)).toEqual({ https: true, foreign: false });
    expect(await ask('::ffff:10.0.0.2', forwarded)).toEqual({ https: true, foreign: false });
    expect(await ask('10.9.9.9', forwarded)).toEqual({ https: false, foreign: true });
  });

  it('refuses another site, and `Origin: null`', async () => {
    expect(await ask('10.9.9.9', { origin: 'http://gw.internal:8787' })).toEqual({ https: false, foreign: false });
    expect(await ask('10.9.9.9', { origin: 'https://evil.example' })).toEqual({ https: false, foreign: true });
    expect(await ask('10.9.9.9', { origin: 'null' })).toEqual({ https: false, foreign: true });
    expect(await ask('10.9.9.9', {})).toEqual({ https: false, foreign: false });
  });
});
