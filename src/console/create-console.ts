import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { createClassifierRegistry, defaultClassifierFactories } from '../classifiers/registry.js';
import type { ClassifierResolver } from '../decision/policy-runtime.js';
import { explainDecision } from '../audit/explain-decision.js';
import { createAuditAggregate } from '../audit/audit-report.js';
import { DEFAULT_CONSOLE, type ConsoleConfig } from '../gateway/gateway-config.js';
import { GatewayHttpError } from '../gateway/gateway-error.js';
import type { GatewayHost } from '../gateway/gateway-host.js';
import { identify } from '../gateway/request-identity.js';
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets.js';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { canSeeTenant, consoleRoleOf } from './console-scopes.js';
import { createSessionCodec, MIN_SESSION_SECRET_LENGTH } from './console-session.js';
import { listDecisions, type DecisionFilter } from './decision-list.js';
import { html, type Html } from './html.js';
import { document, page, type ConsoleSection } from './layout.js';
import { createLogStatusCache, type LogStatusCache } from './log-status.js';
import { isForeignOrigin, requestOrigin } from './request-origin.js';
import { createLoginThrottle } from './login-throttle.js';
import { decisionPage } from './pages/decision-page.js';
import { DECISION_PAGE_LIMIT, decisionsPage } from './pages/decisions-page.js';
import { loginPage } from './pages/login-page.js';
import { overviewPage } from './pages/overview-page.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerPlaygroundRoutes } from './playground-routes.js';

export interface ConsoleOptions {
  /** The console settings (the gateway config's `console`); defaults otherwise. */
  config?: Partial<ConsoleConfig>;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Classifiers for drafted policies (the gateway's own, when it was given custom ones). */
  classifiers?: ClassifierResolver;
  now?: () => Date;
}

export interface GatewayConsole {
  /** Serves `/console/*`; mount it with `gatewayApp.route('/', console.app)`. */
  readonly app: Hono<ConsoleEnv>;
  readonly logStatus: LogStatusCache;
}

export const SESSION_COOKIE = 'saferoute_console';
export const LOGIN_COOKIE = 'saferoute_console_login';

/** Renders a page in the frame every page shares (navigation, log status). */
export type RenderPage = (c: Context<ConsoleEnv>, title: string, active: ConsoleSection | undefined, body: Html, status?: number) => Promise<Response>;

/**
 * The web console for compliance teams and auditors, served by the gateway from the same process
 * and config: server-rendered pages over the gateway's tenants, audit log and policies. A session
 * comes from an API key with the `auditor`, `editor` or `admin` scope, in a signed HttpOnly
 * SameSite=Strict cookie; every form carries a CSRF token; every answer has a strict CSP.
 */
export function createConsole(host: GatewayHost, options: ConsoleOptions = {}): GatewayConsole {
  const config: ConsoleConfig = { ...DEFAULT_CONSOLE, ...options.config };
  const env = options.env ?? process.env;
  const given = env[config.sessionSecretEnv];
  if (given != null && given.length < MIN_SESSION_SECRET_LENGTH) {
    throw new GatewayHttpError(500, 'server_error', 'config_invalid', `\`${config.sessionSecretEnv}\` must hold at least ${MIN_SESSION_SECRET_LENGTH} characters to sign console sessions`);
  }
  const secret = given ?? randomBytes(32).toString('base64url');
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? (() => new Date());
  const audit = host.audit;
  const logStatus = createLogStatusCache(
    audit ? { source: audit.source, publicKeyPath: audit.publicKeyPath, ...(audit.witnessSpec ? { witnessSpec: audit.witnessSpec } : {}), cwd, env } : undefined,
    config.verifyCacheSeconds * 1000,
    now,
  );
  const deps: ConsoleDeps = {
    host,
    config,
    sessions: createSessionCodec(secret, config.sessionTtlSeconds),
    logStatus,
    classifiers: options.classifiers ?? createClassifierRegistry(defaultClassifierFactories(env)),
    env,
    cwd,
    now,
  };
  const app = new Hono<ConsoleEnv>();
  const throttle = createLoginThrottle();

  app.use('/console/*', async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    h.set('x-frame-options', 'DENY');
    h.set('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on our own form posts.
    h.set('referrer-policy', 'same-origin');
    h.set('cross-origin-opener-policy', 'same-origin');
    if (!c.req.path.startsWith('/console/assets/')) h.set('cache-control', 'no-store');
  });
  app.get('/console/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }));
  app.get('/console/assets/console.js', (c) => c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));

  const secure = (c: Context): boolean => requestOrigin(c, host.state.config.trustedProxies).https;
  /** A POST from another site (an Origin that is not ours) is refused before anything else. */
  const foreignOrigin = (c: Context): boolean => isForeignOrigin(c, requestOrigin(c, host.state.config.trustedProxies));
  const tooLarge = (c: Context): boolean => Number(c.req.header('content-length') ?? '0') > host.state.config.limits.maxBodyBytes;

  app.get('/console/login', (c) => {
    let token = getCookie(c, LOGIN_COOKIE);
    if (!token || token.length < 20) {
      token = randomBytes(18).toString('base64url');
      setCookie(c, LOGIN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: secure(c), maxAge: 3600 });
    }
    const next = safeNext(c.req.query('next'));
    return c.html(document('Log in', loginPage({ csrf: token, open: host.state.config.open, ...(next ? { next } : {}) })));
  });

