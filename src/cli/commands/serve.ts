import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { UsageError } from '../../errors.js';
import { createJsonLog } from '../../gateway/gateway-log.js';
import { openGatewayConfig } from '../../gateway/open-gateway-config.js';
import { startGateway } from '../../gateway/start-gateway.js';
import { readiness } from '../../gateway/health-routes.js';

const usage = `usage: saferoute serve [--config FILE] [--policy FILE] [--host H] [--port N] [--console]

Runs the OpenAI-compatible gateway: POST /v1/chat/completions (streaming too), /v1/moderations,
/v1/decide, /v1/consents (admin keys), GET /v1/models, /healthz, /readyz, /metrics. Point any
OpenAI client at http://HOST:PORT/v1 with an API key of the config.

  --config FILE   the gateway config (saferoute.config.json): tenants, their policies and API
                  key hashes, audit sink, consent store, issuers, limits, trusted proxies
  --policy FILE   without a config: serve this policy (or \`default\`, \`strict\`: the shipped
                  ones) as one tenant that needs no key
  --host H        listen address (default 127.0.0.1; anything but loopback needs --config with keys)
  --port N        listen port (default 8787; 0 picks a free one)
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
    const { values, positionals } = parseCommandArgs(argv, {
      config: { type: 'string' },
      policy: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
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
    const config = await openGatewayConfig({
      ...(values.config != null ? { config: values.config } : {}),
      ...(values.policy != null ? { policy: values.policy } : {}),
      ...(values.host != null ? { host: values.host } : {}),
      ...(port != null ? { port } : {}),
      ...(values.console ? { console: true } : {}),
      cwd: ctx.cwd,
      env: ctx.env,
    });
    const log = createJsonLog((line) => ctx.stderr.write(line));
    let finished: (error?: unknown) => void = () => undefined;
    const closed = new Promise<unknown>((resolve) => (finished = resolve));
    const running = await startGateway(config, { env: ctx.env, cwd: ctx.cwd, log, onClosed: (error) => finished(error) });
    if (config.open) {
      ctx.stderr.write(
        `\nWARNING: started without --config, so NO API KEY is required: anyone who can reach ${config.listen.host}:${running.port} can use it.\n` +
          'WARNING: it therefore listens on a loopback address only. For real use: saferoute serve --config saferoute.config.json\n\n',
      );
    }
    const tenants = [...running.host.state.tenants.values()].map((t) => `${t.id} (${t.guard.runtime.policy.id} revision ${t.guard.runtime.policy.revision})`);
    ctx.stdout.write(`saferoute gateway listening on ${running.url}  (OpenAI base URL ${running.url}/v1)\ntenants: ${tenants.join(', ')}\n`);
    if (config.console?.enabled) ctx.stdout.write(`console: ${running.url}/console\n`);
    const audit = config.audit;
    if (audit && 'dir' in audit) ctx.stdout.write(`audit log: ${audit.dir} (verify: saferoute audit verify ${audit.dir} --key ${running.host.audit?.publicKeyPath ?? 'PUBLIC_KEY.pem'})\n`);
    else if (audit && 'pg' in audit) ctx.stdout.write('audit log: PostgreSQL (`audit.pg`)\n');
    const consent = config.consent;
    if (consent) ctx.stdout.write(`consent store: ${'path' in consent ? consent.path : 'PostgreSQL (`consent.pg`)'}\n`);
    // A target whose key variable is unset fails each request routed to it (500 provider_config): say so now.
    const unsetKeys = new Map<string, string[]>();
    for (const t of running.host.state.tenants.values()) {
      for (const [name, target] of Object.entries(t.guard.runtime.policy.document.targets)) {
        const variable = target.apiKeyEnv;
        if (variable == null || (ctx.env[variable] ?? '').trim() !== '') continue;
        unsetKeys.set(variable, [...(unsetKeys.get(variable) ?? []), `\`${name}\` of ${t.id}`]);
      }
    }
    for (const [variable, targets] of unsetKeys) {
      ctx.stderr.write(`WARNING: ${variable} is not set: requests routed to target ${targets.join(', ')} will fail (500, provider_config); set it in this process's environment\n`);
    }
    // The gateway serves while a store is down (/readyz says so); say it at start too, where the operator looks.
    const ready = await readiness(running.host, false);
    for (const [name, check] of Object.entries(ready.checks)) {
      if (!check.ok) ctx.stderr.write(`WARNING: not ready: ${name}: ${typeof check.detail === 'string' ? check.detail : JSON.stringify(check.detail)} (GET /readyz answers 503 until it is)\n`);
    }
    const error = await closed;
    if (error != null) throw error;
    return EXIT.ok;
  },
};
