import { dirname } from 'node:path';
import type { ClassifierResolver } from '../decision/policy-runtime.js';
import { SaferouteError } from '../errors.js';
import { createGuard, type Guard } from '../guard/create-guard.js';
import type { Env } from '../guard/resolve-runtime.js';
import type { SubjectResolver as GuardSubjectResolver } from '../guard/guard-context.js';
import { createMetrics, type SaferouteMetrics } from '../observability/create-metrics.js';
import { PolicyInvalidError } from '../policy/policy-invalid-error.js';
import { formatPolicyIssue } from '../policy/policy-issue.js';
import { loadPolicyOrThrow } from '../policy/load-policy.js';
import { PolicyNotFoundError } from '../policy/policy-not-found-error.js';
import type { Policy } from '../policy/policy.js';
import { loadTrustedPolicyKeys, type PolicyKeyInput } from '../policy-signing/policy-keys.js';
import { requireSignedPolicy, type RequireSignedPoliciesOptions } from '../policy-signing/require-signed-policy.js';
import { createTargetProvider } from '../providers/create-target-providers.js';
import { createUpstreamAgents } from '../providers/openai-http-provider.js';
import type { Category } from '../taxonomy/categories.js';
import { withTargetName } from '../providers/with-target-name.js';
import { createNodeHttpFetch } from './node-http-fetch.js';
import type { ChatProvider } from '../providers/chat-provider.js';
import { createApiKeyTable, type ApiKeyTable } from './api-keys.js';
import type { GatewayConfig } from './gateway-config.js';
import type { GatewayLog } from './gateway-log.js';
import { createJsonLog } from './gateway-log.js';
import { loadGatewayConfig } from './load-gateway-config.js';
import { openGatewayAudit, type GatewayAudit } from './open-gateway-audit.js';
import { openGatewaySubjects, type GatewaySubjects } from './open-gateway-subjects.js';

export interface TenantRuntime {
  readonly id: string;
  readonly guard: Guard;
}

/**
 * Everything one request is served with, captured when it starts: a reload swaps in a new state
 * and requests already running finish on the one they started with.
 */
export interface GatewayState {
  readonly config: GatewayConfig;
  readonly tenants: ReadonlyMap<string, TenantRuntime>;
  readonly keys: ApiKeyTable;
  /** Increases with every successful reload. */
  readonly generation: number;
}

export interface ReloadResult {
  ok: boolean;
  at: string;
  /** Every problem, as `file:line:column /pointer: message`, when the reload was refused. */
  problems: string[];
}

export interface GatewayHostOptions {
  env?: Env;
  cwd?: string;
  log?: GatewayLog;
  /** Classifiers instead of the built-in registry (tests, custom classifiers). */
  classifiers?: ClassifierResolver;
  /** What custom classifiers (not built in) score, so policies naming them validate. */
  classifierCategories?: Readonly<Record<string, readonly Category[]>>;
  /** Providers by target or provider name instead of those built from the policies' targets. */
  providers?: Readonly<Record<string, ChatProvider>>;
  metrics?: SaferouteMetrics;
  /**
   * How upstream models are called: `node` (default: keep-alive connections, OpenAI-compatible
   * targets without the SDK — whole answers through an undici pool, streams over `node:http`) or
   * `fetch` (the `openai` package and the built-in fetch).
   */
  upstreamClient?: 'node' | 'fetch';
}

export interface GatewayHost {
  /** The state new requests are served with. */
  readonly state: GatewayState;
  readonly metrics: SaferouteMetrics;
  readonly log: GatewayLog;
  readonly audit: GatewayAudit | undefined;
  readonly subjects: GatewaySubjects;
  /** The last reload that was refused (cleared by a successful one): `/readyz` shows it. */
  readonly lastRefusedReload: ReloadResult | undefined;
  /** Re-reads the config file (if any) and every policy; swaps atomically, or keeps the old state. */
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

/**
 * What a gateway process runs on: the config's tenants, each a guard over its policy, sharing one
 * classifier registry, one audit writer, one consent store and one set of metrics.
 */
export async function createGatewayHost(config: GatewayConfig, options: GatewayHostOptions = {}): Promise<GatewayHost> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? createJsonLog();
  const metrics = options.metrics ?? createMetrics();
  const note = (message: string): void => log('warn', message);
  // The audit log and the subject stores are opened side by side, so that one start reports what
  // is wrong with each (and with every policy) rather than the first problem only.
  const [auditOpened, subjectsOpened] = await Promise.allSettled([
    config.audit && !('disabled' in config.audit) ? openGatewayAudit(config.audit, env, cwd, note) : Promise.resolve(undefined),
    openGatewaySubjects(config, env, cwd),
  ]);
  if (auditOpened.status === 'rejected' || subjectsOpened.status === 'rejected') {
    await Promise.allSettled([auditOpened.status === 'fulfilled' ? auditOpened.value?.close() : undefined, subjectsOpened.status === 'fulfilled' ? subjectsOpened.value.close() : undefined]);
    const failures = [auditOpened, subjectsOpened].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const policyProblems = await checkPolicies(config, cwd, options.classifierCategories);
    if (failures.length === 1 && policyProblems.length === 0) throw failures[0];
    const problems = [...failures.map((f) => (f instanceof Error ? f.message : String(f))), ...policyProblems];
    throw new SaferouteError('config_invalid', `cannot start the gateway (${problems.length} problems):\n${problems.map((p) => '  ' + p.replace(/\n/g, '\n  ')).join('\n')}`);
  }
  const audit = auditOpened.value;
  const subjects: GatewaySubjects = subjectsOpened.value;

