export { ASSURANCE_LEVELS, AGE_METHODS, CONSENT_STATES } from './subject-context.js';
export type {
  AssuranceLevel,
  AgeMethod,
  AgeEvidence,
  ConsentState,
  ConsentEvent,
  JurisdictionSource,
  SubjectContext,
} from './subject-context.js';
export { assuranceRank, strongerLevel, effectiveAssurance } from './assurance.js';

export { pseudonymise, createPseudonymiser, pseudonymKeyCheck, pseudonymKeyFromEnv, PseudonymKeyError, MIN_PSEUDONYM_KEY_BYTES, DEFAULT_PSEUDONYM_KEY_ENV } from './pseudonym.js';
export type { PseudonymKey } from './pseudonym.js';

export { resolveJurisdiction, normaliseJurisdiction, classifyJurisdiction, DEFAULT_JURISDICTION_HEADERS } from './jurisdiction.js';
export type { ResolvedJurisdiction, JurisdictionInput, JurisdictionClass, HeaderBag } from './jurisdiction.js';
export { ISO_3166_ALPHA2 } from './iso-3166.js';

export { createAttestationVerifier, DEFAULT_MAX_TOKEN_BYTES, DEFAULT_CLOCK_SKEW_SEC } from './attestation/attestation-verifier.js';
export type { AttestationVerifier, AttestationVerifierOptions, VerifyOptions } from './attestation/attestation-verifier.js';
export { ATTESTATION_REJECTIONS } from './attestation/attestation-result.js';
export type { Attestation, AttestationCheck, AttestationRejection, AttestationResult } from './attestation/attestation-result.js';
export type { IssuerConfig, IssuerKeyInput, PemKey } from './attestation/issuer-keys.js';
export { loadIssuersFile } from './attestation/load-issuers-file.js';
export type { IssuersFile } from './attestation/load-issuers-file.js';
export { JWS_ALGORITHMS } from './attestation/jws-algorithms.js';
export type { JwsAlgorithm } from './attestation/jws-algorithms.js';
export { AttestationConfigError } from './attestation/attestation-config-error.js';
export { AGE_METHOD_ALIASES, ASSURANCE_LEVEL_ALIASES, normaliseAgeMethod, normaliseAssuranceLevel } from './attestation/age-method-aliases.js';
export { createMemoryReplayStore } from './attestation/replay-store.js';
export type { ReplayStore, MemoryReplayStoreOptions } from './attestation/replay-store.js';
export { createPgReplayStore } from './attestation/pg-replay-store.js';
export type { PgReplayStore, PgReplayStoreOptions } from './attestation/pg-replay-store.js';
export { REPLAY_MIGRATIONS, USED_ATTESTATIONS_TABLE } from './attestation/replay-migrations.js';
export { unmetCodeForRejection } from './attestation/rejection-unmet-code.js';
export { generateIssuerKeyPair, DEV_KEY_ALGORITHMS } from './attestation/issuer-key-pair.js';
export type { IssuerKeyPair, DevKeyAlgorithm } from './attestation/issuer-key-pair.js';
export { mintAttestation } from './attestation/mint-attestation.js';
export type { MintAttestationOptions } from './attestation/mint-attestation.js';

export { COLLECTION_METHODS, ConsentRecordError, createConsentRecord, toSubjectConsentEvent } from './consent/consent-record.js';
export type { ConsentRecord, ConsentEventInput, CollectionMethod } from './consent/consent-record.js';
export { consentStateAt } from './consent/consent-state.js';
export type { ConsentStatus, ConsentStatusState } from './consent/consent-state.js';
export { consentVersionMeets } from './consent/consent-version-meets.js';
export { compareSemVer, parseSemVer, isSemVer } from '../util/semver.js';
export type { SemVer } from '../util/semver.js';
export type { ConsentStore } from './consent/consent-store.js';
export { ConsentStoreError } from './consent/consent-store-error.js';
export { createFileConsentStore } from './consent/file-consent-store.js';
export type { FileConsentStore, FileConsentStoreOptions, CompactionResult } from './consent/file-consent-store.js';
export { createPgConsentStore } from './consent/pg-consent-store.js';
export type { PgConsentStoreOptions } from './consent/pg-consent-store.js';
export { openConsentStore, DEFAULT_CONSENT_STORE_PATH } from './consent/open-consent-store.js';
export type { OpenConsentStoreOptions } from './consent/open-consent-store.js';
export { CONSENT_MIGRATIONS, CONSENT_EVENTS_TABLE } from './consent/consent-migrations.js';
export { SUBJECT_MIGRATIONS } from './subject-migrations.js';

export { createSubjectResolver } from './resolve-subject.js';
export type { SubjectResolver, SubjectResolverOptions, SubjectRequestContext } from './resolve-subject.js';
