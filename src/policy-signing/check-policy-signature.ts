import type { KeyObject } from 'node:crypto';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { signatureFileFor, type PolicySignature, type PolicySignedBy } from './policy-signature.js';
import { readPolicySignature } from './read-policy-signature.js';
import { signatureIsValid } from './sign-policy.js';

interface Where {
  /** The policy file. */
  file: string;
  signatureFile: string;
}

/**
 * The outcome of checking a policy against its detached signature:
 * - `valid`: signed by a trusted key over exactly this resolved policy;
 * - `unsigned`: no signature file beside the policy;
 * - `malformed`: the signature file is not a readable policy signature;
 * - `modified`: the policy (or one of its `extends` bases) changed since it was signed;
 * - `unknown_key`: signed with a key not among the trusted ones;
 * - `bad_signature`: the signature does not verify (the signature file was altered).
 */
export type PolicySignatureCheck = Where &
  (
    | { status: 'valid'; signature: PolicySignature; signedBy: PolicySignedBy }
    | { status: 'unsigned' }
    | { status: 'malformed'; message: string }
    | { status: 'modified'; signature: PolicySignature; sha256: string }
    | { status: 'unknown_key'; signature: PolicySignature }
    | { status: 'bad_signature'; signature: PolicySignature }
  );

/** Checks `policy`, loaded from `file`, against `file`'s signature (`POLICY.sig.json`) and the trusted keys. */
export async function checkPolicySignature(policy: EvaluablePolicy, file: string, trusted: ReadonlyMap<string, KeyObject>, signatureFile = signatureFileFor(file)): Promise<PolicySignatureCheck> {
  const where: Where = { file, signatureFile };
  const read = await readPolicySignature(signatureFile);
  if (!read.ok) return read.missing ? { ...where, status: 'unsigned' } : { ...where, status: 'malformed', message: read.message };
  const signature = read.signature;
  // The digest first: a changed policy is the most useful thing to say, whoever signed it.
  if (signature.policy.sha256 !== policy.sha256) return { ...where, status: 'modified', signature, sha256: policy.sha256 };
  const key = trusted.get(signature.keyId);
  if (!key) return { ...where, status: 'unknown_key', signature };
  if (!signatureIsValid(signature, key)) return { ...where, status: 'bad_signature', signature };
  return { ...where, status: 'valid', signature, signedBy: { signer: signature.signer, keyId: signature.keyId, signedAt: signature.signedAt } };
}

/** One sentence: what the check found and, when it failed, what to do. */
export function describeSignatureCheck(check: PolicySignatureCheck): string {
  const sign = `sign it with \`saferoute policy sign ${check.file} --key KEY --signer "Name <email>"\``;
  switch (check.status) {
    case 'valid':
      return `signed by ${check.signedBy.signer} (key ${check.signedBy.keyId}) at ${check.signedBy.signedAt}`;
    case 'unsigned':
      return `the policy \`${check.file}\` is not signed (no \`${check.signatureFile}\`); review it and ${sign}`;
    case 'malformed':
      return `the signature file \`${check.signatureFile}\` is unusable: ${check.message}; ${sign} again`;
    case 'modified':
      return `the policy \`${check.file}\` was modified since ${check.signature.signer} signed it at ${check.signature.signedAt} (signed sha256 ${check.signature.policy.sha256}, now ${check.sha256}; a change to a policy it extends counts too); review the change (\`saferoute diff\`) and ${sign} again`;
    case 'unknown_key':
      return `the policy \`${check.file}\` is signed by ${check.signature.signer} with key ${check.signature.keyId}, which is not a trusted key; add that signer's public key to the trusted keys, or have a trusted signer sign it`;
    case 'bad_signature':
      return `the signature in \`${check.signatureFile}\` does not verify with key ${check.signature.keyId}: the signature file was altered; ${sign} again`;
  }
}
