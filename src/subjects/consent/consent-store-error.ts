import { SaferouteError } from '../../errors.js';

/**
 * The consent store could not answer or could not record. Callers must fail closed: a decision
 * that needs consent is blocked rather than taken without knowing the state.
 */
export class ConsentStoreError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('consent_store_failed', message, options);
  }
}
