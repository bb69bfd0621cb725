import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { uuidv7 } from '../../util/uuidv7.js';
import { AttestationConfigError } from './attestation-config-error.js';

export const DEV_KEY_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
export type DevKeyAlgorithm = (typeof DEV_KEY_ALGORITHMS)[number];

export interface IssuerKeyPair {
  alg: DevKeyAlgorithm;
  kid: string;
  /** Keep secret: signs attestations. */
  privateJwk: JWK;
  publicJwk: JWK;
  /** What the issuer publishes and what a verifier's `keys` / `jwksFile` takes. */
  jwks: JSONWebKeySet;
}

/** A fresh issuer key pair, for development, demos and tests (`saferoute keys generate`). */
export async function generateIssuerKeyPair(alg: DevKeyAlgorithm = 'ES256', kid: string = uuidv7()): Promise<IssuerKeyPair> {
  if (!(DEV_KEY_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new AttestationConfigError(`cannot generate \`${String(alg)}\` keys: use one of ${DEV_KEY_ALGORITHMS.join(', ')}`);
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const meta = { kid, alg, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
  const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
  return { alg, kid, privateJwk, publicJwk, jwks: { keys: [publicJwk] } };
}
