/**
 * The subject as plain data, the shape `decide()` checks requirements against. In the foundation
 * it is given directly (CLI `--subject FILE`, API); the subject resolver of a later stage builds
 * it from verified attestation tokens and the consent store.
 */
export const ASSURANCE_LEVELS = ['asserted', 'standard', 'enhanced', 'strict'] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

export const AGE_METHODS = [
  'photo_id_match',
  'facial_age_estimation',
  'open_banking',
  'digital_id_wallet',
  'credit_card',
  'mobile_operator',
  'email_age_estimation',
  'school_or_government_record',
  'self_declaration',
] as const;
export type AgeMethod = (typeof AGE_METHODS)[number];

export interface AgeEvidence {
  /** The subject is at least this old (the attestation's age-over threshold). */
  over: number;
  method: AgeMethod;
  level: AssuranceLevel;
  /** ISO 8601 time of the verification. */
  verifiedAt: string;
  /** ISO 8601 time after which the attestation is no longer valid. */
  expiresAt?: string;
  issuer?: string;
  attestationId?: string;
}

export const CONSENT_STATES = ['given', 'withdrawn', 'reaffirmed', 'expired'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export interface ConsentEvent {
  scope: string;
  /** Semantic version of the notice the person agreed to. */
  version: string;
  state: ConsentState;
  /** ISO 8601 time of the event. */
  at: string;
  /** Optional end of validity of a `given` / `reaffirmed` consent. */
  expiresAt?: string;
  recordId?: string;
  noticeSha256?: string;
}

export type JurisdictionSource = 'declared' | 'account' | 'header' | 'attestation' | 'unknown';

export interface SubjectContext {
  id?: string;
  /** ISO 3166-1 alpha-2 region code, optionally with a subdivision (`US-UT`). */
  jurisdiction?: string;
  jurisdictionSource?: JurisdictionSource;
  /**
   * Where a jurisdiction was given but could not be used (`declared`, `header:cf-ipcountry`), as
   * the subject resolver found it; the policy's `defaults.unknownJurisdiction` then applies.
   */
  jurisdictionRejected?: string;
  age?: AgeEvidence;
  /** Consent events; the state per scope is computed as of decision time. */
  consents?: ConsentEvent[];
  /** Reasons a presented attestation was rejected by the resolver (recorded, never trusted). */
  rejectedAttestations?: { reason: string; issuer?: string; detail?: string }[];
  /** Free attributes a policy condition can test (`subject: "attributes.plan"`). */
  attributes?: Record<string, string | number | boolean>;
}
