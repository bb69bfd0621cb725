import { randomUUID } from 'node:crypto';
import { chatCompletions } from './chat-completions-route.js';
import type { GatewayAnswer } from './gateway-answer.js';
import { GatewayHttpError, toOpenAIError } from './gateway-error.js';
import type { GatewayHost } from './gateway-host.js';
import { identify, requireScope } from './request-identity.js';
import { subjectContext, type HeaderReader } from './request-subject.js';
import type { StreamTracker } from './stream-tracker.js';

export const CHAT_ROUTE = '/v1/chat/completions';

/** One chat request as either front (the Hono app, the `node:http` hot path) hands it over. */
export interface ChatExchange {
  headers: HeaderReader;
  peer: string | undefined;
  /** The body as a JSON object (413 past `maxBytes`, 400 when it is not one). */
  readBody(maxBytes: number): Promise<Record<string, unknown>>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface ChatServer {
  readonly draining: boolean;
  readonly streams: StreamTracker;
}

/**
 * `POST /v1/chat/completions` from headers to answer: draining, key, scope, body, subject,
 * metrics, the request id, and errors in OpenAI's shape. Never throws: every failure is an answer.
 */
export async function serveChatCompletions(host: GatewayHost, server: ChatServer, exchange: ChatExchange): Promise<GatewayAnswer> {
  const end = host.metrics.httpRequest(CHAT_ROUTE, 'POST');
  let tenant: string | undefined;
  let reported = false;
  const finish = (status: number): void => {
    if (reported) return;
    reported = true;
    end(status, tenant);
  };
  // The caller's request id (or a new one) comes back on every answer and goes into the audit records.
  const requestId = exchange.headers.get('x-request-id') ?? randomUUID();
  try {
    if (server.draining) throw new GatewayHttpError(503, 'server_error', 'shutting_down', 'the gateway is shutting down; retry on another instance', null, { connection: 'close', 'retry-after': '1' });
    // The state is captured once: a reload during this request does not change its policy.
    const state = host.state;
    const identity = identify(exchange.headers, state);
    tenant = identity.tenant;
    requireScope(identity, 'chat');
    const body = await exchange.readBody(state.config.limits.maxBodyBytes);
    const context = subjectContext(exchange.headers, exchange.peer, state.config, host.subjects.resolver != null);
    context.tenant = identity.tenant;
    context.requestId = requestId;
    context.signal = exchange.signal;
    const asked = exchange.headers.get('x-saferoute-on-block');
    const onBlock = asked === 'error' || asked === 'refuse' ? asked : state.config.onBlock;
    const answer = await chatCompletions({ state, identity, body, context, onBlock, streams: server.streams, done: finish });
    answer.headers['x-request-id'] = requestId;
    return answer;
  } catch (error) {
    const { status, body, headers } = toOpenAIError(error);
    if (status >= 500 && !(error instanceof GatewayHttpError)) host.log('error', 'request failed', { path: CHAT_ROUTE, status, error: error instanceof Error ? error.message : String(error) });
    finish(status);
    return { kind: 'json', status, headers: { ...headers, 'x-request-id': requestId }, body };
  }
}
