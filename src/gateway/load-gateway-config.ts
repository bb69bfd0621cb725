import { dirname, isAbsolute, resolve } from 'node:path';
import { SaferouteError } from '../errors.js';
import { formatPolicyIssue, type PolicyIssue } from '../policy/policy-issue.js';
import { readJsonFile } from '../policy/read-json-file.js';
import { parseJsonSource, type JsonSource } from '../policy/source-map.js';
import { createSchemaValidator } from '../policy/validate-policy-schema.js';
import { shippedPolicyPath } from '../policy/shipped-policies.js';
import {
  buildGatewayConfigJsonSchema,
  DEFAULT_CONSOLE,
  DEFAULT_LIMITS,
  DEFAULT_PORT,
  LOOPBACK_HOST,
  type AuditConfig,
  type ConsentConfig,
  type ConsoleConfig,
  type GatewayConfig,
  type GatewayLimits,
  type IssuersConfig,
  type RequireSignedPoliciesConfig,
  type TenantConfig,
} from './gateway-config.js';
import { isLoopbackHost } from './loopback.js';
import { resolveWorkerCount, workerProblems } from './worker-count.js';

/** A config file with problems: every one of them, as `file:line:column /pointer: message`. */
export class GatewayConfigError extends SaferouteError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    const where = issues[0]?.file ?? 'config';
    super('config_invalid', `gateway config \`${where}\` is invalid (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):\n${issues.map((i) => '  ' + formatPolicyIssue(i)).join('\n')}`);
    this.issues = issues;
  }
}

export type GatewayConfigResult = { ok: true; config: GatewayConfig } | { ok: false; issues: PolicyIssue[] };

/** A bare name of a shipped policy; anything else is a path. */
const SHIPPED_POLICY_NAMES: readonly string[] = ['default', 'strict'];

const validateSchema = createSchemaValidator(buildGatewayConfigJsonSchema);

interface RawConfig {
  listen?: { host?: string; port?: number; workers?: number | 'auto' };
  tenants: TenantConfig[];
  audit?: AuditConfig;
  consent?: ConsentConfig;
  issuers?: IssuersConfig;
  limits?: Partial<GatewayLimits>;
  trustedProxies?: string[];
  trustedHeaders?: { jurisdiction?: string };
  onBlock?: 'refuse' | 'error';
  console?: Partial<ConsoleConfig>;
  requireSignedPolicies?: RequireSignedPoliciesConfig;
}

/** Reads and validates `saferoute.config.json`; paths in it become absolute (relative to the file). */
export async function loadGatewayConfig(file: string): Promise<GatewayConfigResult> {
  const abs = resolve(file);
  const read = await readJsonFile(abs);
  if (!read.ok) {
    return { ok: false, issues: [{ file, line: 0, column: 0, pointer: '', message: `cannot read the config file: ${read.message}`, severity: 'error', ...(read.message === 'no such file' ? { hint: `looked for ${abs}` } : {}) }] };
  }
  return parseGatewayConfig(read.text, file, dirname(abs));
}

export async function loadGatewayConfigOrThrow(file: string): Promise<GatewayConfig> {
  const result = await loadGatewayConfig(file);
  if (!result.ok) throw new GatewayConfigError(result.issues);
  return result.config;
}

/** Validates config text: syntax, schema, then what a schema cannot say (unique ids and keys, keys off loopback). */
export function parseGatewayConfig(text: string, file: string, baseDir: string): GatewayConfigResult {
  const source = parseJsonSource(text, file, resolve(baseDir, file));
  if (source.syntaxIssues.length > 0) return { ok: false, issues: [...source.syntaxIssues] };
  const issues: PolicyIssue[] = validateSchema(source.value).map((f) => issueAt(source, f.pointer, f.kind, f.message, f.hint ?? schemaHint(f.pointer)));
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const raw = source.value as RawConfig;
  issues.push(...semanticIssues(raw, source));
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const policyAt = (p: string): string => (SHIPPED_POLICY_NAMES.includes(p) ? shippedPolicyPath(p) : at(p));
  const config: GatewayConfig = {
    file: resolve(baseDir, file),
    listen: { host: raw.listen?.host ?? LOOPBACK_HOST, port: raw.listen?.port ?? DEFAULT_PORT, workers: resolveWorkerCount(raw.listen?.workers) },
    tenants: raw.tenants.map((t) => ({ ...t, policy: policyAt(t.policy), ...(t.shadow ? { shadow: t.shadow.map(policyAt) } : {}) })),
    limits: { ...DEFAULT_LIMITS, ...raw.limits },
    trustedProxies: raw.trustedProxies ?? [],
    trustedHeaders: raw.trustedHeaders ?? {},
    onBlock: raw.onBlock ?? 'refuse',
    open: false,
  };
  if (raw.audit) config.audit = 'dir' in raw.audit ? { ...raw.audit, dir: at(raw.audit.dir) } : raw.audit;
  if (raw.consent) config.consent = 'path' in raw.consent ? { path: at(raw.consent.path) } : raw.consent;
  if (raw.issuers) config.issuers = { ...raw.issuers, file: at(raw.issuers.file) };
  if (raw.console) {
    const c: ConsoleConfig = { ...DEFAULT_CONSOLE, ...raw.console };
    if (c.signingKey != null) c.signingKey = at(c.signingKey);
    config.console = c;
  }
  // A key given as a path is a file beside the config; PEM text and JWKs are keys themselves.
  if (raw.requireSignedPolicies) config.requireSignedPolicies = { keys: raw.requireSignedPolicies.keys.map((k) => (typeof k === 'string' && !k.trimStart().startsWith('-----BEGIN') ? at(k) : k)) };
  return { ok: true, config };
}

