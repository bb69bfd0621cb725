import type { ApiKeyIdentity } from './api-keys.js';
import { GATEWAY_SCOPES, type GatewayScope } from './gateway-config.js';
import { GatewayHttpError } from './gateway-error.js';
import type { GatewayState } from './gateway-host.js';
import type { HeaderReader } from './request-subject.js';

/** Who the caller of an open (keyless, loopback-only) gateway is: the first tenant, every scope. */
function anonymous(state: GatewayState): ApiKeyIdentity {
  return { tenant: state.config.tenants[0]?.id ?? 'default', keyId: 'anonymous', scopes: new Set<GatewayScope>(GATEWAY_SCOPES) };
}

/** The caller's identity from `Authorization: Bearer KEY` (or `x-api-key`), or a 401. */
export function identify(headers: HeaderReader, state: GatewayState): ApiKeyIdentity {
  if (state.config.open) return anonymous(state);
  const authorization = headers.get('authorization');
  const bearer = authorization != null && /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : undefined;
  const presented = bearer ?? headers.get('x-api-key')?.trim();
  if (presented == null || presented === '') {
    throw new GatewayHttpError(401, 'authentication_error', 'missing_api_key', 'no API key: send `Authorization: Bearer <key>`; an operator makes one with `saferoute keys api --tenant ID`', null, { 'www-authenticate': 'Bearer' });
  }
  const identity = state.keys.identify(presented);
  if (!identity) throw new GatewayHttpError(401, 'authentication_error', 'invalid_api_key', 'the API key is not valid for this gateway', null, { 'www-authenticate': 'Bearer' });
  return identity;
}

export function requireScope(identity: ApiKeyIdentity, scope: GatewayScope): void {
  if (!identity.scopes.has(scope)) {
    throw new GatewayHttpError(403, 'permission_error', 'insufficient_scope', `the API key \`${identity.keyId}\` lacks the \`${scope}\` scope this endpoint needs`);
  }
}
