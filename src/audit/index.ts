export { AuditConfigError, AuditError } from './audit-error.js';
export { AUDIT_EVENT_VERSION, GENESIS_HASH } from './audit-event.js';
export type {
  AuditChainFields,
  AuditEvent,
  AuditEventBody,
  AuditEventKind,
  AuditEvidence,
  AuditFailurePolicy,
  AuditText,
  AuditTextMode,
  DecisionAuditBody,
  DecisionAuditEvent,
  LostRecordsBody,
  PreviousEpochHead,
  WriterStartBody,
  WriterStopBody,
} from './audit-event.js';
export { createAuditEvent } from './create-audit-event.js';
export { createAuditRecorder } from './create-audit-recorder.js';
export type { AuditRecorder, AuditRecordContext } from './create-audit-recorder.js';
export { createAuditRecorderFromEnv, auditKeysFromEnv, auditWitnessFromEnv } from './create-audit-recorder-from-env.js';
export type { AuditRecorderFromEnvOptions, OwnedAuditRecorder } from './create-audit-recorder-from-env.js';
export type { CreateAuditEventOptions } from './create-audit-event.js';
export { createAuditHmacKeys } from './audit-hmac-keys.js';
export type { AuditHmacKeys } from './audit-hmac-keys.js';
export { redactText } from './redact-text.js';
export { auditKeyId, generateAuditKeyPair, loadAuditSigningKey, loadAuditVerifyKey, parseAuditKeyText } from './audit-signing-keys.js';
export type { AuditKeyInput, AuditKeyPair } from './audit-signing-keys.js';
export type { AuditAck, AuditCheckpointOptions, AuditSink, AuditSinkHealth, GroupCommitOptions } from './audit-sink.js';
export { createFileAuditSink } from './file-audit-sink.js';
export type { FileAuditSinkOptions } from './file-audit-sink.js';
export { nodeAuditFs } from './audit-fs.js';
export type { AuditFileHandle, AuditFs } from './audit-fs.js';
export { createPgAuditSink } from './pg-audit-sink.js';
export type { PgAuditSinkOptions } from './pg-audit-sink.js';
export { AUDIT_MIGRATIONS } from './pg-migrations.js';
export { AUDIT_CHECKPOINTS_TABLE, AUDIT_EVENTS_TABLE, AUDIT_WITNESS_TABLE } from './pg-tables.js';
export type { AuditPgConnection } from './pg-tables.js';
export type { AuditCheckpoint, CheckpointHead } from './audit-checkpoint.js';
export { verifyAuditLog } from './verify-audit-log.js';
export type { CheckpointWitness } from './checkpoint-witness.js';
export { createFileCheckpointWitness } from './file-checkpoint-witness.js';
export type { FileCheckpointWitnessOptions } from './file-checkpoint-witness.js';
export { createPgCheckpointWitness } from './pg-checkpoint-witness.js';
export type { PgCheckpointWitnessOptions } from './pg-checkpoint-witness.js';
export { createHttpCheckpointWitness } from './http-checkpoint-witness.js';
export type { HttpCheckpointWitnessOptions } from './http-checkpoint-witness.js';
export { createWitnessHttpHandler } from './witness-http-handler.js';
export type { WitnessHttpHandlerOptions } from './witness-http-handler.js';
export { openCheckpointWitness } from './open-checkpoint-witness.js';
export type { AuditLogSource, VerifyAuditLogOptions } from './verify-audit-log.js';
export type { AuditVerifyReport, CheckpointSummary, SegmentReport } from './log-verifier.js';
export type { AuditFinding, AuditFindingCode } from './audit-finding.js';
export { DEFAULT_MIN_SCORE, matchesAuditQuery, queryAuditLog } from './query-audit-log.js';
export type { AuditQuery, AuditShadowFilter } from './query-audit-log.js';
export { readAuditRecords } from './read-audit-records.js';
export type { AuditRecordRead } from './read-audit-records.js';
export { createAuditRecordFormatter } from './format-audit-records.js';
export type { AuditRecordFormat, AuditRecordFormatter } from './format-audit-records.js';
export { addToAuditAggregate, createAuditAggregate, renderAuditReportHtml, writeAuditReport } from './audit-report.js';
export type { AuditAggregate, DecisionSample, ExcludedRecord, WriteAuditReportOptions } from './audit-report.js';
export { readArchivedPolicy, POLICY_ARCHIVE_DIR_NAME } from './policy-archive.js';
export type { ArchivablePolicy, ArchivedPolicy, ArchiveLookup } from './policy-archive.js';
export { explainDecision } from './explain-decision.js';
export type { DecisionExplanation } from './explain-decision.js';
