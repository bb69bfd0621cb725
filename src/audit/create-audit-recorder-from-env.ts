import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AuditConfigError } from './audit-error.js';
import { createAuditHmacKeys } from './audit-hmac-keys.js';
import { generateAuditKeyPair } from './audit-signing-keys.js';
import type { AuditSink } from './audit-sink.js';
import type { CheckpointWitness } from './checkpoint-witness.js';
import { createAuditRecorder, type AuditRecorder } from './create-audit-recorder.js';
import { createFileAuditSink } from './file-audit-sink.js';
import { openCheckpointWitness } from './open-checkpoint-witness.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface AuditRecorderFromEnvOptions {
  /** The log directory (JSONL segments and checkpoints). */
  dir: string;
  /** Where `SAFEROUTE_AUDIT_*` are read (default `process.env`). */
  env?: Env;
  /** Base for relative paths (default the process's working directory). */
  cwd?: string;
  /** This writer's id in the log (default `app`); each process writing one log needs its own. */
  writerId?: string;
  /** The witness when `SAFEROUTE_AUDIT_WITNESS` is not set. */
  defaultWitness?: string;
  /** How often a signed checkpoint is written, even when idle (default 60 s). */
  checkpointIntervalMs?: number;
  /** Told about what was set up on the operator's behalf (development keys created). */
  onNote?: (message: string) => void;
}

/** A recorder that owns its file sink and witness: `close()` flushes the sink and writes the writer-stop record. */
export interface OwnedAuditRecorder extends AuditRecorder {
  close(): Promise<void>;
  /** Decisions recorded so far. */
  readonly count: number;
  /** Where the checkpoints are witnessed, if anywhere. */
  readonly witness?: string;
  /** The public key that verifies this log's checkpoints (for `audit verify --key`). */
  readonly publicKeyPath: string;
}

interface AuditKeys {
  hmacSecret: string;
  signingKeyPem: string;
  publicKeyPath: string;
}

/**
 * The file audit trail as an operator configures it through the environment — what the CLI, the
 * gateway and an app share: `SAFEROUTE_AUDIT_HMAC_KEY` (subject pseudonyms and text digests),
 * `SAFEROUTE_AUDIT_SIGNING_KEY` (a PEM file; signs the checkpoints), `SAFEROUTE_AUDIT_PUBLIC_KEY`,
 * `SAFEROUTE_AUDIT_WITNESS` (a directory outside the log, `postgres://…` or `http(s)://…`). Without
 * keys, a development key set is created once in `<DIR>.keys/` beside (never inside) the log, and
 * `onNote` says so. The sink fails closed: a record that cannot be made durable rejects.
 */
export async function createAuditRecorderFromEnv(options: AuditRecorderFromEnvOptions): Promise<OwnedAuditRecorder> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, options.dir);
  const keys = await auditKeysFromEnv(dir, env, options.onNote);
  const spec = auditWitnessFromEnv(env, options.defaultWitness);
  const witness: CheckpointWitness | undefined = spec !== undefined ? openCheckpointWitness(spec, { cwd, env }) : undefined;
  let sink: AuditSink;
  try {
    sink = await createFileAuditSink({
      dir,
      writerId: options.writerId ?? 'app',
      failurePolicy: 'fail-closed',
      checkpoint: { key: keys.signingKeyPem, intervalMs: options.checkpointIntervalMs ?? 60_000, ...(witness ? { witness } : {}) },
    });
  } catch (err) {
    await witness?.close();
    throw err;
  }
  const recorder = createAuditRecorder({ sink, keys: createAuditHmacKeys({ secret: keys.hmacSecret }) });
  let count = 0;
  return {
    get count() {
      return count;
    },
    ...(witness ? { witness: witness.location } : {}),
    publicKeyPath: keys.publicKeyPath,
    async record(decision, context) {
      const ack = await recorder.record(decision, context);
      count++;
      return ack;
    },
    async close() {
      try {
        await sink.close();
      } finally {
        await witness?.close();
      }
    },
  };
}

/** `SAFEROUTE_AUDIT_WITNESS`, else `fallback`; empty means unset. */
export function auditWitnessFromEnv(env: Env, fallback?: string): string | undefined {
  const spec = env.SAFEROUTE_AUDIT_WITNESS || fallback;
  return spec !== undefined && spec.trim() !== '' ? spec : undefined;
}

/** The checkpoint signing key file SAFEROUTE_AUDIT_SIGNING_KEY names, or what is wrong with it. */
async function readSigningKey(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const why = (err as { code?: string }).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new AuditConfigError(`SAFEROUTE_AUDIT_SIGNING_KEY names \`${path}\`, which cannot be read (${why}); check the path and that this user may read it (it is the private key \`saferoute audit keygen\` wrote)`, { cause: err });
  }
}

/** The audit keys from the environment, or the development set beside `dir` (created once). */
export async function auditKeysFromEnv(dir: string, env: Env, onNote?: (message: string) => void): Promise<AuditKeys> {
  const keyDir = join(dirname(dir), `${basename(dir)}.keys`);
  let hmacSecret = env.SAFEROUTE_AUDIT_HMAC_KEY;
  let signingKeyPem = env.SAFEROUTE_AUDIT_SIGNING_KEY ? await readSigningKey(env.SAFEROUTE_AUDIT_SIGNING_KEY) : undefined;
  let publicKeyPath = env.SAFEROUTE_AUDIT_PUBLIC_KEY ?? join(keyDir, 'audit-signing.pub.pem');
  if (hmacSecret && signingKeyPem) return { hmacSecret, signingKeyPem, publicKeyPath };

  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  const hmacPath = join(keyDir, 'hmac.key');
  const privPath = join(keyDir, 'audit-signing.key.pem');
  const created: string[] = [];
  if (!hmacSecret) hmacSecret = await readOrCreate(hmacPath, () => randomBytes(32).toString('base64url'), created);
  if (!signingKeyPem) {
    const existing = await readFile(privPath, 'utf8').catch(() => undefined);
    if (existing) signingKeyPem = existing;
    else {
      const pair = generateAuditKeyPair();
      await writeFile(privPath, pair.privateKeyPem, { mode: 0o600 });
      await writeFile(join(keyDir, 'audit-signing.pub.pem'), pair.publicKeyPem, { mode: 0o644 });
      signingKeyPem = pair.privateKeyPem;
      created.push(privPath);
    }
    if (!env.SAFEROUTE_AUDIT_PUBLIC_KEY) publicKeyPath = join(keyDir, 'audit-signing.pub.pem');
  }
  if (created.length > 0) {
    const files = created.map((f) => basename(f)).join(' and ');
    onNote?.(`created development audit ${created.length === 1 ? 'key' : 'keys'} ${files} in ${keyDir} (set SAFEROUTE_AUDIT_HMAC_KEY and SAFEROUTE_AUDIT_SIGNING_KEY in production)`);
  }
  return { hmacSecret, signingKeyPem, publicKeyPath };
}

/** Reads a key file, or writes a new key there and adds the path to `created`. */
async function readOrCreate(path: string, make: () => string, created: string[]): Promise<string> {
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const value = make();
  await writeFile(path, value + '\n', { mode: 0o600 });
  created.push(path);
  return value;
}
