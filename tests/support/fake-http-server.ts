import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
  receivedAt: number;
}

export type RouteHandler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

/**
 * A scripted misbehaviour, applied instead of (or before, for `delay`) the route's handler:
 * an HTTP error with headers, a slow answer, a malformed body, a connection reset, or no answer.
 */
export type ScriptedBehaviour =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; ms: number; then?: ScriptedBehaviour }
  | { kind: 'malformed'; body: string; status?: number; contentType?: string }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface FakeHttpServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first (cleared by `reset`). */
  readonly requests: RecordedRequest[];
  /** Adds or replaces the handler of `METHOD path`; later engineers add their endpoints this way. */
  route(method: string, path: string, handler: RouteHandler): void;
  /** Queues one-shot behaviours for `path`, each consumed by one request, in order. */
  script(path: string, ...behaviours: ScriptedBehaviour[]): void;
  /** A behaviour applied to every request on `path` once its one-shot queue is empty; `undefined` clears it. */
  always(path: string, behaviour: ScriptedBehaviour | undefined): void;
  /** Clears scripts, `always` behaviours and the request log; routes stay. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeHttpServerOptions {
  /** The body sent with a scripted `status` that gives none (each vendor has its own error shape). */
  errorBody?: (status: number) => unknown;
}

/** A loopback HTTP server for tests, bound to 127.0.0.1 on a random port. */
export async function startFakeHttpServer(options: FakeHttpServerOptions = {}): Promise<FakeHttpServer> {
  const routes = new Map<string, RouteHandler>();
  const scripts = new Map<string, ScriptedBehaviour[]>();
  const always = new Map<string, ScriptedBehaviour>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const errorBody = options.errorBody ?? ((status: number) => ({ error: `status ${status}` }));

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const apply = async (
    behaviour: ScriptedBehaviour | undefined,
    rec: RecordedRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    if (res.destroyed) return;
    if (!behaviour) {
      const handler = routes.get(`${rec.method} ${rec.path}`);
      if (!handler) {
        sendJson(res, 404, errorBody(404));
        return;
      }
      await handler(rec, res, req);
      return;
    }
    switch (behaviour.kind) {
      case 'status':
        sendJson(res, behaviour.status, behaviour.body ?? errorBody(behaviour.status), behaviour.headers);
        return;
      case 'delay':
        await wait(behaviour.ms);
        await apply(behaviour.then, rec, req, res);
        return;
      case 'malformed':
        if (res.destroyed) return;
        res.writeHead(behaviour.status ?? 200, { 'content-type': behaviour.contentType ?? 'application/json' });
        res.end(behaviour.body);
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        return;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
        receivedAt: Date.now(),
      };
      requests.push(rec);
      const behaviour = scripts.get(rec.path)?.shift() ?? always.get(rec.path);
      await apply(behaviour, rec, req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: String(error) });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    script(path, ...behaviours) {
      const queue = scripts.get(path) ?? [];
      queue.push(...behaviours);
      scripts.set(path, queue);
    },
    always(path, behaviour) {
      if (behaviour) always.set(path, behaviour);
      else always.delete(path);
    },
    reset() {
      scripts.clear();
      always.clear();
      requests.length = 0;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Server-sent events as OpenAI streams them: `data: JSON\n\n` per event, then `data: [DONE]`.
 * A string event is sent verbatim after `data: ` (to script malformed chunks).
 */
export async function sendSse(
  res: ServerResponse,
  events: readonly unknown[],
  options: { delayMs?: number; done?: boolean; headers?: Record<string, string> } = {},
): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...options.headers });
  for (const event of events) {
    if (res.destroyed) return;
    res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
    if (options.delayMs) await pause(options.delayMs);
  }
  if (options.done !== false && !res.destroyed) res.write('data: [DONE]\n\n');
  res.end();
}

/** Newline-delimited JSON as Ollama streams it: one object per line. Strings are sent verbatim. */
export async function sendNdjson(
  res: ServerResponse,
  lines: readonly unknown[],
  options: { delayMs?: number; headers?: Record<string, string> } = {},
): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'application/x-ndjson', ...options.headers });
  for (const line of lines) {
    if (res.destroyed) return;
    res.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    if (options.delayMs) await pause(options.delayMs);
  }
  res.end();
}
