import { SaferouteError, type SaferouteErrorCode } from '../errors.js';

/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The thing checked is invalid: a policy, a log, a token, a data file under --strict. */
  invalid: 1,
  /** Policy tests ran and some failed (or none ran under --fail-on-empty). */
  testsFailed: 2,
  /** The command line itself is wrong. */
  usage: 64,
  /** A configuration problem stopped the command (missing key, unreadable file, bad policy). */
  config: 78,
  /** A bug: an error nobody anticipated. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error code's exit status. A `Record` over the code union, so a new code fails to compile
 * until it is mapped (the HTTP twin is `HTTP_STATUS` in error-table.ts).
 */
export const EXIT_CODE: Readonly<Record<SaferouteErrorCode, ExitCode>> = {
  usage: EXIT.usage,
  input_invalid: EXIT.invalid,
  subject_invalid: EXIT.config,
  content_blocked: EXIT.config,
  policy_invalid: EXIT.config,
  policy_not_found: EXIT.config,
  policy_extends_cycle: EXIT.config,
  classifier_unknown: EXIT.config,
  classifier_failed: EXIT.config,
  lexicon_invalid: EXIT.config,
  provider_failed: EXIT.config,
  provider_config: EXIT.config,
  audit_failed: EXIT.config,
  consent_store_failed: EXIT.config,
  attestation_config: EXIT.config,
  config_invalid: EXIT.config,
  policy_unsigned: EXIT.config,
  policy_signature_invalid: EXIT.config,
};

/** The one place errors become exit codes. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof SaferouteError)) return EXIT.internal;
  return EXIT_CODE[error.code] ?? EXIT.internal;
}
