import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { uuidv7 } from '../../util/uuidv7.js';
import { AttestationConfigError } from './attestation-config-error.js';

export interface MintAttestationOptions {
  /** The issuer's private JWK (with `alg` and `kid`, as `generateIssuerKeyPair` makes it). */
  privateJwk: JWK;
  issuer?: string;
  audience?: string | string[];
  /** Lifetime in seconds when the claims have no `exp` (default 3600). */
  expiresInSec?: number;
  now?: () => Date;
}

/**
 * Signs an attestation token: what an age-verification provider does. For development, demos and
 * tests; `iat`, `exp` and `jti` are filled in when the claims lack them.
 */
export async function mintAttestation(claims: JWTPayload, options: MintAttestationOptions): Promise<string> {
  const alg = options.privateJwk.alg;
  if (typeof alg !== 'string') throw new AttestationConfigError('the private JWK needs an `alg`');
  if (options.privateJwk.d == null && options.privateJwk.k == null) throw new AttestationConfigError('the JWK is not a private key');
  const key = await importJWK(options.privateJwk, alg);
  const nowSec = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const payload: JWTPayload = { iat: nowSec, jti: uuidv7(), ...claims };
  if (payload.exp === undefined) payload.exp = nowSec + (options.expiresInSec ?? 3600);
  if (options.issuer != null && payload.iss === undefined) payload.iss = options.issuer;
  if (options.audience != null && payload.aud === undefined) payload.aud = options.audience;
  const header = options.privateJwk.kid != null ? { alg, kid: options.privateJwk.kid, typ: 'JWT' } : { alg, typ: 'JWT' };
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}
