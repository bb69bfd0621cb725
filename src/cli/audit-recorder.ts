import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CommandContext } from './command.js';
import type { Decision } from '../decision/decision.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { createAuditRecorder } from '../audit/create-audit-recorder.js';
import { createAuditHmacKeys } from '../audit/audit-hmac-keys.js';
import { createFileAuditSink } from '../audit/file-audit-sink.js';
import { generateAuditKeyPair } from '../audit/audit-signing-keys.js';
import { auditVerifyCommand } from './commands/audit-verify.js';
import type { AuditSink } from '../audit/audit-sink.js';
import { openCheckpointWitness } from '../audit/open-checkpoint-witness.js';
import type { CheckpointWitness } from '../audit/checkpoint-witness.js';

/** Records decisions made by a CLI command in the file audit sink. */
export interface CliAuditRecorder {
  record(decision: Decision, context: { text?: string | undefined; subjectId?: string | undefined; requestId?: string | undefined }): Promise<void>;
  close(): Promise<void>;
  readonly count: number;
  /** Where the checkpoints are witnessed, if anywhere. */
  readonly witness?: string;
}

export interface CliAuditOptions {
  /** The witness when `SAFEROUTE_AUDIT_WITNESS` is not set (the demo keeps one beside the log). */
  defaultWitness?: string;
}

/** `SAFEROUTE_AUDIT_WITNESS`, else the command's default: a directory, postgres://… or http(s)://…. */
function witnessSpec(ctx: CommandContext, options: CliAuditOptions): string | undefined {
  const spec = ctx.env.SAFEROUTE_AUDIT_WITNESS || options.defaultWitness;
  return spec !== undefined && spec.trim() !== '' ? spec : undefined;
}

interface AuditKeys {
  hmacSecret: string;
  signingKeyPem: string;
  publicKeyPath: string;
}

/**
 * Keys come from the environment (`SAFEROUTE_AUDIT_HMAC_KEY`, `SAFEROUTE_AUDIT_SIGNING_KEY` = a
 * PEM file, `SAFEROUTE_AUDIT_PUBLIC_KEY` for verification). Without them a development key set is
 * created once in `<DIR>.keys/` beside (never inside) the log, so the log can be shipped without
 * its keys; the command says so on stderr.
 */
async function auditKeys(dir: string, ctx: CommandContext): Promise<AuditKeys> {
  const keyDir = join(dirname(dir), `${basename(dir)}.keys`);
  const env = ctx.env;
  let hmacSecret = env.SAFEROUTE_AUDIT_HMAC_KEY;
  let signingKeyPem = env.SAFEROUTE_AUDIT_SIGNING_KEY ? await readFile(env.SAFEROUTE_AUDIT_SIGNING_KEY, 'utf8') : undefined;
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
    ctx.stderr.write(
      `note: created development audit ${created.length === 1 ? 'key' : 'keys'} ${files} in ${keyDir} (set SAFEROUTE_AUDIT_HMAC_KEY and SAFEROUTE_AUDIT_SIGNING_KEY in production)\n`,
    );
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

export async function openCliAuditRecorder(dir: string, policy: EvaluablePolicy, ctx: CommandContext, options: CliAuditOptions = {}): Promise<CliAuditRecorder> {
  const keys = await auditKeys(dir, ctx);
  const hmac = createAuditHmacKeys({ secret: keys.hmacSecret });
  const spec = witnessSpec(ctx, options);
  const witness: CheckpointWitness | undefined = spec !== undefined ? openCheckpointWitness(spec, { cwd: ctx.cwd, env: ctx.env }) : undefined;
  let sink: AuditSink;
  try {
    sink = await createFileAuditSink({
      dir,
      writerId: 'cli',
      failurePolicy: 'fail-closed',
      checkpoint: { key: keys.signingKeyPem, intervalMs: 60_000, ...(witness ? { witness } : {}) },
    });
  } catch (err) {
    await witness?.close();
    throw err;
  }
  const recorder = createAuditRecorder({ sink, keys: hmac, textMode: policy.document.audit?.text ?? 'digest' });
  let count = 0;
  return {
    get count() {
      return count;
    },
    ...(witness ? { witness: witness.location } : {}),
    async record(decision, context) {
      await recorder.record(decision, context);
      count++;
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

/** Runs `saferoute audit verify` on a log the CLI wrote, with the matching public key and the witness. */
export async function verifyAuditForCli(dir: string, ctx: CommandContext, options: CliAuditOptions = {}): Promise<boolean> {
  const keys = await auditKeys(dir, ctx);
  const spec = witnessSpec(ctx, options);
  const args = [dir, '--key', keys.publicKeyPath, ...(spec !== undefined ? ['--witness', spec] : [])];
  ctx.stdout.write(`\n$ saferoute audit verify ${args.join(' ')}\n`);
  const code = await auditVerifyCommand.run(args, ctx);
  return code === 0;
}
