import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** What a request says about where it came from, believing forwarded headers only from trusted proxies. */
export interface RequestOrigin {
  /** Hosts (`name:port`) this request may have been addressed to: its Host, and a trusted proxy's X-Forwarded-Host. */
  hosts: Set<string>;
  /** Served over HTTPS here or at a trusted proxy (X-Forwarded-Proto): the cookies get `Secure`. */
  https: boolean;
}

export function requestOrigin(c: Context, trustedProxies: readonly string[]): RequestOrigin {
  const url = new URL(c.req.url);
  const hosts = new Set<string>([url.host]);
  const host = c.req.header('host');
  if (host) hosts.add(host.toLowerCase());
  let https = url.protocol === 'https:';
  const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
  if (peer !== undefined && trustedProxies.includes(peer.replace(/^::ffff:/, ''))) {
    const forwardedHost = c.req.header('x-forwarded-host')?.split(',')[0]?.trim().toLowerCase();
    if (forwardedHost) hosts.add(forwardedHost);
    if (c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https') https = true;
  }
  return { hosts, https };
}

/**
 * A POST from another site: its Origin names a host this request was not addressed to, or is
 * `null` (a sandboxed or privacy-stripped context). No Origin at all (a non-browser client) is let
 * through to the CSRF check, which such a client cannot pass without the session's token.
 */
export function isForeignOrigin(c: Context, origin: RequestOrigin): boolean {
  const given = c.req.header('origin');
  if (given == null) return false;
  try {
    return !origin.hosts.has(new URL(given).host.toLowerCase());
  } catch {
    return true;
  }
}
