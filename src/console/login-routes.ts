import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { GatewayHttpError } from '../gateway/gateway-error.js';
import type { GatewayHost } from '../gateway/gateway-host.js';
import { identify } from '../gateway/request-identity.js';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { consoleRoleOf } from './console-scopes.js';
import { document } from './layout.js';
import { createLoginThrottle } from './login-throttle.js';
import { loginPage } from './pages/login-page.js';
import { isForeignOrigin, requestOrigin } from './request-origin.js';

export const SESSION_COOKIE = 'saferoute_console';
export const LOGIN_COOKIE = 'saferoute_console_login';

/** Cookies get `Secure` when the request came over HTTPS (here, or at a trusted proxy). */
export function secure(c: Context, host: GatewayHost): boolean {
  return requestOrigin(c, host.state.config.trustedProxies).https;
}

/** A POST from another site (an Origin that is not ours) is refused before anything else. */
export function foreignOrigin(c: Context, host: GatewayHost): boolean {
  return isForeignOrigin(c, requestOrigin(c, host.state.config.trustedProxies));
}

export function tooLarge(c: Context, host: GatewayHost): boolean {
  return Number(c.req.header('content-length') ?? '0') > host.state.config.limits.maxBodyBytes;
}

/**
 * Login and logout. The login form is protected by a double-submit cookie (there is no session
 * yet); a key is checked once, like an API call, and only its tenant, id and role go in the
 * signed session cookie.
 */
export function registerLoginRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { host, config, now } = deps;
  const throttle = createLoginThrottle();
  app.get('/console/login', (c) => {
    let token = getCookie(c, LOGIN_COOKIE);
    if (!token || token.length < 20) {
      token = randomBytes(18).toString('base64url');
      setCookie(c, LOGIN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: secure(c, host), maxAge: 3600 });
    }
    const next = safeNext(c.req.query('next'));
    return c.html(document('Log in', loginPage({ csrf: token, open: host.state.config.open, ...(next ? { next } : {}) })));
  });

  app.post('/console/login', async (c) => {
    if (foreignOrigin(c, host) || tooLarge(c, host)) return c.text('refused: cross-site or oversized request', 403);
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
    setCookie(c, SESSION_COOKIE, issued.value, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: secure(c, host), maxAge: config.sessionTtlSeconds });
    deleteCookie(c, LOGIN_COOKIE, { path: '/console' });
    host.log('info', 'console login', { tenant: identity.tenant, keyId: identity.keyId, role });
    return c.redirect(next ?? '/console', 303);
  });
}

/** Logging out forgets the cookie; the session itself ends at its expiry (it is stateless). */
export function registerLogoutRoute(app: Hono<ConsoleEnv>): void {
  app.post('/console/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/console' });
    return c.redirect('/console/login', 303);
  });
}

function peerOf(c: Context): string | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
}

/** Only a console path of ours: never another site, never `//host`. */
function safeNext(next: string | undefined): string | undefined {
  if (!next || !next.startsWith('/console') || next.startsWith('//') || /[\\\r\n]/.test(next)) return undefined;
  return next;
}

