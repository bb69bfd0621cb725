import { SaferouteError } from '../../errors.js';

/** An issuer configuration that cannot be used safely (unknown algorithm, HS with a public key, private key material…). */
export class AttestationConfigError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('attestation_config', message, options);
  }
}
