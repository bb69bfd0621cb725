import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { policyKeyId } from './policy-keys.js';
import type { PolicySignature } from './policy-signature.js';

/** Signs a loaded policy's canonical SHA-256 (the resolved policy: its `extends` bases included). */
export function signPolicy(policy: EvaluablePolicy, key: KeyObject, signer: string, now: Date = new Date()): PolicySignature {
  const unsigned: Omit<PolicySignature, 'signature'> = {
    type: 'saferoute-policy-signature',
    v: 1,
    algorithm: 'Ed25519',
    policy: { id: policy.id, revision: policy.revision, sha256: policy.sha256 },
    signer,
    signedAt: now.toISOString(),
    keyId: policyKeyId(key),
  };
  const signature = sign(null, Buffer.from(canonicalJson(unsigned)), key).toString('base64url');
  return { ...unsigned, signature };
}

/** The signature is by `key` over exactly these fields. */
export function signatureIsValid(sig: PolicySignature, key: KeyObject): boolean {
  const { signature, ...unsigned } = sig;
  try {
    return verify(null, Buffer.from(canonicalJson(unsigned)), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