  app.post('/console/login', async (c) => {
    if (foreignOrigin(c) || tooLarge(c)) return c.text('refused: cross-site or oversized request', 403);
    const form = await c.req.parseBody();
    const token = getCookie(c, LOGIN_COOKIE);
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const again = (error: string, status: 400 | 401 | 403 | 429): Response => c.html(document('Log in', loginPage({ csrf: token ?? '', error, open: host.state.config.open, ...(next ? { next } : {}) })), status);
    if (!token || typeof form.csrf !== 'string' || form.csrf !== token) return again('The form expired or came from elsewhere; log in again from this page.', 403);
    const address = peerOf(c) ?? 'unknown';
    const wait = throttle.retryAfter(address, now().getTime());
    if (wait > 0) {
      c.header('retry-after', String(Math.ceil(wait / 1000)));
      return again(`Too many failed logins from this address; try again in ${Math.ceil(wait / 1000)} s.`, 429);
    }
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    let identity;
    try {
      identity = identify(new Headers(key !== '' ? { authorization: `Bearer ${key}` } : {}), host.state);
    } catch (err) {
      throttle.failed(address, now().getTime());
      host.log('warn', 'console login refused', { peer: address, reason: err instanceof GatewayHttpError ? err.code : 'error' });
      return again(err instanceof GatewayHttpError && err.code === 'missing_api_key' ? 'Paste an API key.' : 'This API key is not valid for this gateway.', 401);
    }
    throttle.succeeded(address);
    const role = consoleRoleOf(identity.scopes);
    if (!role) return again(`The key \`${identity.keyId}\` has none of the scopes the console needs (auditor, editor or admin); an operator can make one with \`saferoute keys api --tenant ${identity.tenant} --scopes auditor\`.`, 403);
    const issued = deps.sessions.issue({ tenant: identity.tenant, keyId: identity.keyId, role }, now().getTime());
    setCookie(c, SESSION_COOKIE, issued.value, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: secure(c), maxAge: config.sessionTtlSeconds });
    deleteCookie(c, LOGIN_COOKIE, { path: '/console' });
    host.log('info', 'console login', { tenant: identity.tenant, keyId: identity.keyId, role });
    return c.redirect(next ?? '/console', 303);
  });

  // Everything below needs a session; a POST also needs its CSRF token.
  app.use('/console/*', async (c, next) => {
    if (c.req.path.startsWith('/console/assets/') || c.req.path === '/console/login') return next();
    const session = deps.sessions.read(getCookie(c, SESSION_COOKIE), now().getTime());
    if (!session) {
      if (c.req.method === 'GET') return c.redirect(`/console/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      return c.text('not logged in (or the session expired): log in again at /console/login', 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (foreignOrigin(c)) return c.text('refused: a cross-site request', 403);
      if (tooLarge(c)) return c.text(`refused: the request is larger than ${host.state.config.limits.maxBodyBytes} bytes`, 413);
      const isJson = (c.req.header('content-type') ?? '').startsWith('application/json');
      const presented = isJson ? c.req.header('x-csrf-token') : (await c.req.parseBody()).csrf;
      if (typeof presented !== 'string' || !deps.sessions.checkCsrf(session, presented)) return c.text('refused: the form’s CSRF token is missing or wrong; reload the page and try again', 403);
    }
    c.set('session', session);
    c.set('csrf', deps.sessions.csrfToken(session));
    return next();
  });

  app.post('/console/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/console' });
    return c.redirect('/console/login', 303);
  });

  const render: RenderPage = async (c, title, active, body, status = 200) => {
    const logState = await logStatus.get();
    return c.html(page({ title, session: c.get('session'), csrf: c.get('csrf'), status: logState, ...(active ? { active } : {}), body, now: now() }), status as 200);
  };

  app.get('/console', async (c) => {
    const session = c.get('session');
    const status = await logStatus.get();
    const agg = session.role === 'admin' ? status.aggregate : status.byTenant?.get(session.tenant);
    const scope = session.role === 'admin' ? 'Every tenant of this gateway' : `Tenant ${session.tenant}`;
    return render(c, 'Overview', 'overview', overviewPage(agg ?? (status.aggregate ? createAuditAggregate() : undefined), scope));
  });

  app.get('/console/decisions', async (c) => {
    const session = c.get('session');
    const q = c.req.query();
    const filter: DecisionFilter = {};
    for (const [field, param] of [['from', 'from'], ['to', 'to'], ['outcome', 'outcome'], ['target', 'target'], ['rule', 'rule'], ['tenant', 'tenant'], ['subjectId', 'subject']] as const) {
      const v = q[param]?.trim();
      if (v) filter[field] = v;
    }
    const showTenant = session.role === 'admin';
    if (!audit) return render(c, 'Decisions', 'decisions', decisionsPage(filter, undefined, 'This gateway keeps no audit log, so there are no decisions to show.', showTenant));
    for (const field of ['from', 'to'] as const) {
      const v = filter[field];
      if (v !== undefined && !Number.isFinite(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))) {
        return render(c, 'Decisions', 'decisions', decisionsPage(filter, undefined, `“${v}” is not a time: write it as 2026-12-05 or 2026-12-05T08:00Z.`, showTenant), 400);
      }
    }
    const list = await listDecisions(audit.source, normaliseTimes(filter), {
      pseudonymize: (id) => audit.pseudonymize(id),
      visible: (tenant) => (tenant === undefined ? session.role === 'admin' : canSeeTenant(session, tenant)),
      limit: DECISION_PAGE_LIMIT,
    });
    return render(c, 'Decisions', 'decisions', decisionsPage(filter, list, undefined, showTenant));
  });

  app.get('/console/decisions/:id', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    const explained = audit && /^[0-9a-f-]{36}$/i.test(id) ? await explainDecision(audit.source, id) : undefined;
    const tenant = explained?.record.facts?.request.tenant;
    if (!explained || !(tenant === undefined ? session.role === 'admin' : canSeeTenant(session, tenant))) {
      return render(c, 'Decision not found', 'decisions', html`<h1>Decision not found</h1><p>No decision <code>${id}</code> that this session may see is in the log. <a href="/console/decisions">Back to the decisions</a>.</p>`, 404);
    }
    return render(c, `Decision ${id.slice(0, 8)}`, 'decisions', decisionPage(explained));
  });

  registerPolicyRoutes(app, deps, render);
  registerPlaygroundRoutes(app, deps, render);

  app.all('/console/*', (c) => render(c, 'Not found', undefined, html`<h1>Not found</h1><p>No console page at <code>${c.req.path}</code>. <a href="/console">Overview</a>.</p>`, 404));

  return { app, logStatus };
}

function peerOf(c: Context): string | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
}

/** Only a console path of ours: never another site, never `//host`. */
function safeNext(next: string | undefined): string | undefined {
  if (!next || !next.startsWith('/console') || next.startsWith('//') || /[\\\r\n]/.test(next)) return undefined;
  return next;
}

/** A date alone means its start (UTC), as the CLI reads it. */
function normaliseTimes(filter: DecisionFilter): DecisionFilter {
  const at = (v: string | undefined): string | undefined => (v === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  const from = at(filter.from);
  const to = at(filter.to);
  return { ...filter, ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
