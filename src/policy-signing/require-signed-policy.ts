import path from 'node:path';
import { SaferouteError } from '../errors.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { checkPolicySignature } from './check-policy-signature.js';
import { loadTrustedPolicyKeys, type PolicyKeyInput } from './policy-keys.js';
import { PolicySignatureError } from './policy-signature-error.js';
import type { PolicySignedBy } from './policy-signature.js';

export interface RequireSignedPoliciesOptions {
  /** The public keys whose signatures count: KeyObjects, JWKs, PEM text, key files or directories of them. */
  keys: readonly PolicyKeyInput[];
}

/**
 * The policy with `signedBy` set when its signature (`POLICY.sig.json` beside `file`) is valid
 * under one of the trusted keys; a `PolicySignatureError` naming the file and what to do
 * otherwise. Run once when a policy is loaded, never per decision.
 */
export async function requireSignedPolicy<P extends EvaluablePolicy>(policy: P, file: string | undefined, options: RequireSignedPoliciesOptions, cwd = process.cwd()): Promise<P & { readonly signedBy: PolicySignedBy }> {
  if (file == null || file === '<object>') {
    throw new SaferouteError(
      'config_invalid',
      `requireSignedPolicies needs the policy \`${policy.id}\` as a file (its signature sits beside it): pass the policy's path, or a policy loaded with loadPolicy`,
    );
  }
  if (!Array.isArray(options.keys) || options.keys.length === 0) {
    throw new SaferouteError('config_invalid', 'requireSignedPolicies needs at least one trusted public key in `keys` (`saferoute policy keygen` makes a pair)');
  }
  const trusted = await loadTrustedPolicyKeys(options.keys, cwd);
  const check = await checkPolicySignature(policy, path.resolve(cwd, file), trusted);
  if (check.status !== 'valid') throw new PolicySignatureError(check);
  return Object.freeze({ ...policy, signedBy: Object.freeze({ ...check.signedBy }) });
}

/** Where a loaded policy came from (`Policy.sources[0]`), when it came from a file. */
export function policyFileOf(policy: EvaluablePolicy): string | undefined {
  const first = (policy as { sources?: readonly string[] }).sources?.[0];
  return first != null && first !== '<object>' ? first : undefined;
}
