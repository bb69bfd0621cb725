import { SaferouteError } from '../errors.js';
import { describeSignatureCheck, type PolicySignatureCheck } from './check-policy-signature.js';

/**
 * A policy refused under `requireSignedPolicies`: `policy_unsigned` when it has no signature,
 * `policy_signature_invalid` when it was modified since signing, was signed with an untrusted
 * key, or its signature does not verify (`status` says which).
 */
export class PolicySignatureError extends SaferouteError {
  readonly file: string;
  readonly status: Exclude<PolicySignatureCheck['status'], 'valid'>;
  constructor(check: Exclude<PolicySignatureCheck, { status: 'valid' }>) {
    super(check.status === 'unsigned' ? 'policy_unsigned' : 'policy_signature_invalid', `${describeSignatureCheck(check)} (signatures are required: requireSignedPolicies)`);
    this.file = check.file;
    this.status = check.status;
  }
}
