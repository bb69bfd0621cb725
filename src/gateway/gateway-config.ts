/**
 * Who may call the gateway, and what for. `auditor` reads the web console (decisions, policies,
 * playground); `editor` also drafts, tests and saves policy revisions there; `admin` is the consent
 * endpoints and every console page of every tenant.
 */
export const GATEWAY_SCOPES = ['chat', 'moderations', 'decide', 'admin', 'auditor', 'editor'] as const;
export type GatewayScope = (typeof GATEWAY_SCOPES)[number];

/** Scopes a key gets when neither it nor its tenant lists any. */
export const DEFAULT_SCOPES: readonly GatewayScope[] = ['chat', 'moderations', 'decide'];

export interface ApiKeyConfig {
  id: string;
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  sha256: string;
  /** Replaces the tenant's scopes for this key. */
  scopes?: GatewayScope[];
}

export interface TenantConfig {
  id: string;
  /** A policy file (relative to the config file) or a shipped policy name (`default`, `strict`). */
  policy: string;
  apiKeys: ApiKeyConfig[];
  scopes?: GatewayScope[];
  /**
   * Candidate policies (files, relative to the config file) decided beside `policy` on every
   * request and answer, never enforced: recorded in the audit log as shadow decisions linked to
   * the live one, for `saferoute replay --shadow`.
   */
  shadow?: string[];
}

/** Public keys whose policy signatures count: key files or directories (relative to the config file), PEM text, or JWKs. */
export interface RequireSignedPoliciesConfig {
  keys: (string | Record<string, unknown>)[];
}

/** The web console (`saferoute serve --console`): pages for compliance teams and auditors, in the gateway's process. */
export interface ConsoleConfig {
  enabled: boolean;
  /**
   * The environment variable holding the secret that signs session cookies (at least 32 characters;
   * default `SAFEROUTE_CONSOLE_SESSION_SECRET`). Unset: a random secret per process, so sessions
   * end with a restart and each instance has its own.
   */
  sessionSecretEnv: string;
  /** How long a session lasts after login, in seconds (default 8 hours). */
  sessionTtlSeconds: number;
  /** The Ed25519 private key (PEM file) that signs revisions an editor saves; without it saving is refused. */
  signingKey?: string;
  /** Who the saved revisions are signed as (`Name <email>`); the editor's key id is added. */
  signer?: string;
  /** How long a verification of the audit log is reused, in seconds (default 15). */
  verifyCacheSeconds: number;
}

export const DEFAULT_CONSOLE: ConsoleConfig = {
  enabled: true,
  sessionSecretEnv: 'SAFEROUTE_CONSOLE_SESSION_SECRET',
  sessionTtlSeconds: 8 * 3600,
  verifyCacheSeconds: 15,
};

export type AuditConfig = { dir: string; writerId?: string } | { pg: string; schema?: string; writerId?: string } | { disabled: true };
export type ConsentConfig = { path: string } | { pg: string; schema?: string };
export interface IssuersConfig {
  file: string;
  audience?: string;
  replay?: { pg: string; schema?: string };
}

export interface GatewayLimits {
  /** Request bodies above this are refused with 413 (default 1 MiB). */
  maxBodyBytes: number;
  /** Messages per chat request (default 256). */
  maxMessages: number;
  /** Open streams per API key (default 16); more get 429. */
  maxConcurrentStreamsPerKey: number;
  /** Total time an upstream may take to answer (default 60 s); a streamed answer may idle this long between chunks. */
  upstreamTimeoutMs: number;
  /** How long SIGTERM waits for open streams (default 10 s). */
  drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxBodyBytes: 1024 * 1024,
  maxMessages: 256,
  maxConcurrentStreamsPerKey: 16,
  upstreamTimeoutMs: 60_000,
  drainTimeoutMs: 10_000,
};

