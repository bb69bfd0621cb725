import { describe, expect, it } from 'vitest';
import { createSessionCodec } from '../../src/console/console-session.js';
import { createLoginThrottle } from '../../src/console/login-throttle.js';
import { canEdit, canSeeTenant, consoleRoleOf } from '../../src/console/console-scopes.js';
import type { GatewayScope } from '../../src/gateway/gateway-config.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

describe('console sessions', () => {
  it('reads back what it issued until it expires', () => {
    const codec = createSessionCodec(SECRET, 60);
    const { value, session } = codec.issue({ tenant: 'acme', keyId: 'k1', role: 'auditor' }, 1_000);
    expect(codec.read(value, 1_000 + 59_999)).toEqual(session);
    expect(codec.read(value, 1_000 + 60_000)).toBeUndefined();
  });

  it('refuses a cookie whose payload was changed (a role raised) or signed with another secret', () => {
    const codec = createSessionCodec(SECRET, 60);
    const { value } = codec.issue({ tenant: 'acme', keyId: 'k1', role: 'auditor' }, 0);
    const [payload, signature] = value.split('.') as [string, string];
    const raised = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('"auditor"', '"admin"')).toString('base64url');
    expect(codec.read(`${raised}.${signature}`, 1)).toBeUndefined();
    const other = createSessionCodec(SECRET.replace('a-', 'b-'), 60);
    expect(other.read(value, 1)).toBeUndefined();
    for (const junk of ['', '.', 'abc', `${payload}.`, `.${signature}`, `${payload}.${signature}.x`]) expect(codec.read(junk, 1)).toBeUndefined();
  });

  it('binds the CSRF token to the session: another session’s token, or none, is refused', () => {
    const codec = createSessionCodec(SECRET, 60);
    const a = codec.issue({ tenant: 'acme', keyId: 'k1', role: 'editor' }).session;
    const b = codec.issue({ tenant: 'acme', keyId: 'k1', role: 'editor' }).session;
    expect(codec.checkCsrf(a, codec.csrfToken(a))).toBe(true);
    expect(codec.checkCsrf(a, codec.csrfToken(b))).toBe(false);
    expect(codec.checkCsrf(a, undefined)).toBe(false);
    expect(codec.checkCsrf(a, '')).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => createSessionCodec('short', 60)).toThrow(/at least 32/);
  });
});

describe('console scopes', () => {
  const role = (...scopes: GatewayScope[]) => consoleRoleOf(new Set(scopes));
  it('gives a role only to auditor, editor and admin keys', () => {
    expect(role('chat', 'decide', 'moderations')).toBeUndefined();
    expect(role('auditor')).toBe('auditor');
    expect(role('auditor', 'editor')).toBe('editor');
    expect(role('admin', 'chat')).toBe('admin');
  });
  it('lets editors and admins edit, and admins see every tenant', () => {
    expect(canEdit('auditor')).toBe(false);
    expect(canEdit('editor')).toBe(true);
    expect(canSeeTenant({ role: 'editor', tenant: 'acme' }, 'globex')).toBe(false);
    expect(canSeeTenant({ role: 'admin', tenant: 'acme' }, 'globex')).toBe(true);
  });
});

describe('login throttle', () => {
  it('makes an address wait after too many failures in a window, and forgets them after a success', () => {
    const t = createLoginThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) t.failed('10.0.0.1', 1_000 + i);
    expect(t.retryAfter('10.0.0.1', 2_000)).toBe(59_000);
    expect(t.retryAfter('10.0.0.2', 2_000)).toBe(0);
    expect(t.retryAfter('10.0.0.1', 61_000)).toBe(0);
    t.failed('10.0.0.3', 0);
    t.failed('10.0.0.3', 1);
    t.succeeded('10.0.0.3');
    t.failed('10.0.0.3', 2);
    expect(t.retryAfter('10.0.0.3', 3)).toBe(0);
  });
});
