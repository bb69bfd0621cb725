import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_SCOPES, type GatewayScope, type TenantConfig } from './gateway-config.js';

/** A new API key: `sr_` and 32 random bytes, base64url. Shown once; only its SHA-256 is stored. */
export function generateApiKey(): string {
  return `sr_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Who a key belongs to and what it may do. */
export interface ApiKeyIdentity {
  tenant: string;
  keyId: string;
  scopes: ReadonlySet<GatewayScope>;
}

export interface ApiKeyTable {
  /** The identity of a presented key, or undefined. Takes the same time whichever key matches. */
  identify(presented: string): ApiKeyIdentity | undefined;
  readonly size: number;
}

interface Entry {
  digest: Buffer;
  identity: ApiKeyIdentity;
}

/**
 * Keys by SHA-256. The presented key is hashed and compared with every stored digest in constant
 * time, all of them every time: neither the comparison nor the position of a match leaks timing.
 */
export function createApiKeyTable(tenants: readonly TenantConfig[]): ApiKeyTable {
  const entries: Entry[] = tenants.flatMap((t) =>
    t.apiKeys.map((k) => ({
      digest: Buffer.from(k.sha256, 'hex'),
      identity: { tenant: t.id, keyId: k.id, scopes: new Set(k.scopes ?? t.scopes ?? DEFAULT_SCOPES) },
    })),
  );
  return {
    size: entries.length,
    identify(presented) {
      // The one-shot hash: no Hash object per request.
      const digest = hash('sha256', presented, 'buffer');
      let found: ApiKeyIdentity | undefined;
      for (const e of entries) if (timingSafeEqual(e.digest, digest) && found === undefined) found = e.identity;
      return found;
    },
  };
}
