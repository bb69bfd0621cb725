import type { GuardContext } from '../guard/guard-context.js';
import type { GatewayConfig } from './gateway-config.js';
import { plainAddress } from './loopback.js';

/** Request headers as the gateway reads them: a `Headers`, or node's incoming headers behind `get`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What the subject resolver gets besides the guard context: the headers, only from a trusted proxy. */
export type GatewayContext = GuardContext & { headers?: HeaderReader };

/**
 * The subject of a request, as the calling app states it: `x-saferoute-subject` (its user id,
 * pseudonymised before it is stored), `x-saferoute-attestation` (the signed age token the resolver
 * verifies), `x-saferoute-jurisdiction`. The configured trusted header (a country code set by the
 * load balancer) is read only when the peer is one of `trustedProxies`.
 */
export function subjectContext(headers: HeaderReader, peer: string | undefined, config: GatewayConfig, hasResolver: boolean): GatewayContext {
  const context: GatewayContext = {};
  const subjectId = headers.get('x-saferoute-subject');
  if (subjectId != null && subjectId !== '') context.subjectId = subjectId;
  const token = headers.get('x-saferoute-attestation');
  if (token != null && token !== '') context.attestationToken = token;
  const jurisdiction = headers.get('x-saferoute-jurisdiction');
  if (jurisdiction != null && jurisdiction !== '') context.jurisdiction = jurisdiction;
  if (config.trustedHeaders.jurisdiction != null && isTrustedPeer(peer, config.trustedProxies)) {
    context.headers = headers;
    // The resolver reads the header itself (recording its source); without one it stands in as given.
    const fromProxy = headers.get(config.trustedHeaders.jurisdiction);
    if (!hasResolver && context.jurisdiction == null && fromProxy != null && fromProxy !== '') context.jurisdiction = fromProxy;
  }
  return context;
}

export function isTrustedPeer(peer: string | undefined, trusted: readonly string[]): boolean {
  if (peer == null) return false;
  const address = plainAddress(peer);
  return trusted.some((t) => plainAddress(t) === address);
}
