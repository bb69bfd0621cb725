import type { AgeEvidence } from '../subject-context.js';

/** Why a token was refused. Each is a value for the caller, never an exception. */
export const ATTESTATION_REJECTIONS = [
  'malformed',
  'too_large',
  'unknown_issuer',
  'bad_signature',
  'alg_not_allowed',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'wrong_audience',
  'replayed',
  'missing_claims',
  'unknown_method',
  'key_unavailable',
  'duplicate_claims',
  /** Two age claims of the token contradict each other (an age-over and a birthdate, two birthdates…). */
  'conflicting_claims',
  /** Single-use token, but the replay store could not say whether it was seen: refused (fail closed). */
  'replay_check_failed',
  /** The token's `sub` is not the subject of the request (only when the resolver binds subjects). */
  'subject_mismatch',
] as const;
export type AttestationRejection = (typeof ATTESTATION_REJECTIONS)[number];

/** A verified attestation, normalised: the age evidence plus where it came from. */
export interface Attestation extends AgeEvidence {
  issuer: string;
  expiresAt: string;
  /** JWS `alg` it was signed with. */
  algorithm: string;
  keyId?: string;
  /** Whether it was a single-use token (and so has now been consumed). */
  singleUse: boolean;
  /** The token's `sub`, for binding to a request's subject; never logged. */
  subject?: string;
  /** OpenID `verified_claims.verification.trust_framework`, when given. */
  trustFramework?: string;
}

/** One step of the verification, for `saferoute attest inspect`. */
export interface AttestationCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export type AttestationResult =
  | { ok: true; attestation: Attestation; checks?: AttestationCheck[] }
  | { ok: false; reason: AttestationRejection; detail: string; issuer?: string; checks?: AttestationCheck[] };
