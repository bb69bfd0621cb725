import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { ALGORITHM_SPECS, MIN_RSA_BITS, type JwsAlgorithm } from './jws-algorithms.js';

/**
 * Checks a JWS signature with node:crypto's synchronous primitives. WebCrypto (what jose uses)
 * runs each verify on the libuv thread pool, which costs about 100 µs per token here; the keys
 * themselves still come from jose (JWK import, JWKS selection and remote caching). The key must
 * belong to the algorithm's family, curve and size, so a header can never make an RSA public key
 * act as an HMAC secret, or a P-256 key check an ES512 signature.
 */
export function verifySignatureWithNodeCrypto(alg: JwsAlgorithm, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  const spec = ALGORITHM_SPECS[alg];
  try {
    switch (spec.family) {
      case 'oct': {
        if (key.type !== 'secret' || spec.hash == null) return false;
        const expected = createHmac(spec.hash, key).update(signingInput).digest();
        return expected.length === signature.length && timingSafeEqual(expected, signature);
      }
      case 'rsa': {
        if (key.type !== 'public') return false;
        const type = key.asymmetricKeyType;
        if (type !== 'rsa' && !(spec.pss && type === 'rsa-pss')) return false;
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return false;
        if (spec.pss) {
          return verify(spec.hash, signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
        }
        return verify(spec.hash, signingInput, key, signature);
      }
      case 'ec': {
        if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') return false;
        if (key.asymmetricKeyDetails?.namedCurve !== spec.namedCurve || signature.length !== spec.signatureBytes) return false;
        return verify(spec.hash, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
      }
      case 'okp': {
        if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519' || signature.length !== spec.signatureBytes) return false;
        return verify(null, signingInput, key, signature);
      }
    }
  } catch {
    return false;
  }
}
