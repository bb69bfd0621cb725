import type { Env } from '../guard/resolve-runtime.js';
import { createAttestationVerifier, type AttestationVerifier } from '../subjects/attestation/attestation-verifier.js';
import { loadIssuersFile } from '../subjects/attestation/load-issuers-file.js';
import { createPgReplayStore, type PgReplayStore } from '../subjects/attestation/pg-replay-store.js';
import type { ConsentStore } from '../subjects/consent/consent-store.js';
import { openConsentStore } from '../subjects/consent/open-consent-store.js';
import { pseudonymKeyFromEnv } from '../subjects/pseudonym.js';
import { createSubjectResolver, type SubjectResolver } from '../subjects/resolve-subject.js';
import type { GatewayConfig } from './gateway-config.js';

/** How the gateway learns who asks: attestations verified against the configured issuers, consent from the store. */
export interface GatewaySubjects {
  /** Absent when neither issuers nor a consent store is configured: subjects are then as the headers say, unverified. */
  readonly resolver: SubjectResolver | undefined;
  readonly consentStore: ConsentStore | undefined;
  /** Where single-use attestations are remembered, when that is PostgreSQL (`issuers.replay`). */
  readonly replayStore?: PgReplayStore | undefined;
  close(): Promise<void>;
}

export async function openGatewaySubjects(config: GatewayConfig, env: Env, cwd: string): Promise<GatewaySubjects> {
  const consentStore = config.consent
    ? await openConsentStore({
        pseudonymKey: pseudonymKeyFromEnv(env as NodeJS.ProcessEnv),
        cwd,
        ...('path' in config.consent ? { path: config.consent.path } : { pgUrl: config.consent.pg, ...(config.consent.schema ? { schema: config.consent.schema } : {}) }),
      })
    : undefined;
  if (!config.issuers && !consentStore) return { resolver: undefined, consentStore: undefined, close: async () => undefined };
  // Without issuers every token is refused (`unknown_issuer`): an unverifiable age never counts.
  let verifier: AttestationVerifier = noIssuers;
  let replayStore: PgReplayStore | undefined;
  if (config.issuers) {
    const issuers = loadIssuersFile(config.issuers.file);
    const replay = config.issuers.replay;
    // Shared by every worker and instance: a single-use token counts once across all of them.
    if (replay) replayStore = createPgReplayStore({ connectionString: replay.pg, ...(replay.schema ? { schema: replay.schema } : {}) });
    verifier = createAttestationVerifier({ ...issuers, audience: config.issuers.audience ?? issuers.audience ?? 'saferoute', ...(replayStore ? { replayStore } : {}) });
  }
  const resolver = createSubjectResolver({
    verifier,
    consentStore: consentStore ?? emptyConsentStore,
    jurisdictionHeaders: config.trustedHeaders.jurisdiction ? [config.trustedHeaders.jurisdiction.toLowerCase()] : [],
  });
  return {
    resolver,
    consentStore,
    replayStore,
    close: async () => {
      try {
        await consentStore?.close();
      } finally {
        await replayStore?.close();
      }
    },
  };
}

/** Consent for a gateway without a store: nobody has given any. */
const emptyConsentStore: ConsentStore = {
  append: () => Promise.reject(new Error('no consent store is configured')),
  events: () => Promise.resolve([]),
  stateAt: () => Promise.resolve({ state: 'none' } as Awaited<ReturnType<ConsentStore['stateAt']>>),
  close: () => Promise.resolve(),
};

/** A gateway without `issuers` trusts no token: each is refused as from an unknown issuer. */
const noIssuers: AttestationVerifier = {
  issuers: [],
  audience: [],
  verify: () => Promise.resolve({ ok: false, reason: 'unknown_issuer', detail: 'the gateway has no `issuers` configured, so no attestation can be verified' }),
};
