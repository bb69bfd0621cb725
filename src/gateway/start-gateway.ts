import { existsSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { signatureFileFor } from '../policy-signing/policy-signature.js';
import { SaferouteError } from '../errors.js';
import type { GatewayConfig } from './gateway-config.js';
import { createChatHotPath } from './chat-hot-path.js';
import { createGatewayApp, type GatewayApp } from './create-gateway-app.js';
import { createConsole } from '../console/create-console.js';
import { createGatewayHost, type GatewayHost, type GatewayHostOptions, type ReloadResult } from './gateway-host.js';

export interface StartGatewayOptions extends GatewayHostOptions {
  /** Reload on SIGHUP, shut down gracefully on SIGTERM and SIGINT (default true). */
  signals?: boolean;
  /** Reload when the config file or a policy file changes (default true). */
  watchFiles?: boolean;
  /** Serve `POST /v1/chat/completions` on `node:http` directly (default true); `false` leaves it to the Hono app. */
  hotPath?: boolean;
  /** The `/metrics` exposition instead of this host's own (a worker of several serves all of theirs). */
  metricsText?: () => Promise<string>;
  /** Told when a signal-initiated shutdown has finished (the CLI exits then). */
  onClosed?: (error?: unknown) => void;
}

export interface RunningGateway {
  /** `http://HOST:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly host: GatewayHost;
  readonly gateway: GatewayApp;
  readonly server: Server;
  reload(): Promise<ReloadResult>;
  /**
   * Graceful shutdown: stop accepting, let open streams finish up to `limits.drainTimeoutMs`, then
   * close what is left, flush and close the audit sink (its writer-stop record), close the stores.
   */
  close(): Promise<void>;
}

/** Serves the gateway with `@hono/node-server` on the config's `listen` address. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const host = await createGatewayHost(config, options);
  let gateway: GatewayApp;
  try {
    const webConsole = config.console?.enabled
      ? createConsole(host, { config: config.console, ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.classifiers ? { classifiers: options.classifiers } : {}) })
      : undefined;
    gateway = createGatewayApp(host, { ...(webConsole ? { console: webConsole } : {}), ...(options.metricsText ? { metricsText: options.metricsText } : {}) });
  } catch (err) {
    await host.close().catch(() => undefined);
    throw err;
  }
  const listener = getRequestListener(gateway.app.fetch);
  // Chat completions, the route every request of an app takes, skip the web Request/Response layer.
  const hot = options.hotPath === false ? undefined : createChatHotPath(host, gateway);
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 0 }, (req, res) => (hot?.matches(req) ? hot.serve(req, res) : void listener(req, res)));
  // A slow upstream ends by its own timeout; the socket timeout only catches a silent client.
  server.headersTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.listen.port, config.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await host.close().catch(() => undefined);
    throw listenError(err, config.listen);
  }
  const address = server.address() as AddressInfo;
  const hostName = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostName}:${address.port}`;

  const watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  const reloadSoon = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void host.reload().then(() => rewatch()), 150);
  };
  const rewatch = (): void => {
    if (options.watchFiles === false || closing) return;
    for (const w of watchers.splice(0)) w.close();
    const cfg = host.state.config;
    const policies = cfg.tenants.flatMap((t) => [t.policy, ...(t.shadow ?? [])]);
    // Under requireSignedPolicies a new signature (`POLICY.sig.json`) reloads too.
    const signatures = cfg.requireSignedPolicies ? policies.map(signatureFileFor).filter((f) => existsSync(f)) : [];
    const files = new Set([...(cfg.file != null && !cfg.open ? [cfg.file] : []), ...policies, ...signatures]);
    for (const file of files) {
      try {
        // Editors replace files (rename): watch again after every reload.
        watchers.push(watch(file, { persistent: false }, reloadSoon));
      } catch (err) {
        host.log('warn', `cannot watch \`${file}\` for changes; send SIGHUP to reload`, { error: (err as Error).message });
      }
    }
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearTimeout(debounce);
      for (const w of watchers.splice(0)) w.close();
      removeSignals();
      gateway.drain();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = host.state.config.limits.drainTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([gateway.streams.idle().then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadline)))]);
      clearTimeout(timer);
      if (timedOut) host.log('warn', `shutdown: ${gateway.streams.count} streams still open after ${deadline} ms; closing them`);
      server.closeAllConnections();
      await serverClosed;
      await host.close();
      host.log('info', 'stopped');
    })();
    return closing;
  };

  const onHup = (): void => void host.reload().then(() => rewatch());
  const onTerm = (): void => {
    host.log('info', 'shutting down: draining open streams');
    close().then(
      () => options.onClosed?.(),
      (err: unknown) => options.onClosed?.(err),
    );
  };
  const removeSignals = (): void => {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
  };
  if (options.signals !== false) {
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onTerm);
  }
  rewatch();

  return {
    url,
    port: address.port,
    host,
    gateway,
    server,
    reload: async () => {
      const r = await host.reload();
      rewatch();
      return r;
    },
    close,
  };
}

/** A port that is taken or not ours to bind is a configuration problem the user can fix, not an internal error. */
function listenError(err: unknown, listen: { host: string; port: number }): unknown {
  const code = (err as { code?: unknown }).code;
  const where = `${listen.host}:${listen.port}`;
  if (code === 'EADDRINUSE') return new SaferouteError('config_invalid', `cannot listen on ${where}: another process is listening there; stop it, or choose another port with --port (or \`listen.port\` in the config)`, { cause: err });
  if (code === 'EACCES') return new SaferouteError('config_invalid', `cannot listen on ${where}: not permitted (ports below 1024 need privileges); choose a port of 1024 or above with --port (or \`listen.port\`)`, { cause: err });
  if (code === 'EADDRNOTAVAIL') return new SaferouteError('config_invalid', `cannot listen on ${where}: this machine has no such address; check --host (or \`listen.host\`)`, { cause: err });
  return err;
}