  // One keep-alive pool for every tenant's upstream calls: OpenAI-compatible targets are posted to
  // over node:http directly, Ollama through a node:http fetch; `fetch` keeps the SDK and the built-in one.
  const upstreamAgents = options.upstreamClient === 'fetch' ? undefined : createUpstreamAgents();
  const upstreamFetch = upstreamAgents ? createNodeHttpFetch({ agents: upstreamAgents }) : undefined;

  const buildState = async (cfg: GatewayConfig, generation: number): Promise<GatewayState> => {
    const tenants = new Map<string, TenantRuntime>();
    const { problems, loadChecked } = await createPolicyLoader(cfg, cwd, options.classifierCategories);
    for (const t of cfg.tenants) {
      try {
        // Every file is checked, so one start (or reload) reports every problem.
        const policy = await loadChecked(t.policy, `tenant \`${t.id}\``);
        const shadow: Policy[] = [];
        for (const file of t.shadow ?? []) {
          const candidate = await loadChecked(file, `tenant \`${t.id}\`, shadow policy`);
          if (candidate) shadow.push(candidate);
        }
        if (!policy || shadow.length !== (t.shadow ?? []).length) continue;
        const providerOptions = { env, timeoutMs: cfg.limits.upstreamTimeoutMs, idleTimeoutMs: cfg.limits.upstreamTimeoutMs, maxRetries: 0, ...(upstreamFetch ? { fetch: upstreamFetch } : {}), ...(upstreamAgents ? { agents: upstreamAgents } : {}) };
        const providers: Record<string, ChatProvider> = {};
        for (const [name, target] of Object.entries(policy.document.targets)) {
          const given = options.providers?.[name] ?? options.providers?.[target.provider];
          // A target provider names its target already; one given to the gateway is wrapped to.
          providers[name] = given ? withTargetName(name, given) : createTargetProvider(name, target, providerOptions);
        }
        const guard = await createGuard({
          policy,
          providers,
          env,
          ...(options.classifiers ? { classifiers: options.classifiers } : {}),
          ...(audit ? { audit: audit.recorder } : {}),
          ...(subjects.resolver ? { subjectResolver: subjects.resolver as GuardSubjectResolver } : {}),
          observers: [metrics.observer],
          input: { maxMessages: cfg.limits.maxMessages },
          ...(shadow.length > 0 ? { shadow } : {}),
        });
        if (shadow.length > 0 && !audit) log('warn', `tenant \`${t.id}\` has shadow policies, but the audit log is disabled: shadow decisions are only recorded in it`);
        tenants.set(t.id, { id: t.id, guard });
      } catch (err) {
        if (err instanceof PolicyInvalidError) problems.push(...err.issues.map(formatPolicyIssue));
        else if (err instanceof SaferouteError) problems.push(`tenant \`${t.id}\`: ${err.message}`);
        else throw err;
      }
    }
    if (problems.length > 0) throw new StateProblems(problems);
    return { config: cfg, tenants, keys: createApiKeyTable(cfg.tenants), generation };
  };

  let state: GatewayState;
  try {
    state = await buildState(config, 1);
  } catch (err) {
    await Promise.allSettled([audit?.close(), subjects.close()]);
    if (err instanceof StateProblems) throw new SaferouteError('policy_invalid', `cannot start the gateway:\n${err.problems.map((p) => '  ' + p).join('\n')}`);
    throw err;
  }
  const announce = (s: GatewayState): void => {
    for (const t of s.tenants.values()) metrics.policyActive(t.id, policyRef(t));
  };
  announce(state);
  let lastRefusedReload: ReloadResult | undefined;
  let reloading: Promise<ReloadResult> | undefined;

