import type { AuditFailurePolicy, DecisionAuditBody } from './audit-event.js';
import type { AuditKeyInput } from './audit-signing-keys.js';
import type { CheckpointWitness } from './checkpoint-witness.js';
import type { ArchivablePolicy } from './policy-archive.js';

/** The outcome of `append`: resolved only once the record is durable, or lost in `continue` mode. */
export type AuditAck =
  | { durable: true; writer: string; epoch: number; seq: number; hash: string; ts: string }
  | { durable: false; writer: string; reason: string };

export interface AuditSinkHealth {
  status: 'ok' | 'degraded' | 'failed' | 'closed';
  sink: 'file' | 'pg';
  writer: string;
  epoch: number;
  failurePolicy: AuditFailurePolicy;
  /** The last durable record. */
  head?: { seq: number; hash: string; ts: string };
  queued: number;
  /** `continue` mode: records acknowledged as not durable since start. */
  lostRecords: number;
  failure?: string;
  checkpoints?: {
    written: number;
    lastAt?: string;
    lastError?: string;
    /** Where checkpoints are copied outside the log, and how that goes. */
    witness?: { location: string; published: number; lastAt?: string; lastError?: string };
  };
}

export interface GroupCommitOptions {
  /** Wait up to this long for a batch to fill before writing (0: write as soon as the previous batch is durable). */
  maxDelayMs?: number;
  /** Records per write + fsync (or per INSERT). */
  maxBatch?: number;
  /** Bytes per batch at most (the records' JSON, roughly; default 4 MiB); a single larger record is its own batch. */
  maxBatchBytes?: number;
  /** Records waiting at most; `append` waits for room beyond this (back-pressure). */
  maxQueue?: number;
}

export interface AuditSink {
  readonly writerId: string;
  readonly failurePolicy: AuditFailurePolicy;
  /**
   * Chains and stores one decision record. Resolves once the record is durable (fsync'd or
   * committed). When the sink fails: rejects with `AuditError` in `fail-closed` mode (the engine
   * blocks), resolves `{ durable: false }` in `continue` mode.
   */
  append(body: DecisionAuditBody): Promise<AuditAck>;
  health(): AuditSinkHealth;
  /**
   * Stores a resolved policy by its SHA-256 beside the log (once; durable when it resolves), so
   * `saferoute audit show` explains a record with the exact policy that decided it.
   */
  archivePolicy?(policy: ArchivablePolicy): Promise<void>;
  /** Writes any queued records, a `writer-stop` record and a final checkpoint. */
  close(): Promise<void>;
}

export interface AuditCheckpointOptions {
  /** Ed25519 private key (KeyObject, PEM or JWK). Required: checkpoints are worthless unsigned. */
  key: AuditKeyInput;
  /** Defaults to the key's RFC 7638 thumbprint. */
  keyId?: string;
  /** Default 60 s. A checkpoint is also written at start and at close. */
  intervalMs?: number;
  /**
   * Receives a copy of every checkpoint, outside the log (another directory, a PostgreSQL table
   * the writer cannot rewrite, an HTTP endpoint). It must accept the first checkpoint (else the
   * sink does not start) and the last (else `close` rejects); a failure in between makes the
   * sink `degraded` and is retried with the next checkpoint. The caller closes it after the sink.
   */
  witness?: CheckpointWitness;
  /**
   * `fail-closed` sinks refuse appends (the engine blocks) once the witness has accepted no
   * checkpoint for this long. Default: 5 intervals, at least 60 s; \`Infinity\` only degrades.
   */
  witnessMaxLagMs?: number;
}

