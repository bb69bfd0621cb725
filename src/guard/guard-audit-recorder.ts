import type { Decision } from '../decision/decision.js';

/**
 * Where the guard records each decision. `record` must resolve only once the record is durable:
 * the guard awaits it before calling a model or releasing anything, and treats a rejection as a
 * block (fail closed).
 */
export interface GuardAuditRecorder {
  record(decision: Decision, details: { text?: string | undefined; subjectId?: string | undefined }): Promise<unknown>;
}
