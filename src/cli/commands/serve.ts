import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { UsageError } from '../../errors.js';
import { createJsonLog, type GatewayLog } from '../../gateway/gateway-log.js';
import type { GatewayConfig } from '../../gateway/gateway-config.js';
import type { Env } from '../../guard/resolve-runtime.js';
import { createMetrics } from '../../observability/create-metrics.js';
import { gatewayWorkerLink } from '../../gateway/workers/gateway-worker-link.js';
import { runGatewayPrimary } from '../../gateway/workers/run-gateway-primary.js';
import { parseWorkersOption } from '../../gateway/worker-count.js';
import { stopWhenOrphaned } from '../stop-when-orphaned.js';
import { openGatewayConfig } from '../../gateway/open-gateway-config.js';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway.js';
import { readiness } from '../../gateway/health-routes.js';

const usage = `usage: saferoute serve [--config FILE] [--policy FILE] [--host H] [--port N] [--workers N|auto] [--console]

Runs the OpenAI-compatible gateway: POST /v1/chat/completions (streaming too), /v1/moderations,
/v1/decide, /v1/consents (admin keys), GET /v1/models, /healthz, /readyz, /metrics. Point any
OpenAI client at http://HOST:PORT/v1 with an API key of the config.

  --config FILE   the gateway config (saferoute.config.json): tenants, their policies and API
                  key hashes, audit sink, consent store, issuers, limits, trusted proxies
  --policy FILE   without a config: serve this policy (or \`default\`, \`strict\`: the shipped
                  ones) as one tenant that needs no key
  --host H        listen address (default 127.0.0.1; anything but loopback needs --config with keys)
  --port N        listen port (default 8787; 0 picks a free one)
  --workers N     serve with N processes on the shared port (\`auto\`: one per core; default 1,
                  or the config's \`listen.workers\`): each is a whole gateway with its own
                  audit writer chain; consent and single-use tokens must then be in PostgreSQL
  --console       also serve the web console at /console (decisions, policies, playground),
                  with the config's \`console\` settings; log in with a key that has the
                  auditor, editor or admin scope

Without --config the gateway needs no API key, listens on 127.0.0.1 only, and says so.
SIGHUP (or a changed config or policy file) reloads; an invalid new policy is refused and the old
one keeps serving. SIGTERM drains open streams (up to limits.drainTimeoutMs), closes the audit
log with its writer-stop record, and exits 0.`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the OpenAI-compatible gateway (chat completions, moderations, decide, consents, metrics)',
  usage,
  async run(argv, ctx) {
    try {
      return await serve(argv, ctx);
    } finally {
      // A worker of `--workers N` that stops, or could not start, lets go of its primary so that it exits.
      if (cluster.isWorker && process.connected) cluster.worker?.disconnect();
    }
  },
};