export interface GatewayConfig {
  /** Where the config came from (for messages and reload); undefined for an in-memory config. */
  file?: string;
  /**
   * Where to listen, and how many worker processes serve (default 1): with more, each is a whole
   * gateway sharing the port, with its own audit writer chain (`WRITER-w1`, `WRITER-w2`, …).
   */
  listen: { host: string; port: number; workers?: number };
  tenants: TenantConfig[];
  audit?: AuditConfig;
  consent?: ConsentConfig;
  /**
   * An issuers file (`saferoute keys generate` writes one) and our audience for attestations, and
   * where single-use tokens are remembered: in the process (default), or in PostgreSQL (`replay`),
   * which every worker and every instance shares, so a token counts once across all of them.
   */
  issuers?: IssuersConfig;
  limits: GatewayLimits;
  /** Peers (IPs) whose `trustedHeaders` are believed: the load balancer, never a client. */
  trustedProxies: string[];
  /** Headers a trusted proxy sets: `jurisdiction` (e.g. `cf-ipcountry`). */
  trustedHeaders: { jurisdiction?: string };
  /** A block answers as OpenAI does (`refuse`: 200, `finish_reason: "content_filter"`) or as an error (`error`: 403). */
  onBlock: 'refuse' | 'error';
  /** No keys: every caller is the single tenant (only allowed on a loopback address). */
  open: boolean;
  /** The web console, when served. */
  console?: ConsoleConfig;
  /** Every tenant's policy and shadow policies must be signed by one of these keys, at start and at every reload. */
  requireSignedPolicies?: RequireSignedPoliciesConfig;
}

export const DEFAULT_PORT = 8787;
/** More worker processes than this only contend for the same cores. */
export const MAX_WORKERS = 64;
export const LOOPBACK_HOST = '127.0.0.1';

/** The JSON Schema of `saferoute.config.json` (draft 2020-12), for editors and validation. */
export function buildGatewayConfigJsonSchema(): Record<string, unknown> {
  const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 64 };
  const scopes = { type: 'array', items: { enum: [...GATEWAY_SCOPES] }, uniqueItems: true };
  const pgUrl = { type: 'string', pattern: '^postgres(ql)?://' };
  const schemaName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://saferoute.dev/schema/gateway-config.schema.json',
    title: 'saferoute gateway configuration',
    type: 'object',
    additionalProperties: false,
    required: ['tenants'],
    properties: {
      $schema: { type: 'string' },
      listen: {
        type: 'object',
        additionalProperties: false,
        properties: {
          host: { type: 'string', minLength: 1 },
          port: { type: 'integer', minimum: 0, maximum: 65535 },
          workers: { anyOf: [{ type: 'integer', minimum: 1, maximum: MAX_WORKERS }, { const: 'auto' }] },
        },
      },
      tenants: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'policy', 'apiKeys'],
          properties: {
            id,
            policy: { type: 'string', minLength: 1 },
            scopes,
            shadow: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
            apiKeys: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'sha256'],
                properties: { id, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, scopes },
              },
            },
          },
        },
      },
      audit: {
        anyOf: [
          { type: 'object', additionalProperties: false, required: ['dir'], properties: { dir: { type: 'string', minLength: 1 }, writerId: id } },
          { type: 'object', additionalProperties: false, required: ['pg'], properties: { pg: pgUrl, schema: schemaName, writerId: id } },
          { type: 'object', additionalProperties: false, required: ['disabled'], properties: { disabled: { const: true } } },
        ],
      },
      consent: {
        anyOf: [
          { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string', minLength: 1 } } },
          { type: 'object', additionalProperties: false, required: ['pg'], properties: { pg: pgUrl, schema: schemaName } },
        ],
      },
      issuers: {
        type: 'object',
        additionalProperties: false,
        required: ['file'],
        properties: {
          file: { type: 'string', minLength: 1 },
          audience: { type: 'string', minLength: 1 },
          replay: { type: 'object', additionalProperties: false, required: ['pg'], properties: { pg: pgUrl, schema: schemaName } },
        },
      },
      limits: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxBodyBytes: { type: 'integer', minimum: 1024 },
          maxMessages: { type: 'integer', minimum: 1 },
          maxConcurrentStreamsPerKey: { type: 'integer', minimum: 1 },
          upstreamTimeoutMs: { type: 'integer', minimum: 100 },
          drainTimeoutMs: { type: 'integer', minimum: 0 },
        },
      },
      trustedProxies: { type: 'array', items: { type: 'string', minLength: 1 } },
      trustedHeaders: {
        type: 'object',
        additionalProperties: false,
        properties: { jurisdiction: { type: 'string', pattern: '^[A-Za-z0-9-]+$' } },
      },
      onBlock: { enum: ['refuse', 'error'] },
      console: {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean' },
          sessionSecretEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          sessionTtlSeconds: { type: 'integer', minimum: 60, maximum: 604800 },
          signingKey: { type: 'string', minLength: 1 },
          signer: { type: 'string', minLength: 1, maxLength: 200 },
          verifyCacheSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
        },
      },
      requireSignedPolicies: {
        type: 'object',
        additionalProperties: false,
        required: ['keys'],
        properties: {
          keys: {
            type: 'array',
            minItems: 1,
            items: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object', required: ['kty'], properties: { kty: { const: 'OKP' } } }] },
          },
        },
      },
    },
  };
}
