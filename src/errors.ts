/**
 * Typed errors for programmer and configuration mistakes. Expected failures (a classifier that
 * times out, a policy with issues, a token that does not verify) are returned as values instead.
 */
export type SaferouteErrorCode =
  | 'policy_invalid'
  | 'policy_not_found'
  | 'policy_extends_cycle'
  | 'input_invalid'
  | 'subject_invalid'
  | 'classifier_unknown'
  | 'classifier_failed'
  | 'lexicon_invalid'
  | 'provider_failed'
  | 'provider_config'
  | 'content_blocked'
  | 'audit_failed'
  | 'consent_store_failed'
  | 'attestation_config'
  | 'config_invalid'
  | 'policy_unsigned'
  | 'policy_signature_invalid'
  | 'usage';

export class SaferouteError extends Error {
  readonly code: SaferouteErrorCode;
  constructor(code: SaferouteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Raised when a command-line invocation is wrong; the CLI prints it with the usage text. */
export class UsageError extends SaferouteError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Raised for input that cannot be decided on at all (not JSON, wrong shape). */
export class InputError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input_invalid', message, options);
  }
}
