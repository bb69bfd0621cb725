import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeAnswer } from './gateway-answer.js';
import type { GatewayHost } from './gateway-host.js';
import { readIncomingJsonBody } from './read-json-body.js';
import type { HeaderReader } from './request-subject.js';
import { CHAT_ROUTE, serveChatCompletions, type ChatServer } from './serve-chat-completions.js';

/** Node's incoming headers read as `Headers.get` reads them (several values joined by `, `). */
function incomingHeaders(req: IncomingMessage): HeaderReader {
  return {
    get(name) {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * `POST /v1/chat/completions` on `node:http` itself, in front of the Hono app: the body is read
 * and parsed once, and no web `Request`/`Response` is made. Everything else (and this route with
 * a query string) goes to the app. The answer is the one the app gives (`serveChatCompletions`
 * serves both), written to the socket directly.
 */
export function createChatHotPath(host: GatewayHost, server: ChatServer): { matches(req: IncomingMessage): boolean; serve(req: IncomingMessage, res: ServerResponse): void } {
  return {
    matches: (req) => req.method === 'POST' && req.url === CHAT_ROUTE,
    serve(req, res) {
      const controller = new AbortController();
      // A client that goes away before its answer is complete aborts the upstream call.
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      void serveChatCompletions(host, server, {
        headers: incomingHeaders(req),
        peer: req.socket.remoteAddress,
        readBody: (maxBytes) => readIncomingJsonBody(req, maxBytes),
        signal: controller.signal,
      })
        .then((answer) => writeAnswer(res, answer))
        .catch((error: unknown) => {
          host.log('error', 'request failed', { path: CHAT_ROUTE, error: error instanceof Error ? error.message : String(error) });
          res.destroy();
        });
    },
  };
}
