import { SaferouteError } from '../errors.js';

/**
 * The audit trail could not make a record durable (or the sink is closed). In `fail-closed` mode
 * the engine treats this as a block: nothing is released without its record.
 */
export class AuditError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('audit_failed', message, options);
  }
}

/** An audit sink or key was configured wrongly (bad writer id, missing or unreadable key). */
export class AuditConfigError extends SaferouteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config_invalid', message, options);
  }
}
