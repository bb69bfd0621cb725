/**
 * The JWS algorithms an issuer may be configured with. `none` is not among them, and never will be.
 */
export const JWS_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'HS256',
  'HS384',
  'HS512',
] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

export type KeyFamily = 'ec' | 'okp' | 'rsa' | 'oct';

export interface AlgorithmSpec {
  family: KeyFamily;
  /** Node digest name; null for EdDSA. */
  hash: 'sha256' | 'sha384' | 'sha512' | null;
  pss?: true;
  /** JWK `crv` for EC and OKP keys. */
  crv?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  /** Node's `namedCurve` for EC keys. */
  namedCurve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
  /** Exact signature length in bytes where fixed (ECDSA R||S, Ed25519). */
  signatureBytes?: number;
  /** For HMAC: the shortest acceptable secret (RFC 7518 §3.2: at least the hash size). */
  minSecretBytes?: number;
}

export const ALGORITHM_SPECS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  ES256: { family: 'ec', hash: 'sha256', crv: 'P-256', namedCurve: 'prime256v1', signatureBytes: 64 },
  ES384: { family: 'ec', hash: 'sha384', crv: 'P-384', namedCurve: 'secp384r1', signatureBytes: 96 },
  ES512: { family: 'ec', hash: 'sha512', crv: 'P-521', namedCurve: 'secp521r1', signatureBytes: 132 },
  EdDSA: { family: 'okp', hash: null, crv: 'Ed25519', signatureBytes: 64 },
  Ed25519: { family: 'okp', hash: null, crv: 'Ed25519', signatureBytes: 64 },
  RS256: { family: 'rsa', hash: 'sha256' },
  RS384: { family: 'rsa', hash: 'sha384' },
  RS512: { family: 'rsa', hash: 'sha512' },
  PS256: { family: 'rsa', hash: 'sha256', pss: true },
  PS384: { family: 'rsa', hash: 'sha384', pss: true },
  PS512: { family: 'rsa', hash: 'sha512', pss: true },
  HS256: { family: 'oct', hash: 'sha256', minSecretBytes: 32 },
  HS384: { family: 'oct', hash: 'sha384', minSecretBytes: 48 },
  HS512: { family: 'oct', hash: 'sha512', minSecretBytes: 64 },
};

export const MIN_RSA_BITS = 2048;

export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.prototype.hasOwnProperty.call(ALGORITHM_SPECS, alg);
}
