import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import type { GatewayConsole } from '../console/create-console.js';
import type { ApiKeyIdentity } from './api-keys.js';
import { appendConsent, readConsents, requireConsentStore } from './consents-route.js';
import { decideRoute } from './decide-route.js';
import type { GatewayScope } from './gateway-config.js';
import { GatewayHttpError, toOpenAIError } from './gateway-error.js';
import type { GatewayHost, GatewayState } from './gateway-host.js';
import { answerResponse } from './gateway-answer.js';
import { readiness } from './health-routes.js';
import { moderations } from './moderations-route.js';
import { readJsonBody } from './read-json-body.js';
import { identify, requireScope } from './request-identity.js';
import { CHAT_ROUTE, serveChatCompletions } from './serve-chat-completions.js';
import { subjectContext, type GatewayContext } from './request-subject.js';
import { createStreamTracker, type StreamTracker } from './stream-tracker.js';

export interface GatewayApp {
  readonly app: Hono;
  readonly streams: StreamTracker;
  /** Stop taking new API requests (shutdown): they get 503, `/readyz` says draining. */
  drain(): void;
  readonly draining: boolean;
}

interface Served {
  state: GatewayState;
  identity: ApiKeyIdentity;
  context: GatewayContext;
  body: Record<string, unknown>;
  /** Call with the final status when the answer ends after the handler returned (streams). */
  deferEnd(): (status: number) => void;
}

type Handler = (served: Served, c: Context) => Promise<Response>;

function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

function peerOf(c: Context): string | undefined {
  return incomingOf(c)?.socket.remoteAddress;
}

/**
 * The OpenAI-compatible gateway as a Hono app over a host (tenants, keys, audit, metrics). Serve it
 * with `startGateway`, or call `app.fetch` directly (tests, other runtimes).
 */
export interface GatewayAppOptions {
  console?: GatewayConsole;
  /** The `/metrics` exposition (default: this host's metrics); a worker serves every worker's, summed. */
  metricsText?: () => Promise<string>;
}

