import type { AuditRecorder } from '../audit/create-audit-recorder.js';

/** @deprecated The guard records through the one `AuditRecorder` interface; this is its earlier name. */
export type GuardAuditRecorder = AuditRecorder;
