import { SaferouteError, type SaferouteErrorCode } from './errors.js';

/**
 * How every error code surfaces over HTTP. A `Record` over the code union: adding a code to
 * `SaferouteErrorCode` fails to compile until it is mapped here (and in the CLI's exit codes).
 *
 * `content_blocked` is 403 when a block is *thrown* (a client asked for errors). The gateway's
 * default answer to a block is not an error at all: an OpenAI-shaped 200 with
 * `finish_reason: "content_filter"` and the refusal, as OpenAI itself answers filtered content.
 */
export const HTTP_STATUS: Readonly<Record<SaferouteErrorCode, number>> = {
  input_invalid: 400,
  subject_invalid: 400,
  usage: 400,
  content_blocked: 403,
  policy_invalid: 500,
  policy_not_found: 500,
  policy_extends_cycle: 500,
  classifier_unknown: 500,
  lexicon_invalid: 500,
  provider_config: 500,
  attestation_config: 500,
  config_invalid: 500,
  policy_unsigned: 500,
  policy_signature_invalid: 500,
  provider_failed: 502,
  classifier_failed: 503,
  audit_failed: 503,
  consent_store_failed: 503,
};

/** Codes whose cause may be gone on a later try (an upstream, a store, a sink that recovers). */
const RETRYABLE: Readonly<Record<SaferouteErrorCode, boolean>> = {
  input_invalid: false,
  subject_invalid: false,
  usage: false,
  content_blocked: false,
  policy_invalid: false,
  policy_not_found: false,
  policy_extends_cycle: false,
  classifier_unknown: false,
  lexicon_invalid: false,
  provider_config: false,
  attestation_config: false,
  config_invalid: false,
  policy_unsigned: false,
  policy_signature_invalid: false,
  provider_failed: true,
  classifier_failed: true,
  audit_failed: true,
  consent_store_failed: true,
};

/** A provider error's upstream detail, read without importing the providers module. */
interface UpstreamDetail {
  failure?: unknown;
  status?: unknown;
}

/**
 * The HTTP status for an error or a code: the table above, refined for provider failures (an
 * upstream timeout is 504). Anything that is not a `SaferouteError` is a bug: 500.
 */
export function httpStatusFor(error: unknown): number {
  if (typeof error === 'string') return HTTP_STATUS[error as SaferouteErrorCode] ?? 500;
  if (!(error instanceof SaferouteError)) return 500;
  if (error.code === 'provider_failed' && (error as UpstreamDetail).failure === 'timeout') return 504;
  return HTTP_STATUS[error.code];
}

/**
 * Whether the same call may succeed if tried again. Provider failures are retryable unless the
 * upstream refused the request itself (a 4xx other than 408, 409 and 429).
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof SaferouteError)) return false;
  if (error.code === 'provider_failed') {
    const status = (error as UpstreamDetail).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return status === 408 || status === 409 || status === 429;
  }
  return RETRYABLE[error.code];
}