  async function reloadOnce(): Promise<ReloadResult> {
    const at = new Date().toISOString();
    const refuse = (problems: string[]): ReloadResult => {
      for (const t of state.tenants.keys()) metrics.policyReload(t, 'invalid');
      const result = { ok: false, at, problems };
      lastRefusedReload = result;
      log('error', 'reload refused; the previous configuration keeps serving', { problems });
      return result;
    };
    let next = state.config;
    if (state.config.file != null && !state.config.open) {
      const loaded = await loadGatewayConfig(state.config.file);
      if (!loaded.ok) return refuse(loaded.issues.map(formatPolicyIssue));
      // Sinks, stores and the listen address are opened once; a changed one needs a restart.
      next = {
        ...loaded.config,
        listen: state.config.listen,
        ...(state.config.audit ? { audit: state.config.audit } : {}),
        // The console is mounted once, at start (`--console` may have added it).
        ...(state.config.console ? { console: state.config.console } : {}),
      };
    }
    try {
      const built = await buildState(next, state.generation + 1);
      state = built;
      lastRefusedReload = undefined;
      for (const t of built.tenants.keys()) metrics.policyReload(t, 'ok');
      announce(built);
      log('info', 'reloaded', { generation: built.generation, policies: [...built.tenants.values()].map((t) => ({ tenant: t.id, ...policyRef(t) })) });
      return { ok: true, at, problems: [] };
    } catch (err) {
      if (err instanceof StateProblems) return refuse(err.problems);
      return refuse([(err as Error).message]);
    }
  }

  return {
    get state() {
      return state;
    },
    metrics,
    log,
    audit,
    subjects,
    get lastRefusedReload() {
      return lastRefusedReload;
    },
    reload() {
      // One reload at a time; a signal during a reload waits for it and then reloads again.
      const run = (reloading ?? Promise.resolve()).then(reloadOnce, reloadOnce);
      reloading = run;
      return run;
    },
    async close() {
      const results = await Promise.allSettled([audit?.close(), subjects.close()]);
      upstreamAgents?.destroy();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** The policy a tenant serves, as logs and `/readyz` name it. */
export function policyRef(t: TenantRuntime): { id: string; revision: string; sha256: string } {
  const p = t.guard.runtime.policy;
  return { id: p.id, revision: p.revision, sha256: p.sha256 };
}

/**
 * Loads a config's policy files: each validated and (under `requireSignedPolicies`) its signature
 * checked, or `undefined` with its problems added to `problems`, so every file gets checked.
 */
async function createPolicyLoader(
  cfg: GatewayConfig,
  cwd: string,
  classifierCategories: GatewayHostOptions['classifierCategories'],
): Promise<{ problems: string[]; loadChecked(file: string, what: string): Promise<Policy | undefined> }> {
  const problems: string[] = [];
  // Keys are read anew with every state: a reload picks up a rotated key.
  const signing: RequireSignedPoliciesOptions | undefined = cfg.requireSignedPolicies ? { keys: [...(await loadTrustedPolicyKeys(cfg.requireSignedPolicies.keys as PolicyKeyInput[], cwd)).values()] } : undefined;
  const loadOptions = classifierCategories ? { classifiers: classifierCategories } : {};
  const loadChecked = async (file: string, what: string): Promise<Policy | undefined> => {
    try {
      const policy = await loadPolicyOrThrow(file, loadOptions);
      return signing ? await requireSignedPolicy(policy, file, signing, cwd) : policy;
    } catch (err) {
      if (err instanceof PolicyInvalidError) problems.push(...err.issues.map(formatPolicyIssue));
      else if (err instanceof PolicyNotFoundError) problems.push(`${what}: ${policyNotFound(err, cfg)}`);
      else if (err instanceof SaferouteError) problems.push(`${what}: ${err.message}`);
      else throw err;
      return undefined;
    }
  };
  return { problems, loadChecked };
}

/** Every problem of every policy (and shadow policy) of a config, as a start reports them. */
async function checkPolicies(cfg: GatewayConfig, cwd: string, classifierCategories: GatewayHostOptions['classifierCategories']): Promise<string[]> {
  try {
    const { problems, loadChecked } = await createPolicyLoader(cfg, cwd, classifierCategories);
    for (const t of cfg.tenants) for (const file of [t.policy, ...(t.shadow ?? [])]) await loadChecked(file, `tenant \`${t.id}\``);
    return problems;
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

class StateProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * A tenant's policy file that is not there, said in the terms of what the operator wrote: a
 * config's paths start at the config's folder, `--policy` at the working directory, and in both
 * `default` and `strict` name the shipped policies (the API hint of the error does not apply).
 */
function policyNotFound(err: PolicyNotFoundError, cfg: GatewayConfig): string {
  const where = cfg.file != null ? `a tenant's \`policy\` and \`shadow\` paths start at the config file's folder (\`${dirname(cfg.file)}\`)` : '`--policy` takes a path from the working directory';
  return `policy file \`${err.path}\` not found; ${where}, and \`default\` or \`strict\` name the policies saferoute ships`;
}
