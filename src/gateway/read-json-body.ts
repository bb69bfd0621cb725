import type { IncomingMessage } from 'node:http';
import { GatewayHttpError } from './gateway-error.js';

/**
 * The request body as JSON, refused with 413 past `maxBytes` (by its `content-length`, or while
 * reading a chunked body) and with 400 when it is not a JSON object.
 */
export async function readJsonBody(request: Request, maxBytes: number, incoming?: IncomingMessage): Promise<Record<string, unknown>> {
  // Under Node, straight from the socket: no web stream, no full Request object (a third of the
  // gateway's own CPU per request went there).
  if (incoming) return readIncomingJsonBody(incoming, maxBytes);
  const tooLarge = tooLargeError(maxBytes);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const body = request.body;
  if (!body) throw new GatewayHttpError(400, 'invalid_request_error', 'invalid_json', 'the request has no body; send a JSON object');
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return parseBody(Buffer.concat(chunks, total).toString('utf8'));
}

/** The body of node's incoming request as a JSON object, with the limits of `readJsonBody`. */
export async function readIncomingJsonBody(incoming: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const tooLarge = tooLargeError(maxBytes);
  const declared = Number(incoming.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  return parseBody(await readIncoming(incoming, maxBytes, tooLarge));
}

function tooLargeError(maxBytes: number): () => GatewayHttpError {
  return () => new GatewayHttpError(413, 'invalid_request_error', 'request_too_large', `the request body is larger than ${maxBytes} bytes, the gateway's \`limits.maxBodyBytes\``);
}

function readIncoming(incoming: IncomingMessage, maxBytes: number, tooLarge: () => GatewayHttpError): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (): void => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        done();
        // Stop reading; the answer (413) still goes out on this connection, which then closes.
        incoming.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks, total).toString('utf8'));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      if (incoming.readableEnded) return onEnd();
      done();
      reject(new GatewayHttpError(400, 'invalid_request_error', 'invalid_json', 'the client closed the connection before the body was complete'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
    if (incoming.readableEnded) onEnd();
  });
}

function parseBody(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new GatewayHttpError(400, 'invalid_request_error', 'invalid_json', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayHttpError(400, 'invalid_request_error', 'invalid_json', 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
