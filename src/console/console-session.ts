import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleRole } from './console-scopes.js';

/** Who is logged in: carried in a signed cookie, nothing kept on the server. */
export interface ConsoleSession {
  /** Random per login: the CSRF token is derived from it. */
  sid: string;
  tenant: string;
  keyId: string;
  role: ConsoleRole;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export interface SessionCodec {
  /** The cookie value for a new session. */
  issue(who: Omit<ConsoleSession, 'sid' | 'exp'>, now?: number): { value: string; session: ConsoleSession };
  /** The session a cookie holds, or undefined when it is missing, forged, malformed or expired. */
  read(value: string | undefined, now?: number): ConsoleSession | undefined;
  /** The CSRF token of a session: an HMAC of its id, so it cannot be made without the secret. */
  csrfToken(session: ConsoleSession): string;
  /** Constant-time check of a presented CSRF token against the session's. */
  checkCsrf(session: ConsoleSession, presented: string | undefined): boolean;
  readonly ttlMs: number;
}

export const MIN_SESSION_SECRET_LENGTH = 32;

/**
 * Sessions as `payload.signature` (base64url JSON, HMAC-SHA256 over it). The secret signs both the
 * cookie and the CSRF tokens, under distinct labels.
 */
export function createSessionCodec(secret: string, ttlSeconds: number): SessionCodec {
  if (secret.length < MIN_SESSION_SECRET_LENGTH) throw new Error(`the console session secret must be at least ${MIN_SESSION_SECRET_LENGTH} characters`);
  const ttlMs = ttlSeconds * 1000;
  const mac = (label: string, data: string): Buffer => createHmac('sha256', secret).update(`${label}\u0000${data}`).digest();
  const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
  return {
    ttlMs,
    issue(who, now = Date.now()) {
      const session: ConsoleSession = { sid: randomBytes(18).toString('base64url'), tenant: who.tenant, keyId: who.keyId, role: who.role, exp: now + ttlMs };
      const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
      return { value: `${payload}.${mac('session', payload).toString('base64url')}`, session };
    },
    read(value, now = Date.now()) {
      if (value == null) return undefined;
      const dot = value.indexOf('.');
      if (dot <= 0 || dot !== value.lastIndexOf('.')) return undefined;
      const payload = value.slice(0, dot);
      const signature = Buffer.from(value.slice(dot + 1), 'base64url');
      if (!same(signature, mac('session', payload))) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const s = parsed as Partial<ConsoleSession>;
      if (typeof s.sid !== 'string' || typeof s.tenant !== 'string' || typeof s.keyId !== 'string' || typeof s.exp !== 'number') return undefined;
      if (s.role !== 'auditor' && s.role !== 'editor' && s.role !== 'admin') return undefined;
      if (s.exp <= now) return undefined;
      return { sid: s.sid, tenant: s.tenant, keyId: s.keyId, role: s.role, exp: s.exp };
    },
    csrfToken(session) {
      return mac('csrf', session.sid).toString('base64url');
    },
    checkCsrf(session, presented) {
      if (presented == null || presented === '') return false;
      return same(Buffer.from(presented, 'utf8'), Buffer.from(mac('csrf', session.sid).toString('base64url'), 'utf8'));
    },
  };
}
