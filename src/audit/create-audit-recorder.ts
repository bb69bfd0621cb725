import type { Decision } from '../decision/decision.js';
import type { AuditTextMode } from './audit-event.js';
import type { AuditHmacKeys } from './audit-hmac-keys.js';
import type { AuditAck, AuditSink } from './audit-sink.js';
import { createAuditEvent } from './create-audit-event.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { archivableOf } from './policy-archive.js';

/** What is known of a decision besides the decision: the text it was made on, who, which request. */
export interface AuditRecordContext {
  /** The classified text; kept per the decision's `auditText` (a keyed digest unless the policy asks for more). */
  text?: string | undefined;
  /** The application's subject id, recorded as an HMAC pseudonym. */
  subjectId?: string | undefined;
  /** The caller's id of the request (`check --file` line ids, a gateway's request id). */
  requestId?: string | undefined;
  /**
   * The policy that made the decision: archived by its SHA-256 beside the log (once, before the
   * first record it decided), so `saferoute audit show` explains the record with the exact rules.
   */
  policy?: EvaluablePolicy | undefined;
  /** Records a candidate policy's decision (never enforced) as the shadow of this live decision id. */
  shadowOf?: string | undefined;
}

/**
 * The one interface every front door records decisions through: the guard, the CLI, the gateway.
 * `record` resolves only once the record is durable and rejects when it cannot be made durable
 * — callers block then (fail closed).
 */
export interface AuditRecorder {
  record(decision: Decision, context: AuditRecordContext): Promise<AuditAck | unknown>;
  /** Flushes and closes what the recorder opened (its sink, its witness), when it owns them. */
  close?(): Promise<void>;
}

/**
 * Binds a sink to the operator's HMAC keys. The text of a decision is kept as the policy that
 * made it says (`decision.auditText`: `digest`, `redacted` or `full`); `textMode` is only the
 * fallback for decisions that carry none.
 */
export function createAuditRecorder(options: { sink: AuditSink; keys: AuditHmacKeys; textMode?: AuditTextMode }): AuditRecorder & { record(decision: Decision, context: AuditRecordContext): Promise<AuditAck> } {
  const fallback = options.textMode ?? 'digest';
  const { sink } = options;
  // One archive write per policy and recorder; a failed one is retried with the next record.
  const archived = new Map<string, Promise<void>>();
  const archive = (policy: EvaluablePolicy): Promise<void> => {
    let done = archived.get(policy.sha256);
    if (!done) {
      done = sink.archivePolicy?.(archivableOf(policy)) ?? Promise.resolve();
      done.catch(() => archived.delete(policy.sha256));
      archived.set(policy.sha256, done);
    }
    return done;
  };
  return {
    async record(decision, context) {
      // Before the record: a record in the log always has its policy beside it. A failure rejects (fail closed).
      if (context.policy && context.policy.sha256 === decision.policy.sha256) await archive(context.policy);
      const body = createAuditEvent(decision, {
        keys: options.keys,
        textMode: decision.auditText ?? fallback,
        ...(context.text !== undefined ? { text: context.text } : {}),
        ...(context.subjectId !== undefined ? { subjectId: context.subjectId } : {}),
        ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
        ...(context.shadowOf !== undefined ? { shadowOf: context.shadowOf } : {}),
      });
      return sink.append(body);
    },
  };
}