export function createGatewayApp(host: GatewayHost, options: GatewayAppOptions = {}): GatewayApp {
  const app = new Hono();
  const streams = createStreamTracker();
  let draining = false;

  const fail = (c: Context, error: unknown, end?: (status: number) => void): Response => {
    const { status, body, headers } = toOpenAIError(error);
    if (status >= 500 && !(error instanceof GatewayHttpError)) host.log('error', 'request failed', { path: c.req.path, status, error: error instanceof Error ? error.message : String(error) });
    end?.(status);
    return c.json(body, status as 500, headers);
  };

  /** An API route: draining check, key, scope, body, subject, metrics, errors in OpenAI's shape. */
  const api = (route: string, scope: GatewayScope, handler: Handler, method: 'POST' | 'GET' = 'POST') => async (c: Context) => {
    const end = host.metrics.httpRequest(route, method);
    let tenant: string | undefined;
    let deferred = false;
    const finish = (status: number): void => end(status, tenant);
    // The caller's request id (or a new one) comes back on every answer and goes into the audit records.
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    const withId = (response: Response): Response => {
      response.headers.set('x-request-id', requestId);
      return response;
    };
    try {
      if (draining) throw new GatewayHttpError(503, 'server_error', 'shutting_down', 'the gateway is shutting down; retry on another instance', null, { connection: 'close', 'retry-after': '1' });
      // The state is captured once: a reload during this request does not change its policy.
      const state = host.state;
      const identity = identify(c.req.raw.headers, state);
      tenant = identity.tenant;
      requireScope(identity, scope);
      const body = method === 'POST' ? await readJsonBody(c.req.raw, state.config.limits.maxBodyBytes, incomingOf(c)) : {};
      const context = subjectContext(c.req.raw.headers, peerOf(c), state.config, host.subjects.resolver != null);
      context.tenant = identity.tenant;
      context.requestId = requestId;
      context.signal = c.req.raw.signal;
      const response = await handler(
        {
          state,
          identity,
          context,
          body,
          deferEnd: () => {
            deferred = true;
            return finish;
          },
        },
        c,
      );
      if (!deferred) finish(response.status);
      return withId(response);
    } catch (error) {
      return withId(fail(c, error, deferred ? undefined : finish));
    }
  };

  const server = {
    streams,
    get draining() {
      return draining;
    },
  };
  app.post(CHAT_ROUTE, async (c) =>
    answerResponse(
      await serveChatCompletions(host, server, {
        headers: c.req.raw.headers,
        peer: peerOf(c),
        readBody: (maxBytes) => readJsonBody(c.req.raw, maxBytes, incomingOf(c)),
        signal: c.req.raw.signal,
      }),
    ),
  );

  app.post(
    '/v1/moderations',
    api('/v1/moderations', 'moderations', async (s, c) => {
      const tenant = s.state.tenants.get(s.identity.tenant);
      if (!tenant) throw new GatewayHttpError(500, 'server_error', 'tenant_unavailable', `tenant \`${s.identity.tenant}\` has no policy loaded`);
      return c.json(await moderations(s.body, tenant.guard.runtime.classifiers('input'), c.req.raw.signal));
    }),
  );

  app.post(
    '/v1/decide',
    api('/v1/decide', 'decide', async (s, c) => {
      const tenant = s.state.tenants.get(s.identity.tenant);
      if (!tenant) throw new GatewayHttpError(500, 'server_error', 'tenant_unavailable', `tenant \`${s.identity.tenant}\` has no policy loaded`);
      const { decision, body } = await decideRoute({ tenant, body: s.body, context: s.context, resolver: host.subjects.resolver, observer: host.metrics.observer });
      return c.json(body, 200, { 'x-saferoute-decision-id': decision.decisionId });
    }),
  );

  // OpenAI clients and chat front ends list models before their first call. The policy picks the
  // model that answers, so the list is what this tenant's targets can call; any id may be sent.
  app.get(
    '/v1/models',
    api(
      '/v1/models',
      'chat',
      async (s, c) => {
        const tenant = s.state.tenants.get(s.identity.tenant);
        if (!tenant) throw new GatewayHttpError(500, 'server_error', 'tenant_unavailable', `tenant \`${s.identity.tenant}\` has no policy loaded`);
        const models = [...new Set(Object.values(tenant.guard.runtime.policy.document.targets).flatMap((t) => (t.provider === 'none' ? [] : [t.model])))];
        return c.json({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'saferoute' })) });
      },
      'GET',
    ),
  );

  app.post(
    '/v1/consents',
    api('/v1/consents', 'admin', async (s, c) => c.json(await appendConsent(requireConsentStore(host.subjects.consentStore), s.body), 201)),
  );
  app.get(
    '/v1/consents/:subject',
    api(
      '/v1/consents/{subject}',
      'admin',
      async (_s, c) => c.json(await readConsents(requireConsentStore(host.subjects.consentStore), c.req.param('subject') ?? '')),
      'GET',
    ),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const r = await readiness(host, draining);
    return c.json({ status: r.ready ? 'ready' : 'not ready', ...r }, r.ready ? 200 : 503);
  });
  const metricsText = options.metricsText ?? (() => host.metrics.text());
  app.get('/metrics', async (c) => c.body(await metricsText(), 200, { 'content-type': host.metrics.contentType }));

  // The web console (`serve --console`): its own pages under /console, same process and state.
  if (options.console) app.route('/', options.console.app);

  app.notFound((c) => c.json({ error: { message: `no route for ${c.req.method} ${c.req.path}; the gateway serves /v1/chat/completions, /v1/models, /v1/moderations, /v1/decide, /v1/consents, /healthz, /readyz and /metrics`, type: 'not_found_error', param: null, code: 'not_found' } }, 404));
  app.onError((error, c) => fail(c, error));

  return {
    app,
    streams,
    drain() {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
