import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SaferouteError } from '../errors.js';

/** A key as the caller has it: a KeyObject, a JWK, PEM text, or the path of a key file or of a directory of them. */
export type PolicyKeyInput = KeyObject | JsonWebKey | string;

export interface PolicyKeyPair {
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generatePolicyKeyPair(): PolicyKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId: policyKeyId(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** RFC 7638 SHA-256 thumbprint (base64url) of an Ed25519 key's public half. */
export function policyKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
}

/** An Ed25519 private key from PEM text or a JWK (a file's content). */
export function parsePrivateKey(text: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    const t = text.trim();
    key = t.startsWith('{') ? createPrivateKey({ key: JSON.parse(t) as JsonWebKey, format: 'jwk' }) : createPrivateKey(t);
  } catch (err) {
    throw new SaferouteError('config_invalid', `\`${where}\` is not a readable private key (PEM or JWK); make one with \`saferoute policy keygen --out DIR\``, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SaferouteError('config_invalid', `\`${where}\` is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; policies are signed with Ed25519 keys (\`saferoute policy keygen\`)`);
  return key;
}

function parsePublicKey(text: string | JsonWebKey, where: string): KeyObject {
  let key: KeyObject;
  try {
    if (typeof text !== 'string') key = createPublicKey({ key: text, format: 'jwk' });
    else {
      const t = text.trim();
      key = t.startsWith('{') ? createPublicKey({ key: JSON.parse(t) as JsonWebKey, format: 'jwk' }) : createPublicKey(t);
    }
  } catch (err) {
    throw new SaferouteError('config_invalid', `${where} is not a readable public key (PEM or JWK)`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SaferouteError('config_invalid', `${where} is not an Ed25519 key; policy signatures are Ed25519`);
  return key;
}

/**
 * The public keys a policy signature may be made with, by key id. A string is PEM text when it
 * starts with `-----BEGIN`, otherwise the path of a key file (PEM or JWK) or of a directory whose
 * `*.pub.pem` and `*.pub.jwk.json` files are read. A private key given by mistake counts by its public half.
 */
export async function loadTrustedPolicyKeys(inputs: readonly PolicyKeyInput[], cwd = process.cwd()): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  const add = (k: KeyObject): void => {
    const pub = k.type === 'private' ? createPublicKey(k) : k;
    keys.set(policyKeyId(pub), pub);
  };
  for (const input of inputs) {
    if (typeof input === 'string') {
      if (input.trimStart().startsWith('-----BEGIN')) {
        add(parsePublicKey(input, 'a trusted key given as PEM text'));
        continue;
      }
      const path = resolve(cwd, input);
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new SaferouteError('config_invalid', `the trusted policy key \`${input}\` does not exist (looked for ${path}); give a public key file, a directory of them, or PEM text`);
      const files = info.isDirectory() ? (await readdir(path)).filter((f) => /\.pub\.(pem|jwk\.json)$/.test(f)).sort().map((f) => join(path, f)) : [path];
      if (files.length === 0) throw new SaferouteError('config_invalid', `the directory \`${input}\` holds no public keys (*.pub.pem or *.pub.jwk.json)`);
      for (const f of files) add(parsePublicKey(await readFile(f, 'utf8'), `\`${f}\``));
    } else if (isKeyObject(input)) {
      if (input.asymmetricKeyType !== 'ed25519') throw new SaferouteError('config_invalid', 'a trusted policy key is not an Ed25519 key');
      add(input);
    } else add(parsePublicKey(input, 'a trusted key given as a JWK'));
  }
  return keys;
}

function isKeyObject(value: unknown): value is KeyObject {
  return typeof value === 'object' && value !== null && typeof (value as KeyObject).export === 'function' && 'asymmetricKeyType' in value;
}
