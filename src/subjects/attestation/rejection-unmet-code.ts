import type { UnmetCode } from '../../decision/decision.js';
import type { AttestationRejection } from './attestation-result.js';

/**
 * The unmet requirement a rejected attestation should produce when age is required. An expired
 * token is a routine event (ask the person to verify again); everything else means the token
 * cannot be relied on at all. No attestation at all is `age_verification_required`.
 */
export function unmetCodeForRejection(reason: AttestationRejection | string): UnmetCode {
  return reason === 'expired' ? 'age_verification_expired' : 'age_verification_invalid';
}
