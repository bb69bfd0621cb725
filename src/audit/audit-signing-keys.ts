import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AuditConfigError } from './audit-error.js';

export interface AuditKeyPair {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/** A key as the caller has it: a KeyObject, PEM text, or a JWK object. */
export type AuditKeyInput = KeyObject | string | JsonWebKey;

export function generateAuditKeyPair(): AuditKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId: auditKeyId(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: auditKeyId(publicKey) },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid: auditKeyId(publicKey) },
  };
}

/** The key id of an Ed25519 key (public, or private whose public half is used). */
export function auditKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  // RFC 7638: the required members in lexicographic order, no whitespace.
  const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(thumbprintInput).digest('base64url');
}

export function loadAuditSigningKey(input: AuditKeyInput): KeyObject {
  let key: KeyObject;
  try {
    if (isKeyObject(input)) key = input;
    else if (typeof input === 'string') key = createPrivateKey(input);
    else key = createPrivateKey({ key: input, format: 'jwk' });
  } catch (err) {
    throw new AuditConfigError('the audit checkpoint signing key is not a readable Ed25519 private key', { cause: err });
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new AuditConfigError('the audit checkpoint signing key must be an Ed25519 private key');
  }
  return key;
}

export function loadAuditVerifyKey(input: AuditKeyInput): KeyObject {
  let key: KeyObject;
  try {
    if (isKeyObject(input)) key = input;
    else if (typeof input === 'string') key = createPublicKey(input);
    else key = createPublicKey({ key: input, format: 'jwk' });
  } catch (err) {
    throw new AuditConfigError('the audit checkpoint key is not a readable Ed25519 public key', { cause: err });
  }
  if (key.type === 'private') key = createPublicKey(key);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditConfigError('the audit checkpoint key must be an Ed25519 key');
  }
  return key;
}

/** Reads a key file's text as PEM or as JSON (a JWK). */
export function parseAuditKeyText(text: string): string | JsonWebKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as JsonWebKey;
    } catch (err) {
      throw new AuditConfigError('the audit key file is neither PEM nor a JWK', { cause: err });
    }
  }
  return trimmed;
}

function isKeyObject(value: unknown): value is KeyObject {
  return typeof value === 'object' && value !== null && typeof (value as KeyObject).export === 'function' && 'asymmetricKeyType' in value;
}
