import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createClassifierRegistry, defaultClassifierFactories } from '../classifiers/registry.js';
import type { ClassifierResolver } from '../decision/policy-runtime.js';
import { DEFAULT_CONSOLE, type ConsoleConfig } from '../gateway/gateway-config.js';
import { GatewayHttpError } from '../gateway/gateway-error.js';
import type { GatewayHost } from '../gateway/gateway-host.js';
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets.js';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { createSessionCodec, MIN_SESSION_SECRET_LENGTH } from './console-session.js';
import { registerDecisionRoutes } from './decision-routes.js';
import { html, type Html } from './html.js';
import { page, type ConsoleSection } from './layout.js';
import { createLogStatusCache, type LogStatusCache } from './log-status.js';
import { foreignOrigin, registerLoginRoutes, registerLogoutRoute, SESSION_COOKIE, tooLarge } from './login-routes.js';
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

  registerLoginRoutes(app, deps);

  // Everything below needs a session; a POST also needs its CSRF token.
  app.use('/console/*', async (c, next) => {
    if (c.req.path.startsWith('/console/assets/') || c.req.path === '/console/login') return next();
    const session = deps.sessions.read(getCookie(c, SESSION_COOKIE), now().getTime());
    if (!session) {
      if (c.req.method === 'GET') return c.redirect(`/console/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      return c.text('not logged in (or the session expired): log in again at /console/login', 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (foreignOrigin(c, host)) return c.text('refused: a cross-site request', 403);
      if (tooLarge(c, host)) return c.text(`refused: the request is larger than ${host.state.config.limits.maxBodyBytes} bytes`, 413);
      const isJson = (c.req.header('content-type') ?? '').startsWith('application/json');
      const presented = isJson ? c.req.header('x-csrf-token') : (await c.req.parseBody()).csrf;
      if (typeof presented !== 'string' || !deps.sessions.checkCsrf(session, presented)) return c.text('refused: the form’s CSRF token is missing or wrong; reload the page and try again', 403);
    }
    c.set('session', session);
    c.set('csrf', deps.sessions.csrfToken(session));
    return next();
  });

  const render: RenderPage = async (c, title, active, body, status = 200) => {
    const logState = await logStatus.get();
    return c.html(page({ title, session: c.get('session'), csrf: c.get('csrf'), status: logState, ...(active ? { active } : {}), body, now: now() }), status as 200);
  };

  registerLogoutRoute(app);
  registerDecisionRoutes(app, deps, render);
  registerPolicyRoutes(app, deps, render);
  registerPlaygroundRoutes(app, deps, render);

  app.all('/console/*', (c) => render(c, 'Not found', undefined, html`<h1>Not found</h1><p>No console page at <code>${c.req.path}</code>. <a href="/console">Overview</a>.</p>`, 404));

  return { app, logStatus };
}
