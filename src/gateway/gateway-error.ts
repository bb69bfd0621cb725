import { SaferouteError } from '../errors.js';
import { httpStatusFor } from '../error-table.js';

/** OpenAI's error `type` values, which clients branch on. */
export type OpenAIErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'rate_limit_error' | 'server_error' | 'content_filter';

/**
 * A refusal that belongs to HTTP only (authentication, scopes, limits, routing): it has a status
 * of its own and no place in the engine's error table.
 */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: OpenAIErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GatewayHttpError';
  }
}

/** The body OpenAI sends with an error: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

function typeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/**
 * Any error as the gateway answers it: the status of `httpStatusFor` (or the gateway's own), and an
 * OpenAI-shaped body whose `code` is saferoute's error code. An error that is not ours is a bug:
 * 500 with a generic message, never its text (it may quote a request or a secret).
 */
export function toOpenAIError(error: unknown): { status: number; body: OpenAIErrorBody; headers: Readonly<Record<string, string>> } {
  if (error instanceof GatewayHttpError) {
    return { status: error.status, body: { error: { message: error.message, type: error.type, param: error.param, code: error.code } }, headers: error.headers };
  }
  if (error instanceof SaferouteError) {
    const status = httpStatusFor(error);
    return { status, body: { error: { message: error.message, type: typeForStatus(status), param: null, code: error.code } }, headers: {} };
  }
  return { status: 500, body: { error: { message: 'internal error in the gateway; the details are in its log', type: 'server_error', param: null, code: 'internal_error' } }, headers: {} };
}
