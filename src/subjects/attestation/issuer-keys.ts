import { createPublicKey, createSecretKey, KeyObject, type webcrypto } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, type JSONWebKeySet, type JWK } from 'jose';
import { AttestationConfigError } from './attestation-config-error.js';
import { readConfigJson } from './read-config-json.js';
import { ALGORITHM_SPECS, isJwsAlgorithm, MIN_RSA_BITS, type JwsAlgorithm, type KeyFamily } from './jws-algorithms.js';

type CryptoKey = webcrypto.CryptoKey;

/** A public key as PEM (SPKI or X.509 certificate), optionally with the `kid` tokens name it by. */
export interface PemKey {
  pem: string;
  kid?: string;
}

export type IssuerKeyInput = JWK | string | PemKey;

export interface IssuerConfig {
  /** The `iss` value tokens of this issuer carry. */
  issuer: string;
  /** Keys given inline: a JWK, a JWKS (`{ keys: [...] }`), PEM text, or a list of JWKs / PEM. */
  keys?: IssuerKeyInput | JSONWebKeySet | IssuerKeyInput[];
  /** A JWKS file, read once when the verifier is created (relative paths from `baseDir`). */
  jwksFile?: string;
  /** A JWKS URL (https; plain http only on loopback), cached and refreshed by jose. */
  jwksUrl?: string;
  /**
   * Accepted `alg` values. Default: what the keys support (asymmetric only); HMAC algorithms must
   * always be listed explicitly and only go with symmetric keys.
   */
  algorithms?: string[];
  jwks?: {
    /** How long fetched keys are used without refetching (default 10 min). */
    cacheMaxAgeMs?: number;
    /** Minimum time between refetches triggered by an unknown `kid` (default 30 s). */
    cooldownMs?: number;
    /** Fetch timeout (default 5 s). */
    timeoutMs?: number;
  };
}

/** A key that may have signed a token: as node:crypto wants it and as jose wants it. */
export interface KeyCandidate {
  keyObject: KeyObject;
  joseKey: CryptoKey | Uint8Array;
}

export class KeyLookupError extends Error {}

export interface IssuerKeys {
  readonly issuer: string;
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  /** Where the keys come from, for explanations. */
  readonly source: string;
  /** Keys usable for this `alg` and `kid`, most specific first; throws `KeyLookupError`. */
  candidates(alg: JwsAlgorithm, kid: string | undefined): Promise<KeyCandidate[]>;
}

const FAMILY_OF_KTY: Readonly<Record<string, KeyFamily>> = { EC: 'ec', OKP: 'okp', RSA: 'rsa', oct: 'oct' };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
const DEFAULT_REMOTE_ALGORITHMS: JwsAlgorithm[] = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'RS256', 'PS256'];

function fail(issuer: string, message: string, cause?: unknown): never {
  throw new AttestationConfigError(`issuer \`${issuer}\`: ${message}`, cause !== undefined ? { cause } : undefined);
}

interface LocalKey {
  jwk: JWK;
  family: KeyFamily;
  /** Algorithms this key can verify (its curve / type, narrowed by its own `alg`). */
  algorithms: JwsAlgorithm[];
  defaults: JwsAlgorithm[];
  secret?: KeyObject;
}

function algorithmsFor(jwk: JWK, family: KeyFamily): { all: JwsAlgorithm[]; defaults: JwsAlgorithm[] } {
  let all: JwsAlgorithm[];
  let defaults: JwsAlgorithm[];
  if (family === 'rsa') {
    all = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    defaults = ['RS256', 'PS256'];
  } else if (family === 'ec') {
    all = (['ES256', 'ES384', 'ES512'] as const).filter((a) => ALGORITHM_SPECS[a].crv === jwk.crv);
    defaults = all;
  } else if (family === 'okp') {
    all = ['EdDSA', 'Ed25519'];
    defaults = all;
  } else {
    all = ['HS256', 'HS384', 'HS512'];
    defaults = [];
  }
  if (jwk.alg != null) {
    all = all.filter((a) => a === jwk.alg);
    defaults = all;
  }
  return { all, defaults };
}

