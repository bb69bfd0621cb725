import { SaferouteError } from '../../errors.js';

/** A model file that is missing, truncated, altered or inconsistent with its manifest. */
export class LinearModelError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config_invalid', message, options);
  }
}
