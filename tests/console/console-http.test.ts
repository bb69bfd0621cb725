import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, recordSampleDecisions, startConsoleGateway, type ConsoleGateway } from './console-fixtures.js';

let gw: ConsoleGateway;
beforeAll(async () => {
  gw = await startConsoleGateway();
  await recordSampleDecisions(gw);
});
afterAll(async () => {
  await gw?.close();
});

/** A client that keeps cookies, as a browser would, and never follows redirects. */
function client() {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq);
      const value = (pair as string).slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${gw.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    remember(res);
    return res;
  };
  return {
    jar,
    request,
    get: (path: string) => request(path),
    post: (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }),
    async login(key: string) {
      const page = await (await request('/console/login')).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      return request('/console/login', { method: 'POST', body: new URLSearchParams({ csrf, key }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    },
    async csrf(path = '/console/decisions') {
      return /name="csrf-token" content="([^"]+)"/.exec(await (await request(path)).text())?.[1] ?? '';
    },
  };
}

describe('console login and sessions', () => {
  it('sends a visitor without a session to the login page, with strict headers', async () => {
    const c = client();
    const res = await c.get('/console/decisions?outcome=block');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fdecisions%3Foutcome%3Dblock');
    const login = await c.get('/console/login');
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  it('logs in with an auditor key into an HttpOnly, SameSite=Strict cookie', async () => {
    const c = client();
    const res = await c.login(KEYS.auditor);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('saferoute_console='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/console/);
    const overview = await c.get('/console');
    expect(overview.status).toBe(200);
    const body = await overview.text();
    expect(body).toContain('tenant <strong>acme</strong>');
    expect(body).toMatch(/Audit log: valid/);
  });

  it('refuses a key without a console scope, a wrong key, and a login without its CSRF token', async () => {
    const app = await client().login(KEYS.app);
    expect(app.status).toBe(403);
    expect(await app.text()).toContain('none of the scopes the console needs');
    const wrong = await client().login('sr_not_a_key');
    expect(wrong.status).toBe(401);
    const c = client();
    await c.get('/console/login');
    const noToken = await c.post('/console/login', { key: KEYS.auditor });
    expect(noToken.status).toBe(403);
  });

  it('refuses a POST without the session’s CSRF token or from another origin', async () => {
    const c = client();
    await c.login(KEYS.editor);
    const csrf = await c.csrf();
    expect(csrf).not.toBe('');
    expect((await c.post('/console/logout', {})).status).toBe(403);
    expect((await c.post('/console/logout', { csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await c.post('/console/logout', { csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await c.post('/console/logout', { csrf })).status).toBe(303);
    expect((await c.get('/console')).status).toBe(303);
  });
});

describe('decisions', () => {
  it('lists the tenant’s decisions and filters by outcome and by subject id through its pseudonym', async () => {
    const c = client();
    await c.login(KEYS.auditor);
    const all = await (await c.get('/console/decisions')).text();
    expect(all).toContain('5 matching decisions');
    const blocked = await (await c.get('/console/decisions?outcome=block')).text();
    // The jailbreak (a rule) and the adult request of a subject without age evidence (unmet requirements).
    expect(blocked).toContain('2 matching decisions');
    expect(blocked).toContain('block-jailbreak');
    expect(blocked).toContain('unmet_requirements');
    expect(blocked).not.toContain('outcome-route');
    const user1 = await (await c.get('/console/decisions?subject=user-1')).text();
    expect(user1).toContain('2 matching decisions');
    expect(user1).not.toContain('user-1</');
    const none = await (await c.get('/console/decisions?subject=nobody')).text();
    expect(none).toContain('No decision matches.');
  });

  it('shows a decision’s rules from the archived policy, and never the text of a digest-only policy', async () => {
    const c = client();
    await c.login(KEYS.auditor);
    const list = await (await c.get('/console/decisions?rule=block-jailbreak')).text();
    const id = /href="\/console\/decisions\/([0-9a-f-]{36})"/.exec(list)?.[1];
    expect(id).toBeDefined();
    const detail = await (await c.get(`/console/decisions/${id}`)).text();
    expect(detail).toContain('read from the policy archived with the log');
    expect(detail).toContain('score `jailbreak` gte 0.8');
    expect(detail).toMatch(/<td><code>score `jailbreak` &gt;= 0.8<\/code><\/td><td>1(\.0+)?<\/td><td class="rule-true">yes/);
    expect(detail).toContain('Only a keyed digest was kept');
    expect(detail).not.toContain('Ignore all previous instructions');
  });

  it('keeps another tenant’s auditor out of acme’s decisions', async () => {
    const c = client();
    await c.login(KEYS.other);
    const list = await (await c.get('/console/decisions')).text();
    expect(list).toContain('No decision matches.');
    const acme = client();
    await acme.login(KEYS.auditor);
    const id = /href="\/console\/decisions\/([0-9a-f-]{36})"/.exec(await (await acme.get('/console/decisions')).text())?.[1];
    expect((await c.get(`/console/decisions/${id}`)).status).toBe(404);
  });
});
