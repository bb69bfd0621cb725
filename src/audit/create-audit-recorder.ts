import type { Decision } from '../decision/decision.js';
import type { AuditTextMode } from './audit-event.js';
import type { AuditHmacKeys } from './audit-hmac-keys.js';
import type { AuditAck, AuditSink } from './audit-sink.js';
import { createAuditEvent } from './create-audit-event.js';

/** What the guard and the CLI call per decision: turn it into an audit record and make it durable. */
export interface AuditRecorder {
  record(decision: Decision, context: { text?: string | undefined; subjectId?: string | undefined; requestId?: string | undefined }): Promise<AuditAck>;
}

/**
 * Binds a sink to the operator's HMAC keys and the policy's text mode. `record` resolves once the
 * record is durable and rejects when the sink fails in fail-closed mode — callers block then.
 */
export function createAuditRecorder(options: { sink: AuditSink; keys: AuditHmacKeys; textMode?: AuditTextMode }): AuditRecorder {
  const textMode = options.textMode ?? 'digest';
  return {
    record(decision, context) {
      const body = createAuditEvent(decision, {
        keys: options.keys,
        textMode,
        ...(context.text !== undefined ? { text: context.text } : {}),
        ...(context.subjectId !== undefined ? { subjectId: context.subjectId } : {}),
        ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
      });
      return options.sink.append(body);
    },
  };
}
