import type { CommandContext } from './command.js';
import { auditKeysFromEnv, auditWitnessFromEnv, createAuditRecorderFromEnv, type OwnedAuditRecorder } from '../audit/create-audit-recorder-from-env.js';
import { auditVerifyCommand } from './commands/audit-verify.js';

export interface CliAuditOptions {
  /** The witness when `SAFEROUTE_AUDIT_WITNESS` is not set (the demo keeps one beside the log). */
  defaultWitness?: string;
}

/** The environment's audit trail in `dir`, as the `cli` writer; notes go to standard error. */
export function openCliAuditRecorder(dir: string, ctx: CommandContext, options: CliAuditOptions = {}): Promise<OwnedAuditRecorder> {
  return createAuditRecorderFromEnv({
    dir,
    env: ctx.env,
    cwd: ctx.cwd,
    writerId: 'cli',
    ...(options.defaultWitness !== undefined ? { defaultWitness: options.defaultWitness } : {}),
    onNote: (message) => ctx.stderr.write(`note: ${message}\n`),
  });
}

/** Runs `saferoute audit verify` on a log the CLI wrote, with the matching public key and the witness. */
export async function verifyAuditForCli(dir: string, ctx: CommandContext, options: CliAuditOptions = {}): Promise<boolean> {
  const keys = await auditKeysFromEnv(dir, ctx.env);
  const spec = auditWitnessFromEnv(ctx.env, options.defaultWitness);
  const args = [dir, '--key', keys.publicKeyPath, ...(spec !== undefined ? ['--witness', spec] : [])];
  ctx.stdout.write(`\n$ saferoute audit verify ${args.join(' ')}\n`);
  const code = await auditVerifyCommand.run(args, ctx);
  return code === 0;
}
