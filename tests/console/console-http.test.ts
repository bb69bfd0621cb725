import { createPublicKey } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import { checkPolicySignature } from '../../src/policy-signing/check-policy-signature.js';
import { policyKeyId } from '../../src/policy-signing/policy-keys.js';
import { SIGNER, KEYS, jailbreakRule, recordSampleDecisions, startConsoleGateway, type ConsoleGateway } from './console-fixtures.js';

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

  it('filters by time, and says when a time cannot be read', async () => {
    const c = client();
    await c.login(KEYS.auditor);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await (await c.get(`/console/decisions?from=${day(-1)}`)).text()).toContain('5 matching decisions');
    expect(await (await c.get(`/console/decisions?from=${day(1)}`)).text()).toContain('No decision matches.');
    expect(await (await c.get(`/console/decisions?to=${day(-1)}`)).text()).toContain('No decision matches.');
    const bad = await c.get('/console/decisions?from=last+tuesday');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not a time');
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

describe('text kept by the policy, and the admin’s view', () => {
  it('shows the text only of a tenant whose policy keeps it; an admin sees every tenant', async () => {
    expect((await gw.decide({ text: 'What is the weather in Lisbon?' }, KEYS.otherApp)).status).toBe(200);
    const globex = client();
    await globex.login(KEYS.other);
    const list = await (await globex.get('/console/decisions')).text();
    expect(list).toContain('1 matching decision');
    const id = /href="\/console\/decisions\/([0-9a-f-]{36})"/.exec(list)?.[1];
    const detail = await (await globex.get(`/console/decisions/${id}`)).text();
    expect(detail).toContain('<pre id="decision-text">What is the weather in Lisbon?</pre>');
    const admin = client();
    await admin.login(KEYS.admin);
    const all = await (await admin.get('/console/decisions')).text();
    expect(all).toContain('6 matching decisions');
    expect(all).toContain('<td data-label="tenant">globex</td>');
    expect(await (await admin.get('/console/decisions?tenant=globex')).text()).toContain('1 matching decision');
  });
});

describe('policies and the draft flow', () => {
  it('renders the live policy for people, and refuses an auditor the editor', async () => {
    const c = client();
    await c.login(KEYS.auditor);
    const page = await (await c.get('/console/policies/acme')).text();
    expect(page).toContain('acme@2026-12-01.1');
    expect(page).toContain('When the `sexual/minors` score is at least 0.3, at both stages: block (reason `sexual_minors`'.replace(/`([^`]+)`/g, '<code>$1</code>'));
    expect(page).toContain('age at least the minimum age of the subject’s jurisdiction, verified at assurance level enhanced');
    expect(page).toContain('nobody: no signature file beside it');
    expect(page).not.toContain('Edit a copy');
    expect((await c.get('/console/policies/acme/edit')).status).toBe(403);
    expect((await c.get('/console/policies/globex')).status).toBe(404);
  });

  it('validates a draft as `saferoute validate` prints it, at its line and column', async () => {
    const c = client();
    await c.login(KEYS.editor);
    const csrf = await c.csrf('/console/policies/acme/edit');
    const live = await readFile(gw.policyFile, 'utf8');
    const broken = live.replace('"gte": 0.8', '"gte": 1.8');
    const line = broken.split('\n').findIndex((l) => l.includes('1.8')) + 1;
    const res = await c.request('/console/policies/acme/validate', { method: 'POST', body: JSON.stringify({ text: broken }), headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { ok: boolean; problems: { line: number; text: string }[] };
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.line).toBe(line);
    expect(result.problems[0]?.text).toMatch(new RegExp(`^acme\\.draft\\.json:${line}:\\d+ /rules/${jailbreakRule(live)}/when/gte: `));
    const noCsrf = await c.request('/console/policies/acme/validate', { method: 'POST', body: JSON.stringify({ text: broken }), headers: { 'content-type': 'application/json' } });
    expect(noCsrf.status).toBe(403);
  });

  it('tests, replays and saves a draft as a new signed revision, leaving the live file alone', async () => {
    const c = client();
    await c.login(KEYS.editor);
    const csrf = await c.csrf('/console/policies/acme/edit');
    const live = await readFile(gw.policyFile, 'utf8');
    // Jailbreaks are checked only in answers: one recorded decision (a prompt) changes, and a test fails.
    const draft = live.replace('"revision": "2026-12-01.1"', '"revision": "2026-12-05.1"').replace(/("id": "block-jailbreak",[\s\S]*?"stage": )"input"/, '$1"output"');
    const tests = await (await c.post('/console/policies/acme/draft', { csrf, text: draft, action: 'test' })).text();
    expect(tests).toMatch(/id="test-summary">\d+ passed, [1-9]\d* failed/);
    const replay = await (await c.post('/console/policies/acme/draft', { csrf, text: draft, action: 'replay' })).text();
    expect(replay).toMatch(/5 recorded decision\(s\) since [^:]+:\d\d:[^:]+: 5 decided again, <strong>1 would change<\/strong>/);
    expect(replay).toContain('block</td><td data-label="draft">route sfw <strong>(changed)</strong>');
    const sameRevision = await (await c.post('/console/policies/acme/draft', { csrf, text: live, action: 'save' })).text();
    expect(sameRevision).toContain('still has the live revision');
    const saved = await (await c.post('/console/policies/acme/draft', { csrf, text: draft, action: 'save' })).text();
    expect(saved).toContain('Wrote <code>acme.2026-12-05.1.json</code>');
    expect(await readFile(gw.policyFile, 'utf8')).toBe(live);
    const file = join(gw.dir, 'policies', 'acme.2026-12-05.1.json');
    expect(await readFile(file, 'utf8')).toBe(draft.endsWith('\n') ? draft : draft + '\n');
    const policy = await loadPolicyOrThrow(file);
    const check = await checkPolicySignature(policy, file, new Map([[policyKeyId(createPublicKey(gw.publicKeyPem)), createPublicKey(gw.publicKeyPem)]]));
    expect(check.status).toBe('valid');
    expect(check.status === 'valid' && check.signedBy.signer).toBe(`${SIGNER} (console key acme-editor)`);
    const again = await (await c.post('/console/policies/acme/draft', { csrf, text: draft, action: 'save' })).text();
    expect(again).toContain('exists already');
  });
});

describe('playground', () => {
  it('decides with the live policy, says what is unmet, and records nothing', async () => {
    const c = client();
    await c.login(KEYS.auditor);
    const csrf = await c.csrf('/console/playground');
    const before = (await (await c.get('/console/decisions')).text()).match(/(\d+) matching decisions/)?.[1];
    const adult = { csrf, tenant: 'acme', stage: 'input', text: 'Write an explicit sex scene between two consenting adults', jurisdiction: 'GB', ageOver: '', ageLevel: 'enhanced', ageMethod: 'photo_id_match', consents: '' };
    const unverified = await (await c.post('/console/playground', adult)).text();
    expect(unverified).toContain('block (unmet_requirements)');
    expect(unverified).toContain('<code>age_verification_required</code> for <code>restricted</code>');
    const verified = await (await c.post('/console/playground', { ...adult, ageOver: '18', consents: 'adult-content@2.0.0' })).text();
    expect(verified).toContain('route → restricted');
    expect(verified).toMatch(/<tr data-rule="adult-to-restricted"><td data-label="rule"><code>adult-to-restricted<\/code> <strong class="rule-true">matched/);
    const after = (await (await c.get('/console/decisions')).text()).match(/(\d+) matching decisions/)?.[1];
    expect(after).toBe(before);
    const other = await c.post('/console/playground', { ...adult, tenant: 'globex' });
    expect(other.status).toBe(400);
  });
});

describe('a new revision served', () => {
  it('shows the semantic diff against the previous revision archived with the log', async () => {
    const live = await readFile(gw.policyFile, 'utf8');
    await writeFile(gw.policyFile, live.replace('"revision": "2026-12-01.1"', '"revision": "2026-12-02.1"').replace('"gte": 0.3', '"gte": 0.2'));
    expect((await gw.running.reload()).ok).toBe(true);
    expect((await gw.decide({ text: 'Hello there' })).status).toBe(200);
    const c = client();
    await c.login(KEYS.auditor);
    const page = await (await c.get('/console/policies/acme')).text();
    expect(page).toContain('Compared with <code>2026-12-01.1</code> (archived with the log): 2 change(s), 1 stricter, 0 looser.');
    expect(page).toMatch(/sexual\/minors gte: 0\.3 → 0\.2 +\(stricter/);
  });
});

describe('a tampered log', () => {
  it('says on every page that verification failed, with the findings', async () => {
    const writerDir = join(gw.dir, 'audit', 'console-test');
    const [segment] = (await readdir(writerDir)).filter((n) => n.endsWith('.jsonl')).sort();
    const path = join(writerDir, segment as string);
    const text = await readFile(path, 'utf8');
    // A blocked decision turned into a routed one, in place.
    await writeFile(path, text.replace('"outcome":"block"', '"outcome":"route"'));
    const c = client();
    await c.login(KEYS.auditor);
    for (const page of ['/console', '/console/decisions', '/console/policies/acme', '/console/playground']) {
      const body = await (await c.get(page)).text();
      expect(body, page).toContain('<span class="badge invalid">Audit log: verification failed</span>');
      expect(body, page).toMatch(/<details open><summary>\d+ finding\(s\)<\/summary><ul class="problems"><li class="error"><strong>error<\/strong> <code>hash_mismatch<\/code>/);
    }
  });
});