function toLocalKey(issuer: string, input: unknown, where: string): LocalKey {
  let jwk: JWK;
  if (typeof input === 'string' || (typeof input === 'object' && input != null && typeof (input as PemKey).pem === 'string')) {
    const pem = typeof input === 'string' ? input : (input as PemKey).pem;
    if (/PRIVATE KEY/.test(pem)) fail(issuer, `${where} is a private key; configure the public key only`);
    try {
      jwk = createPublicKey(pem).export({ format: 'jwk' }) as JWK;
    } catch (e) {
      fail(issuer, `${where} is not a PEM public key or certificate`, e);
    }
    const kid = typeof input === 'string' ? undefined : (input as PemKey).kid;
    if (kid != null) jwk.kid = kid;
  } else if (typeof input === 'object' && input != null) {
    jwk = { ...(input as JWK) };
  } else {
    fail(issuer, `${where} is not a JWK or PEM key`);
  }
  const family = typeof jwk.kty === 'string' ? FAMILY_OF_KTY[jwk.kty] : undefined;
  if (family == null) fail(issuer, `${where} has an unsupported key type \`${String(jwk.kty)}\``);
  if (jwk.use != null && jwk.use !== 'sig') fail(issuer, `${where} is not a signing key (use \`${jwk.use}\`)`);
  if (jwk.key_ops != null && !jwk.key_ops.includes('verify')) fail(issuer, `${where} does not allow \`verify\``);
  if (jwk.alg != null && !isJwsAlgorithm(jwk.alg)) fail(issuer, `${where} has an unsupported alg \`${jwk.alg}\``);
  const { all, defaults } = algorithmsFor(jwk, family);
  if (family === 'oct') {
    if (typeof jwk.k !== 'string' || jwk.k === '') fail(issuer, `${where} is a symmetric key without \`k\``);
    return { jwk, family, algorithms: all, defaults, secret: createSecretKey(Buffer.from(jwk.k, 'base64url')) };
  }
  for (const member of PRIVATE_MEMBERS) {
    if (member in jwk) fail(issuer, `${where} contains private key material (\`${member}\`); configure the public key only`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (e) {
    fail(issuer, `${where} is not a valid ${jwk.kty} public key`, e);
  }
  if (family === 'rsa' && (keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    fail(issuer, `${where} is an RSA key shorter than ${MIN_RSA_BITS} bits`);
  }
  if (family === 'okp' && keyObject.asymmetricKeyType !== 'ed25519') fail(issuer, `${where} is not an Ed25519 key`);
  if (all.length === 0) fail(issuer, `${where} supports no accepted algorithm (curve \`${String(jwk.crv)}\`, alg \`${String(jwk.alg)}\`)`);
  return { jwk, family, algorithms: all, defaults };
}

function keyInputs(config: IssuerConfig, baseDir: string): { inputs: unknown[]; source: string } {
  if (config.jwksFile != null) {
    const path = isAbsolute(config.jwksFile) ? config.jwksFile : resolve(baseDir, config.jwksFile);
    let parsed: unknown;
    try {
      parsed = readConfigJson(path, `JWKS file \`${path}\``, { regularOnly: true });
    } catch (e) {
      fail(config.issuer, (e as Error).message, e);
    }
    if (typeof parsed !== 'object' || parsed == null || !Array.isArray((parsed as JSONWebKeySet).keys)) {
      fail(config.issuer, `\`${path}\` is not a JWKS (\`{ "keys": [...] }\`)`);
    }
    return { inputs: (parsed as JSONWebKeySet).keys, source: `JWKS file ${path}` };
  }
  const keys = config.keys;
  if (Array.isArray(keys)) return { inputs: keys, source: `${keys.length} inline key(s)` };
  if (typeof keys === 'object' && keys != null && Array.isArray((keys as JSONWebKeySet).keys)) {
    return { inputs: (keys as JSONWebKeySet).keys, source: `${(keys as JSONWebKeySet).keys.length} inline key(s)` };
  }
  return { inputs: [keys], source: 'inline key' };
}

function checkAlgorithms(issuer: string, configured: string[] | undefined): JwsAlgorithm[] | undefined {
  if (configured == null) return undefined;
  if (!Array.isArray(configured) || configured.length === 0) fail(issuer, '`algorithms` must list at least one algorithm');
  for (const alg of configured) {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') fail(issuer, '`none` is never an accepted algorithm');
    if (!isJwsAlgorithm(alg)) fail(issuer, `unsupported algorithm \`${String(alg)}\``);
  }
  const algs = configured as JwsAlgorithm[];
  const hmac = algs.filter((a) => ALGORITHM_SPECS[a].family === 'oct');
  if (hmac.length > 0 && hmac.length < algs.length) {
    fail(issuer, 'HMAC (HS*) and public-key algorithms cannot be accepted together: a public key would become a usable HMAC secret');
  }
  return algs;
}

const cryptoKeyObjects = new WeakMap<CryptoKey, KeyObject>();

function candidateOf(key: CryptoKey): KeyCandidate {
  let keyObject = cryptoKeyObjects.get(key);
  if (keyObject == null) {
    keyObject = KeyObject.from(key);
    cryptoKeyObjects.set(key, keyObject);
  }
  return { keyObject, joseKey: key };
}

type JwksGetter = (header: { alg: string; kid?: string }) => Promise<CryptoKey>;

async function fromJwks(get: JwksGetter, alg: JwsAlgorithm, kid: string | undefined): Promise<KeyCandidate[]> {
  const header = kid != null ? { alg, kid } : { alg };
  try {
    return [candidateOf(await get(header))];
  } catch (e) {
    if (e instanceof joseErrors.JWKSMultipleMatchingKeys) {
      const found: KeyCandidate[] = [];
      for await (const key of e as unknown as AsyncIterable<CryptoKey>) found.push(candidateOf(key));
      return found;
    }
    throw e;
  }
}

function lookupError(e: unknown, alg: string, kid: string | undefined): KeyLookupError {
  if (e instanceof KeyLookupError) return e;
  if (e instanceof joseErrors.JWKSNoMatchingKey) {
    return new KeyLookupError(`no key of this issuer matches alg \`${alg}\`${kid != null ? ` and kid \`${kid}\`` : ''}`);
  }
  if (e instanceof joseErrors.JWKSTimeout) return new KeyLookupError('fetching the JWKS timed out');
  return new KeyLookupError(`cannot get the issuer's keys: ${(e as Error).message}`);
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost' || hostname.startsWith('127.');
}

/** Validates an issuer's configuration and returns its key lookup. Throws `AttestationConfigError`. */
export function createIssuerKeys(config: IssuerConfig, baseDir: string = process.cwd()): IssuerKeys {
  const issuer = config.issuer;
  if (typeof issuer !== 'string' || issuer === '') throw new AttestationConfigError('an issuer needs a non-empty `issuer`');
  const sources = [config.keys != null, config.jwksFile != null, config.jwksUrl != null].filter(Boolean).length;
  if (sources !== 1) fail(issuer, 'give exactly one of `keys`, `jwksFile` or `jwksUrl`');
  const configured = checkAlgorithms(issuer, config.algorithms);

  if (config.jwksUrl != null) {
    let url: URL;
    try {
      url = new URL(config.jwksUrl);
    } catch (e) {
      fail(issuer, `\`jwksUrl\` \`${config.jwksUrl}\` is not a URL`, e);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      fail(issuer, '`jwksUrl` must use https (plain http is only allowed on loopback)');
    }
    if (configured?.some((a) => ALGORITHM_SPECS[a].family === 'oct')) {
      fail(issuer, 'HMAC (HS*) algorithms cannot be used with a JWKS URL: a published key is public, not a shared secret');
    }
    const remote = createRemoteJWKSet(url, {
      cacheMaxAge: config.jwks?.cacheMaxAgeMs ?? 600_000,
      cooldownDuration: config.jwks?.cooldownMs ?? 30_000,
      timeoutDuration: config.jwks?.timeoutMs ?? 5_000,
    }) as unknown as JwksGetter;
    return {
      issuer,
      algorithms: new Set(configured ?? DEFAULT_REMOTE_ALGORITHMS),
      source: `JWKS URL ${url.href}`,
      async candidates(alg, kid) {
        try {
          return await fromJwks(remote, alg, kid);
        } catch (e) {
          throw lookupError(e, alg, kid);
        }
      },
    };
  }

  const { inputs, source } = keyInputs(config, baseDir);
  if (inputs.length === 0) fail(issuer, 'no keys configured');
  const keys = inputs.map((input, i) => toLocalKey(issuer, input, inputs.length > 1 ? `key #${i + 1}` : 'the key'));
  const symmetric = keys.filter((k) => k.family === 'oct');
  if (symmetric.length > 0 && symmetric.length < keys.length) {
    fail(issuer, 'symmetric and public keys cannot be mixed for one issuer');
  }
  const algorithms = configured ?? [...new Set(keys.flatMap((k) => k.defaults))];
  if (algorithms.length === 0) fail(issuer, 'list `algorithms` explicitly for a symmetric (HS*) key');
  for (const alg of algorithms) {
    const family = ALGORITHM_SPECS[alg].family;
    if (family === 'oct' && symmetric.length === 0) {
      fail(issuer, `\`${alg}\` is an HMAC algorithm but the keys are public keys: refused (RS/HS confusion)`);
    }
    if (family !== 'oct' && symmetric.length > 0) fail(issuer, `\`${alg}\` needs a public key, but the key is a symmetric secret`);
    if (!keys.some((k) => k.algorithms.includes(alg))) fail(issuer, `no configured key can verify \`${alg}\``);
    const min = ALGORITHM_SPECS[alg].minSecretBytes;
    if (min != null && symmetric.some((k) => (k.secret?.symmetricKeySize ?? 0) < min)) {
      fail(issuer, `\`${alg}\` needs a secret of at least ${min} bytes`);
    }
  }

  if (symmetric.length > 0) {
    const secrets = symmetric.map((k) => ({ kid: k.jwk.kid, algorithms: k.algorithms, keyObject: k.secret!, bytes: k.secret!.export() }));
    return {
      issuer,
      algorithms: new Set(algorithms),
      source,
      async candidates(alg, kid) {
        const usable = secrets.filter((s) => s.algorithms.includes(alg));
        const exact = kid != null ? usable.filter((s) => s.kid === kid) : [];
        const found = exact.length > 0 ? exact : usable.filter((s) => kid == null || s.kid == null);
        if (found.length === 0) throw lookupError(new joseErrors.JWKSNoMatchingKey(), alg, kid);
        return found.map((s) => ({ keyObject: s.keyObject, joseKey: new Uint8Array(s.bytes) }));
      },
    };
  }

  // jose picks keys by kid and alg; keys without a kid also answer tokens that name a kid.
  const all = createLocalJWKSet({ keys: keys.map((k) => k.jwk) }) as unknown as JwksGetter;
  const kidless = keys.filter((k) => k.jwk.kid == null);
  const anyKid = kidless.length > 0 ? (createLocalJWKSet({ keys: kidless.map((k) => k.jwk) }) as unknown as JwksGetter) : undefined;
  return {
    issuer,
    algorithms: new Set(algorithms),
    source,
    async candidates(alg, kid) {
      try {
        return await fromJwks(all, alg, kid);
      } catch (e) {
        if (e instanceof joseErrors.JWKSNoMatchingKey && kid != null && anyKid != null) {
          try {
            return await fromJwks(anyKid, alg, undefined);
          } catch (e2) {
            throw lookupError(e2, alg, kid);
          }
        }
        throw lookupError(e, alg, kid);
      }
    },
  };
}