async function serve(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    config: { type: 'string' },
    policy: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    workers: { type: 'string' },
    console: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(usage + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
  const port = values.port != null ? Number(values.port) : undefined;
  if (port != null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UsageError(`\`--port ${values.port}\` must be a port number (0–65535)`);
  const workersGiven = values.workers != null ? parseWorkersOption(values.workers) : undefined;
  if (typeof workersGiven === 'object') throw new UsageError(workersGiven.problem);
  // Who started us, before anything slow: npm may go while the gateway is still starting.
  const parent = process.ppid;
  // A worker of `--workers N`: from now on it ignores signals (its primary sends commands), and it
  // checks the config against the primary's worker count, not the file's (which may have changed).
  const metrics = createMetrics();
  const link = gatewayWorkerLink(metrics.registry);
  const config = await openGatewayConfig({
    ...(link ? { workers: link.count } : workersGiven != null ? { workers: workersGiven } : {}),
    ...(values.config != null ? { config: values.config } : {}),
    ...(values.policy != null ? { policy: values.policy } : {}),
    ...(values.host != null ? { host: values.host } : {}),
    ...(port != null ? { port } : {}),
    ...(values.console ? { console: true } : {}),
    cwd: ctx.cwd,
    env: ctx.env,
  });
  const log = createJsonLog((line) => ctx.stderr.write(line));
  const workers = config.listen.workers ?? 1;
  // Killing `npx saferoute serve` must not leave the gateway running (npm does not forward SIGTERM).
  const orphaned = (): void => {
    log('warn', 'the npm process that started this gateway (npx or npm run) has exited; shutting down (SAFEROUTE_NO_PARENT_WATCH=1 keeps it running)');
    process.kill(process.pid, 'SIGTERM');
  };
  if (workers > 1 && cluster.isPrimary) {
    const unwatch = stopWhenOrphaned(ctx.env, parent, orphaned);
    try {
      return await servePrimary(config, workers, ctx, log);
    } finally {
      unwatch();
    }
  }
  let finished: (error?: unknown) => void = () => undefined;
  const closed = new Promise<unknown>((resolve) => (finished = resolve));
  const running = await startGateway(config, { env: ctx.env, cwd: ctx.cwd, log, metrics, signals: !link, ...(link ? { metricsText: link.clusterMetrics } : {}), onClosed: (error) => finished(error) });
  // A worker's parent is the primary: it reloads and stops the worker, and a worker whose primary is gone drains and stops.
  link?.handle({
    reload: () => void running.reload(),
    stop: () =>
      void running.close().then(
        () => finished(),
        (error: unknown) => finished(error),
      ),
  });
  const unwatch = link ? () => undefined : stopWhenOrphaned(ctx.env, parent, orphaned);
  const report = await startReport(running, config, ctx.env, workers);
  if (link) link.listening({ url: running.url, report });
  else {
    ctx.stderr.write(report.stderr);
    ctx.stdout.write(report.stdout);
  }
  const error = await closed;
  unwatch();
  link?.disconnect();
  if (error != null) throw error;
  return EXIT.ok;
}

/**
 * `serve --workers N`: this process forks N gateways on the shared port and serves nothing itself.
 * Workers share one console session secret (one is made when none is set), so a login works on
 * whichever worker the next request reaches.
 */
async function servePrimary(config: GatewayConfig, workers: number, ctx: CommandContext, log: GatewayLog): Promise<number> {
  const env: Record<string, string> = {};
  const secretEnv = config.console?.enabled ? config.console.sessionSecretEnv : undefined;
  if (secretEnv != null && (ctx.env[secretEnv] ?? '') === '') env[secretEnv] = randomBytes(32).toString('base64url');
  const primary = runGatewayPrimary({
    workers,
    env,
    log,
    drainTimeoutMs: config.limits.drainTimeoutMs,
    onListening: ({ report }) => {
      ctx.stderr.write(report.stderr);
      ctx.stdout.write(report.stdout);
    },
  });
  const code = await primary.exited;
  return code === 0 ? EXIT.ok : code;
}

/** What `serve` prints once it listens: where, what it serves (stdout), and what will not work (stderr). */
async function startReport(running: RunningGateway, config: GatewayConfig, env: Env, workers: number): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  if (config.open) {
    stderr +=
      `\nWARNING: started without --config, so NO API KEY is required: anyone who can reach ${config.listen.host}:${running.port} can use it.\n` +
      'WARNING: it therefore listens on a loopback address only. For real use: saferoute serve --config saferoute.config.json\n\n';
  }
  const tenants = [...running.host.state.tenants.values()].map((t) => `${t.id} (${t.guard.runtime.policy.id} revision ${t.guard.runtime.policy.revision})`);
  stdout += `saferoute gateway listening on ${running.url}  (OpenAI base URL ${running.url}/v1)${workers > 1 ? `, ${workers} worker processes` : ''}\ntenants: ${tenants.join(', ')}\n`;
  if (config.console?.enabled) stdout += `console: ${running.url}/console\n`;
  const audit = config.audit;
  if (audit && 'dir' in audit) stdout += `audit log: ${audit.dir}${workers > 1 ? ' (one writer chain per worker)' : ''} (verify: saferoute audit verify ${audit.dir} --key ${running.host.audit?.publicKeyPath ?? 'PUBLIC_KEY.pem'})\n`;
  else if (audit && 'pg' in audit) stdout += `audit log: PostgreSQL (\`audit.pg\`)${workers > 1 ? ', one writer chain per worker' : ''}\n`;
  const consent = config.consent;
  if (consent) stdout += `consent store: ${'path' in consent ? consent.path : 'PostgreSQL (`consent.pg`)'}\n`;
  // A target whose key variable is unset fails each request routed to it (500 provider_config): say so now.
  const unsetKeys = new Map<string, string[]>();
  for (const t of running.host.state.tenants.values()) {
    for (const [name, target] of Object.entries(t.guard.runtime.policy.document.targets)) {
      const variable = target.apiKeyEnv;
      if (variable == null || (env[variable] ?? '').trim() !== '') continue;
      unsetKeys.set(variable, [...(unsetKeys.get(variable) ?? []), `\`${name}\` of ${t.id}`]);
    }
  }
  for (const [variable, targets] of unsetKeys) {
    stderr += `WARNING: ${variable} is not set: requests routed to target ${targets.join(', ')} will fail (500, provider_config); set it in this process's environment\n`;
  }
  // The gateway serves while a store is down (/readyz says so); say it at start too, where the operator looks.
  const ready = await readiness(running.host, false);
  for (const [name, check] of Object.entries(ready.checks)) {
    if (!check.ok) stderr += `WARNING: not ready: ${name}: ${typeof check.detail === 'string' ? check.detail : JSON.stringify(check.detail)} (GET /readyz answers 503 until it is)\n`;
  }
  return { stdout, stderr };
}
