import { isAbsolute, resolve } from 'node:path';
import type { PseudonymKey } from '../pseudonym.js';
import type { ConsentStore } from './consent-store.js';
import { createFileConsentStore } from './file-consent-store.js';
import { createPgConsentStore } from './pg-consent-store.js';

export const DEFAULT_CONSENT_STORE_PATH = '.saferoute/consent.jsonl';

export interface OpenConsentStoreOptions {
  pseudonymKey: PseudonymKey;
  /** File store path (relative to `cwd`); the default store when no `pgUrl` is given. */
  path?: string;
  /** PostgreSQL connection string: use the PostgreSQL store instead. */
  pgUrl?: string;
  schema?: string;
  cwd?: string;
}

/** The file store unless a PostgreSQL URL is given; what the CLI and a config file resolve to. */
export async function openConsentStore(options: OpenConsentStoreOptions): Promise<ConsentStore> {
  if (options.pgUrl != null) {
    return createPgConsentStore({
      connectionString: options.pgUrl,
      pseudonymKey: options.pseudonymKey,
      max: 4,
      ...(options.schema != null ? { schema: options.schema } : {}),
    });
  }
  const path = options.path ?? DEFAULT_CONSENT_STORE_PATH;
  return createFileConsentStore({ path: isAbsolute(path) ? path : resolve(options.cwd ?? process.cwd(), path), pseudonymKey: options.pseudonymKey });
}
