import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createAuditHmacKeys } from '../audit/audit-hmac-keys.js';
import type { AuditSink, AuditSinkHealth } from '../audit/audit-sink.js';
import type { CheckpointWitness } from '../audit/checkpoint-witness.js';
import { auditKeysFromEnv, auditWitnessFromEnv } from '../audit/create-audit-recorder-from-env.js';
import { createAuditRecorder, type AuditRecorder } from '../audit/create-audit-recorder.js';
import { createFileAuditSink } from '../audit/file-audit-sink.js';
import { openCheckpointWitness } from '../audit/open-checkpoint-witness.js';
import { createPgAuditSink } from '../audit/pg-audit-sink.js';
import type { Env } from '../guard/resolve-runtime.js';
import type { AuditLogSource } from '../audit/verify-audit-log.js';
import type { AuditConfig } from './gateway-config.js';
import { SaferouteError } from '../errors.js';
import { redactUrl } from '../audit/redact-url.js';
import { WORKER_INDEX_ENV } from './workers/worker-messages.js';

/** The gateway's audit trail: one writer per process, shared by every tenant. */
export interface GatewayAudit {
  readonly recorder: AuditRecorder;
  /** Where the log is read back (the console, `audit` commands). */
  readonly source: AuditLogSource;
  /** A subject id's pseudonym, as the recorder stores it (same HMAC key). */
  pseudonymize(subjectId: string): string;
  /** The public key that verifies this log's checkpoints. */
  readonly publicKeyPath: string;
  /** The witness the checkpoints are copied to, as configured (`SAFEROUTE_AUDIT_WITNESS`). */
  readonly witnessSpec: string | undefined;
  health(): AuditSinkHealth;
  /** Writes what is queued, the writer-stop record and a last checkpoint. */
  close(): Promise<void>;
}

/**
 * The writer id: the config's, else `SAFEROUTE_AUDIT_WRITER_ID`, else `gateway-<host name>`; worker
 * N of several (`serve --workers`) adds `-wN`, since each process writes its own chain.
 */
export function gatewayWriterId(config: AuditConfig, env: Env): string {
  const given = 'writerId' in config ? config.writerId : undefined;
  const raw = given ?? env.SAFEROUTE_AUDIT_WRITER_ID ?? `gateway-${hostname()}`;
  // Only in a worker: an index inherited by a standalone process must not rename its writer.
  const worker = cluster.isWorker ? env[WORKER_INDEX_ENV] : undefined;
  const suffix = worker != null && /^[1-9][0-9]*$/.test(worker) ? `-w${worker}` : '';
  return raw.toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 64 - suffix.length) + suffix;
}

/**
 * Opens the configured sink (JSONL files or PostgreSQL) with the environment's keys
 * (`SAFEROUTE_AUDIT_HMAC_KEY`, `SAFEROUTE_AUDIT_SIGNING_KEY`, `SAFEROUTE_AUDIT_WITNESS`), or a
 * development key set beside the log when they are unset. Fail closed: a record that cannot be
 * made durable blocks its request.
 */
export async function openGatewayAudit(config: Exclude<AuditConfig, { disabled: true }>, env: Env, cwd: string, onNote: (message: string) => void): Promise<GatewayAudit> {
  const writerId = gatewayWriterId(config, env);
  const keyHome = 'dir' in config ? config.dir : join(cwd, '.saferoute', 'audit-pg');
  const keys = await auditKeysFromEnv(keyHome, env, onNote);
  const spec = auditWitnessFromEnv(env);
  const witness: CheckpointWitness | undefined = spec !== undefined ? openCheckpointWitness(spec, { cwd, env }) : undefined;
  const checkpoint = { key: keys.signingKeyPem, ...(witness ? { witness } : {}) };
  const onError = (err: unknown): void => onNote(`audit: ${(err as Error).message}`);
  let sink: AuditSink;
  try {
    sink =
      'dir' in config
        ? await createFileAuditSink({ dir: config.dir, writerId, failurePolicy: 'fail-closed', checkpoint, onError })
        : await createPgAuditSink({ connectionString: config.pg, ...(config.schema ? { schema: config.schema } : {}), writerId, failurePolicy: 'fail-closed', checkpoint, onError });
  } catch (err) {
    await witness?.close();
    if ('pg' in config && !(err instanceof SaferouteError && err.code === 'config_invalid')) {
      throw new SaferouteError('config_invalid', `${(err as Error).message} — the audit log at ${redactUrl(config.pg)} (\`audit.pg\` in the config): check that the server runs and accepts this client, and that \`saferoute migrate --pg URL\` has been run`, { cause: err });
    }
    throw err;
  }
  const hmacKeys = createAuditHmacKeys({ secret: keys.hmacSecret });
  const recorder = createAuditRecorder({ sink, keys: hmacKeys });
  const source: AuditLogSource = 'dir' in config ? { dir: config.dir } : { pg: { connectionString: config.pg, ...(config.schema ? { schema: config.schema } : {}) } };
  return {
    recorder,
    source,
    pseudonymize: (subjectId) => hmacKeys.pseudonymize(subjectId),
    publicKeyPath: keys.publicKeyPath,
    witnessSpec: spec,
    health: () => sink.health(),
    async close() {
      try {
        await sink.close();
      } finally {
        await witness?.close();
      }
    },
  };
}
