import type { ServerResponse } from 'node:http';
import type { GuardedStream } from '../guard/guarded-stream.js';
import { toOpenAIError } from './gateway-error.js';
import { sseBody } from './sse-body.js';

export type SseOutcome = 'done' | 'error' | 'cancelled';

/**
 * An answer of the gateway before it is written: a JSON body, or a guarded stream as server-sent
 * events. The Hono app makes a `Response` of it, the `node:http` hot path writes it to the socket
 * itself; both write the same status, headers and bytes.
 */
export type GatewayAnswer =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'sse'; status: 200; headers: Record<string, string>; stream: GuardedStream; onEnd(outcome: SseOutcome, error?: unknown): void };

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/** The answer as a web `Response` (the Hono app). */
export function answerResponse(answer: GatewayAnswer): Response {
  if (answer.kind === 'json') return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
  return new Response(sseBody(answer.stream, answer.onEnd), { status: answer.status, headers: { ...SSE_HEADERS, ...answer.headers } });
}

const DONE = 'data: [DONE]\n\n';

/**
 * The answer written straight to node's `ServerResponse` (the hot path): one `end` for JSON; for a
 * stream, each event as the client takes it (back-pressure reaches the upstream), an error after
 * the first byte as one `data: {"error": …}` event, and a client that goes away aborting the upstream.
 */
export function writeAnswer(res: ServerResponse, answer: GatewayAnswer): void {
  if (answer.kind === 'json') {
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const { stream, onEnd } = answer;
  let ended = false;
  const end = (outcome: SseOutcome, error?: unknown): void => {
    if (ended) return;
    ended = true;
    onEnd(outcome, error);
  };
  res.once('close', () => {
    if (ended) return;
    stream.abort();
    end('cancelled');
  });
  res.writeHead(200, { ...SSE_HEADERS, ...answer.headers });
  void (async () => {
    const iterator = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (ended) return;
        if (next.done) {
          end('done');
          res.end(DONE);
          return;
        }
        if (!res.write(`data: ${JSON.stringify(next.value)}\n\n`)) await drained(res);
      }
    } catch (err) {
      if (ended) return;
      end('error', err);
      res.end(`data: ${JSON.stringify(toOpenAIError(err).body)}\n\n`);
    }
  })();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
