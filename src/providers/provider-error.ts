import { SaferouteError } from '../errors.js';

/**
 * Why a provider call failed: the upstream answered an HTTP error (`status`), sent something that
 * is not a valid answer, the connection failed or closed before the answer was complete
 * (`truncated`), or it was too slow (`timeout`).
 */
export type ProviderFailure = 'status' | 'bad_response' | 'connection' | 'truncated' | 'timeout';

/** A model call failed upstream. Nothing unchecked reaches the caller when this is thrown. */
export class ProviderError extends SaferouteError {
  readonly provider: string;
  readonly failure: ProviderFailure;
  /** The upstream HTTP status, when it answered one. */
  readonly status: number | undefined;

  constructor(
    provider: string,
    failure: ProviderFailure,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super('provider_failed', message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.provider = provider;
    this.failure = failure;
    this.status = options.status;
  }
}

/**
 * A provider cannot be used as configured: the key variable is unset, a target has no model to
 * call. Thrown before anything is sent.
 */
export class ProviderConfigError extends SaferouteError {
  /** The environment variable that must be set, when that is the problem. */
  readonly variable: string | undefined;

  constructor(message: string, options: { variable?: string; cause?: unknown } = {}) {
    super('provider_config', message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.variable = options.variable;
  }
}
