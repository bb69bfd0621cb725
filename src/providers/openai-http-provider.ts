import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Pool } from 'undici';
import type { ChatProvider, ProviderCallOptions, ProviderCompletion, ProviderRequest, ProviderStream } from './chat-provider.js';
import { abortError, createCallDeadline, type CallDeadline } from './call-deadline.js';
import { requestBody, type OpenAICompatibleOptions } from './openai-provider.js';
import { openAIStreamEvents } from './openai-stream-events.js';
import { providerCompletion } from './openai-wire.js';
import { ProviderConfigError, ProviderError } from './provider-error.js';
import { describeCause, redactApiKey, resolveApiKey } from './provider-support.js';

/** Keep-alive connection pools for upstream calls; share one set between the providers of a process. */
export interface UpstreamAgents {
  http: HttpAgent;
  https: HttpsAgent;
  /**
   * The pool of keep-alive connections to one origin (`http://host:port`) for answers read whole
   * (non-streamed completions), made on first use: undici's dispatcher costs about half the CPU
   * of a `node:http` request per call. Streams keep `http`/`https`.
   */
  pool(origin: string): Pool;
  destroy(): void;
}

export function createUpstreamAgents(options: { maxSockets?: number } = {}): UpstreamAgents {
  const maxSockets = options.maxSockets ?? 256;
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  const pools = new Map<string, Pool>();
  return {
    http,
    https,
    pool(origin) {
      let pool = pools.get(origin);
      if (!pool) {
        // No timeouts of its own: the call's deadline (`timeoutMs`) is the only one, as with `http`.
        pool = new Pool(origin, { connections: maxSockets, headersTimeout: 0, bodyTimeout: 0 });
        pools.set(origin, pool);
      }
      return pool;
    },
    destroy() {
      http.destroy();
      https.destroy();
      for (const pool of pools.values()) void pool.destroy().catch(() => undefined);
      pools.clear();
    },
  };
}

export interface OpenAIHttpProviderOptions extends OpenAICompatibleOptions {
  /** The connection pools (default: the provider's own). */
  agents?: UpstreamAgents;
}

/**
 * Chat Completions over `node:http`/`node:https` directly: one request, no SDK, no retries (a
 * gateway's client retries), keep-alive connections. What is sent and read is what the `openai`
 * package sends and reads for a chat completion, with the same typed errors — at about a third of
 * the CPU per call, which is most of what a gateway adds to a request.
 */