function semanticIssues(raw: RawConfig, source: JsonSource): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const tenantIds = new Map<string, number>();
  const keyIds = new Map<string, string>();
  const hashes = new Map<string, string>();
  raw.tenants.forEach((t, i) => {
    const first = tenantIds.get(t.id);
    if (first != null) issues.push(issueAt(source, `/tenants/${i}/id`, 'value', `duplicate tenant id \`${t.id}\` (also /tenants/${first}/id)`));
    else tenantIds.set(t.id, i);
    t.apiKeys.forEach((k, j) => {
      const pointer = `/tenants/${i}/apiKeys/${j}`;
      const seenId = keyIds.get(k.id);
      if (seenId != null) issues.push(issueAt(source, `${pointer}/id`, 'value', `duplicate key id \`${k.id}\` (also ${seenId})`, 'key ids name keys in logs and metrics; keep them unique'));
      else keyIds.set(k.id, pointer);
      const seenHash = hashes.get(k.sha256);
      if (seenHash != null) issues.push(issueAt(source, `${pointer}/sha256`, 'value', `the same key hash as ${seenHash}`, 'one key belongs to one tenant; make a new one with `saferoute keys api --tenant ID`'));
      else hashes.set(k.sha256, pointer);
    });
  });
  // Shadow decisions exist only as audit records: without a log, a candidate would decide for nothing.
  const audited = raw.audit != null && !('disabled' in raw.audit);
  if (!audited) {
    raw.tenants.forEach((t, i) => {
      if (t.shadow && t.shadow.length > 0) {
        issues.push(issueAt(source, `/tenants/${i}/shadow`, 'value', `tenant \`${t.id}\` has shadow policies, but the gateway keeps no audit log: shadow decisions are only recorded there`, 'add `"audit": { "dir": ".saferoute/audit" }` (or `{ "pg": … }`), or remove `shadow`'));
      }
    });
  }
  for (const p of workerProblems(resolveWorkerCount(raw.listen?.workers), raw)) issues.push(issueAt(source, p.pointer, 'value', `${p.message} (\`listen.workers\`)`, p.hint));
  const host = raw.listen?.host ?? LOOPBACK_HOST;
  if (!isLoopbackHost(host)) {
    raw.tenants.forEach((t, i) => {
      if (t.apiKeys.length === 0) {
        issues.push(issueAt(source, `/tenants/${i}/apiKeys`, 'value', `tenant \`${t.id}\` has no API keys, and the gateway listens on \`${host}\`, which is not a loopback address`, 'add a key with `saferoute keys api --tenant ' + t.id + '`'));
      }
    });
  }
  return issues;
}

function issueAt(source: JsonSource, pointer: string, kind: 'value' | 'key' | 'container', message: string, hint?: string): PolicyIssue {
  const p = source.locate(pointer, kind);
  return { file: source.file, line: p.line, column: p.column, pointer, message, severity: 'error', ...(hint != null ? { hint } : {}) };
}

/** What to put where the schema refused a value whose right form is not obvious from a pattern. */
function schemaHint(pointer: string): string | undefined {
  if (/^\/tenants\/\d+\/apiKeys\/\d+\/sha256$/.test(pointer)) return 'the `sha256` of the entry `saferoute keys api --tenant ID` prints, never the key itself';
  return undefined;
}

function sortIssues(issues: PolicyIssue[]): PolicyIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
