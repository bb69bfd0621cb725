import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { shippedPolicyPath } from '../policy/shipped-policies.js';
import { DEFAULT_CONSOLE, DEFAULT_LIMITS, DEFAULT_PORT, LOOPBACK_HOST, type GatewayConfig } from './gateway-config.js';
import { loadGatewayConfigOrThrow } from './load-gateway-config.js';
import { isLoopbackHost } from './loopback.js';
import { resolveWorkerCount, workerProblems } from './worker-count.js';

export interface ServeOptions {
  config?: string;
  policy?: string;
  host?: string;
  port?: number;
  /** Worker processes (`--workers`), instead of the config's `listen.workers`. */
  workers?: number | 'auto';
  /** Serve the web console (`--console`), with the config's `console` settings or the defaults. */
  console?: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The config `saferoute serve` runs with: the file given by `--config`, or — without one — a single
 * open tenant (`--policy`, else the shipped default policy) that needs no key and therefore only
 * ever listens on a loopback address.
 */
export async function openGatewayConfig(options: ServeOptions): Promise<GatewayConfig> {
  if (options.config != null && options.policy != null) throw new UsageError('give `--config FILE` or `--policy FILE`, not both: a config names a policy per tenant');
  if (options.config != null) {
    const config = await loadGatewayConfigOrThrow(resolve(options.cwd, options.config));
    const listen = { host: options.host ?? config.listen.host, port: options.port ?? config.listen.port, workers: options.workers != null ? resolveWorkerCount(options.workers) : config.listen.workers ?? 1 };
    if (options.workers != null) refuseUnshareable(listen.workers, config);
    if (!isLoopbackHost(listen.host)) {
      const keyless = config.tenants.filter((t) => t.apiKeys.length === 0).map((t) => t.id);
      if (keyless.length > 0) throw new UsageError(`\`${listen.host}\` is not a loopback address, and tenants ${keyless.map((t) => `\`${t}\``).join(', ')} have no API keys; add keys with \`saferoute keys api --tenant ID\``);
    }
    return withConsole({ ...config, listen }, options.console);
  }
  const host = options.host ?? LOOPBACK_HOST;
  if (!isLoopbackHost(host)) {
    throw new UsageError(`binding to \`${host}\`, which is not a loopback address, requires a config with API keys: \`saferoute serve --config saferoute.config.json\` (make keys with \`saferoute keys api --tenant ID\`)`);
  }
  const policy = options.policy != null ? policyPath(options.policy, options.cwd) : shippedPolicyPath('default');
  const config: GatewayConfig = {
    listen: { host, port: options.port ?? DEFAULT_PORT, workers: resolveWorkerCount(options.workers) },
    tenants: [{ id: 'default', policy, apiKeys: [] }],
    audit: { dir: join(options.cwd, '.saferoute', 'audit') },
    limits: { ...DEFAULT_LIMITS },
    trustedProxies: [],
    trustedHeaders: {},
    onBlock: 'refuse',
    open: true,
  };
  if (options.env.SAFEROUTE_PSEUDONYM_KEY) config.consent = { path: join(options.cwd, '.saferoute', 'consent.jsonl') };
  refuseUnshareable(config.listen.workers ?? 1, config);
  return withConsole(config, options.console);
}

/** `--workers N` with state only one process can keep: say what, and what to do. */
function refuseUnshareable(workers: number, config: GatewayConfig): void {
  const problems = workerProblems(workers, config);
  if (problems.length === 0) return;
  const from = config.file != null ? ` (\`${config.file}\` ${problems.map((p) => p.pointer).join(', ')})` : ' (the consent file kept when SAFEROUTE_PSEUDONYM_KEY is set)';
  throw new UsageError(`--workers ${workers}: ${problems.map((p) => `${p.message}; ${p.hint}`).join('; and ')}${from}`);
}

/** `--console` turns the console on, keeping the config's settings for it. */
function withConsole(config: GatewayConfig, wanted: boolean | undefined): GatewayConfig {
  if (!wanted) return config;
  return { ...config, console: { ...DEFAULT_CONSOLE, ...config.console, enabled: true } };
}

/** `--policy`: a file from the working directory; `default` and `strict`, as everywhere, name the shipped policies unless a file of that name is here. */
function policyPath(given: string, cwd: string): string {
  const file = resolve(cwd, given);
  return (given === 'default' || given === 'strict') && !existsSync(file) ? shippedPolicyPath(given) : file;
}
