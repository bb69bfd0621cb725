import { GatewayHttpError } from './gateway-error.js';

/**
 * The request body as JSON, refused with 413 past `maxBytes` (by its `content-length`, or while
 * reading a chunked body) and with 400 when it is not a JSON object.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const tooLarge = (): GatewayHttpError =>
    new GatewayHttpError(413, 'invalid_request_error', 'request_too_large', `the request body is larger than ${maxBytes} bytes, the gateway's \`limits.maxBodyBytes\``);
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
  const text = Buffer.concat(chunks, total).toString('utf8');
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