export function createOpenAIHttpProvider(options: OpenAIHttpProviderOptions = {}): ChatProvider {
  const name = options.name ?? 'openai';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const agents = options.agents ?? createUpstreamAgents();
  // As the SDK does: the option, else OPENAI_BASE_URL of the process, else OpenAI.
  const where = options.baseURL ?? (process.env['OPENAI_BASE_URL']?.trim() || 'https://api.openai.com/v1');
  const url = new URL(`${where.replace(/\/+$/, '')}/chat/completions`);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new ProviderConfigError(`the ${name} base URL \`${where}\` is not an http(s) URL`);
  const target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search, agent: secure ? agents.https : agents.http };
  const send = secure ? httpsRequest : httpRequest;

  const keyFor = (): string => {
    const key = resolveApiKey(name, options) ?? (options.baseURL != null ? 'unused' : undefined);
    if (key == null) throw new ProviderConfigError(`the ${name} provider for \`${where}\` needs an API key: set \`apiKeyEnv\` (or \`apiKey\`)`);
    return key;
  };
  const modelOf = (request: ProviderRequest): string => {
    const model = request.model || options.model;
    if (!model) throw new ProviderConfigError(`the ${name} provider has no model to call`);
    return model;
  };

  const headersFor = (key: string, body: string, accept: string): Record<string, string> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept,
      authorization: `Bearer ${key}`,
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'saferoute',
    };
    const organization = process.env['OPENAI_ORG_ID'];
    const project = process.env['OPENAI_PROJECT_ID'];
    if (organization) headers['openai-organization'] = organization;
    if (project) headers['openai-project'] = project;
    return headers;
  };

  /** The response once its headers are in, or a typed error (an HTTP error status read to its end). */
  const post = (key: string, body: string, deadline: CallDeadline, accept: string): Promise<IncomingMessage> =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const headers: OutgoingHttpHeaders = headersFor(key, body, accept);
      const req = send({ ...target, method: 'POST', headers }, (res) => {
        // An abort after the caller stopped reading destroys the response with the abort reason;
        // with no reader left listening, that 'error' would crash the process. Readers still see
        // errors through their own iteration (readText, the SSE reader).
        res.on('error', () => undefined);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        readText(res).then(
          (text) => reject(new ProviderError(name, 'status', redactApiKey(key, `${name} answered HTTP ${status}: ${errorMessage(status, text)}`), { status })),
          (error: unknown) => reject(failure(key, deadline, error)),
        );
      });
      req.on('error', (error) => reject(failure(key, deadline, error)));
      // One listener rather than the `signal` option's machinery: an abort (the caller gone, a
      // timeout, the guard stopping a stream) destroys the request and its response.
      // Destroyed without an error object: the request's own 'error' (a reset socket) reaches
      // `failure`, which sees the deadline stopped and reports its reason; an error
      // object here would also be emitted on the socket after the reader had stopped listening.
      if (deadline.aborted) req.destroy();
      else req.on('close', deadline.onAbort(() => req.destroy()));
      req.end(body);
    });

  const origin = `${url.protocol}//${url.host}`;
  /**
   * The whole answer of a non-streamed call as text, through the origin's undici pool: one
   * handler, no stream objects. An HTTP error status becomes a typed error with its body's
   * message; a stopped deadline (the caller gone, the timeout) rejects at once and cancels the
   * request, whether it was sent yet or still waiting for a connection.
   */
  const postWhole = (key: string, body: string, deadline: CallDeadline): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let settled = false;
      let cancel: ((reason: Error) => void) | undefined;
      const stopped = (): Error => abortError('the call was stopped');
      if (deadline.aborted) {
        reject(failure(key, deadline, stopped()));
        return;
      }
      const off = deadline.onAbort(() => {
        cancel?.(stopped());
        settle(failure(key, deadline, stopped()));
      });
      function settle(error: unknown, text?: string): void {
        if (settled) return;
        settled = true;
        off();
        if (error === undefined) resolve(text!);
        else reject(error);
      }
      agents.pool(origin).dispatch(
        { origin, path: target.path, method: 'POST', headers: headersFor(key, body, 'application/json'), body },
        {
          onConnect(abort) {
            cancel = abort;
            if (settled) abort(stopped());
          },
          onHeaders(statusCode) {
            status = statusCode;
            return true;
          },
          onData(chunk) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            const text = Buffer.concat(chunks).toString('utf8');
            if (status >= 200 && status < 300) settle(undefined, text);
            else settle(new ProviderError(name, 'status', redactApiKey(key, `${name} answered HTTP ${status}: ${errorMessage(status, text)}`), { status }));
          },
          onError(error) {
            settle(failure(key, deadline, error));
          },
        },
      );
    });

  const failure = (key: string, deadline: CallDeadline, error: unknown): unknown => {
    if (error instanceof ProviderError || error instanceof ProviderConfigError) return error;
    if (deadline.aborted) return deadline.failure(name, error);
    if (error instanceof SyntaxError) return new ProviderError(name, 'bad_response', `${name} sent a body that is not valid JSON`, { cause: error });
    return new ProviderError(name, 'connection', redactApiKey(key, `cannot reach ${name} at \`${where}\`${describeCause(error)}`), { cause: error });
  };

  return {
    name,
    async complete(request, callOptions?: ProviderCallOptions): Promise<ProviderCompletion> {
      const model = modelOf(request);
      const key = keyFor();
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs });
      try {
        // `requestBody` gives a fresh object: `stream` is set on it rather than on a spread copy of it.
        const body = requestBody(model, request);
        body.stream = false;
        return providerCompletion(name, model, JSON.parse(await postWhole(key, JSON.stringify(body), deadline)));
      } catch (error) {
        throw failure(key, deadline, error);
      } finally {
        deadline.dispose();
      }
    },

    async stream(request, callOptions?: ProviderCallOptions): Promise<ProviderStream> {
      const model = modelOf(request);
      const key = keyFor();
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs, idleMs: idleTimeoutMs });
      let res: IncomingMessage;
      try {
        const body = { ...requestBody(model, request), stream: true, ...(request.params.include_usage ? { stream_options: { include_usage: true } } : {}) };
        res = await post(key, JSON.stringify(body), deadline, 'text/event-stream');
      } catch (error) {
        deadline.dispose();
        throw failure(key, deadline, error);
      }
      const iterator = openAIStreamEvents(name, model, sseChunks(name, res), deadline, (error) => failure(key, deadline, error));
      return {
        [Symbol.asyncIterator]: () => iterator,
        abort: () => deadline.abort(),
      };
    },
  };
}

function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' })));
  });
}

/** What the SDK puts in its error message: `STATUS message` from OpenAI's error body, or the text. */
function errorMessage(status: number, text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.trim() !== '' ? `${status} ${text.trim().slice(0, 500)}` : `${status} status code (no body)`;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message !== '') return `${status} ${message}`;
  return `${status} ${JSON.stringify(error ?? parsed)}`;
}

/**
 * Server-sent events of an OpenAI stream as parsed chunks, until `data: [DONE]`. An event with an
 * `error` member is the server reporting a failure mid-stream. A connection that closes before
 * the stream finished just ends the iteration (the reader calls that `truncated`).
 */
async function* sseChunks(name: string, res: IncomingMessage): AsyncGenerator<unknown> {
  res.setEncoding('utf8');
  let buffer = '';
  let data: string[] = [];
  let finished = false;
  const dispatch = (): unknown => {
    const payload = data.join('\n');
    data = [];
    return payload;
  };
  try {
    // Not destroyed when left at [DONE]: the rest is read below and the connection reused.
    for await (const piece of res.iterator({ destroyOnReturn: false }) as AsyncIterable<string>) {
      buffer += piece;
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const line = buffer.charCodeAt(at - 1) === 13 ? buffer.slice(0, at - 1) : buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (line === '') {
          if (data.length === 0) continue;
          const payload = dispatch() as string;
          if (payload === '[DONE]') {
            finished = true;
            return;
          }
          const chunk: unknown = JSON.parse(payload);
          const error = (chunk as { error?: { message?: unknown } } | null)?.error;
          if (error != null) throw new ProviderError(name, 'bad_response', `${name} reported an error in the stream: ${typeof error.message === 'string' ? error.message : JSON.stringify(error)}`);
          yield chunk;
        } else if (line.startsWith('data:')) data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
        // Comments (`:`), `event:`, `id:` and `retry:` lines carry nothing a chat stream needs.
      }
    }
  } finally {
    // After [DONE] the rest is read so the connection can be reused; left early (a violation, an
    // error, a consumer gone), it is closed rather than reused mid-answer.
    if (finished) res.resume();
    else if (!res.complete) res.destroy();
  }
}
