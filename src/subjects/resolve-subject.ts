import type { AttestationVerifier } from './attestation/attestation-verifier.js';
import { toSubjectConsentEvent, isValidSubjectId } from './consent/consent-record.js';
import type { ConsentStore } from './consent/consent-store.js';
import { ConsentStoreError } from './consent/consent-store-error.js';
import { resolveJurisdiction, type HeaderBag, type JurisdictionInput } from './jurisdiction.js';
import { createPseudonymiser, type PseudonymKey } from './pseudonym.js';
import type { AgeEvidence, SubjectContext } from './subject-context.js';

/** What a request brings, none of it trusted yet. */
export interface SubjectRequestContext {
  subjectId?: string;
  /** A signed age attestation (JWS compact). */
  attestationToken?: string;
  /** The app's own statement of the jurisdiction; a bare string counts as `declared`. */
  jurisdiction?: JurisdictionInput;
  /** Request headers, read for the jurisdiction (`x-saferoute-region`, `cf-ipcountry`). */
  headers?: HeaderBag;
  attributes?: Record<string, string | number | boolean>;
}

export interface SubjectResolverOptions {
  verifier: AttestationVerifier;
  consentStore: ConsentStore;
  /** When set, `SubjectContext.id` is the subject's pseudonym instead of the raw id. */
  pseudonymKey?: PseudonymKey;
  now?: () => Date;
  /** Headers trusted for the jurisdiction, first present wins; `[]` ignores headers. */
  jurisdictionHeaders?: readonly string[];
  /**
   * Refuse an attestation whose `sub` is not the request's subject id (`subject_mismatch`). Off by
   * default: issuers usually have their own subject identifiers.
   */
  bindSubject?: boolean;
}

export interface SubjectResolver {
  /**
   * Builds the verified subject context. Bad tokens, unknown subjects and unusable jurisdictions
   * end as data (`rejectedAttestations`, no consents, source `unknown`); only a consent store
   * failure throws (`ConsentStoreError`, code `consent_store_failed`), so the engine fails closed.
   */
  resolve(request: SubjectRequestContext, at?: Date): Promise<SubjectContext>;
}

export function createSubjectResolver(options: SubjectResolverOptions): SubjectResolver {
  const now = options.now ?? (() => new Date());
  const pseudonym = options.pseudonymKey != null ? createPseudonymiser(options.pseudonymKey) : undefined;

  async function loadConsents(subjectId: string | undefined, at: Date): Promise<SubjectContext['consents']> {
    if (subjectId == null) return [];
    try {
      const records = await options.consentStore.events(subjectId);
      const t = at.getTime();
      return records.filter((r) => Date.parse(r.at) <= t).map(toSubjectConsentEvent);
    } catch (e) {
      if (e instanceof ConsentStoreError) throw e;
      throw new ConsentStoreError(`loading consent failed: ${(e as Error).message}`, { cause: e });
    }
  }

  return {
    async resolve(request, at = now()) {
      const subjectId = isValidSubjectId(request.subjectId) ? request.subjectId : undefined;
      const token = request.attestationToken;
      const [verification, consents] = await Promise.all([
        token != null ? options.verifier.verify(token, { at }) : undefined,
        loadConsents(subjectId, at),
      ]);

      const context: SubjectContext = {};
      if (subjectId != null) context.id = pseudonym != null ? pseudonym(subjectId) : subjectId;
      const jurisdiction = resolveJurisdiction({ jurisdiction: request.jurisdiction, headers: request.headers, headerNames: options.jurisdictionHeaders });
      if (jurisdiction.jurisdiction != null) context.jurisdiction = jurisdiction.jurisdiction;
      context.jurisdictionSource = jurisdiction.source;
      if (jurisdiction.rejected != null) context.jurisdictionRejected = jurisdiction.rejected;

      if (verification != null) {
        if (!verification.ok) {
          context.rejectedAttestations = [verification.issuer != null ? { reason: verification.reason, issuer: verification.issuer } : { reason: verification.reason }];
        } else if (options.bindSubject === true && verification.attestation.subject !== subjectId) {
          context.rejectedAttestations = [{ reason: 'subject_mismatch', issuer: verification.attestation.issuer }];
        } else {
          const a = verification.attestation;
          const age: AgeEvidence = { over: a.over, method: a.method, level: a.level, verifiedAt: a.verifiedAt, expiresAt: a.expiresAt, issuer: a.issuer };
          if (a.attestationId != null) age.attestationId = a.attestationId;
          context.age = age;
        }
      }
      context.consents = consents ?? [];
      if (request.attributes != null) context.attributes = { ...request.attributes };
      return context;
    },
  };
}
