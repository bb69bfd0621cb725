import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, readTrustedKeys, writeLast, type TrustedKey } from '../../audit/audit-cli-options.js';
import type { AuditVerifyReport } from '../../audit/log-verifier.js';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import { openCheckpointWitness } from '../../audit/open-checkpoint-witness.js';
import { checkAuditSource } from '../../audit/check-audit-source.js';

const USAGE = `usage: saferoute audit verify [PATH | --pg URL [--schema NAME]] [options]

Checks a tamper-evident audit log: every record's hash, the gap-free sequence and prev-hash
links of each writer, segments and epochs that are missing, torn final lines, and the signed
checkpoints (signature, chain, and that the log still holds what they signed). Prints per
segment \`valid\` or exactly what is wrong, the key and witness it trusted, the range requested
and covered, and the counts.

options:
  --pg URL               read the PostgreSQL tables instead of a directory
  --archive DIR          with --pg: the directory \`saferoute audit archive\` moved old monthly
                         partitions to; their chains are verified with the table's
  --schema NAME          PostgreSQL schema of the audit tables
  --checkpoints-dir DIR  checkpoints kept apart from the log (default PATH/checkpoints)
  --key FILE             Ed25519 public key (PEM or JWK) that signed the checkpoints; repeatable
                         (default: the file SAFEROUTE_AUDIT_PUBLIC_KEY names). With a key, a
                         writer without checkpoints, records after the last checkpoint and a
                         missing checkpoints directory are errors
  --key-id ID            the key id you were given out of band; the --key file must match it
  --witness W            where the checkpoints were witnessed: a directory, postgres://… or
                         http(s)://… (default: SAFEROUTE_AUDIT_WITNESS); the log must still hold
                         the newest checkpoint the witness holds for each writer
  --unsigned             the log is expected to carry no checkpoints (not with --key)
  --live                 the log is being written: records a running writer has not yet
                         checkpointed are a warning, not an error (running means its lock
                         file says so, which anyone who can write the log can fake: for
                         operators watching a live system, not for audits)
  --from TIME, --to TIME only count records in this range (ISO 8601); earlier segments are skipped
  --canonical            also require every record to be canonical JSON (slower)
  --workers N            verify segments in N worker threads (default 1)
  --strict               exit non-zero on warnings too
  --json                 print the full report as JSON

Without a witness, a log cut back to one of its checkpoints, or missing its newest epoch or a
whole writer together with their checkpoints, looks complete: only a witness outside the log
directory can tell.

exit status: 0 valid, 1 problems found (or warnings with --strict), 64 usage error, 78 configuration problem`;

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'verify the audit log: hashes, chains, segments, signed checkpoints, witness',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseOrUsage(argv);
    const base = auditSourceOf(positionals, values, ctx.cwd);
    if (values.archive !== undefined && !('pg' in base)) throw new UsageError('`--archive DIR` goes with `--pg URL`: it holds partitions moved out of the PostgreSQL log');
    if (values.archive !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError('`--archive` verifies whole chains: it cannot go with `--from`/`--to`');
    const source = values.archive !== undefined && 'pg' in base ? { ...base, archiveDir: isAbsolute(values.archive) ? values.archive : resolve(ctx.cwd, values.archive) } : base;
    if ('archiveDir' in source && !(await isDirectory(source.archiveDir))) {
      throw new UsageError(`\`--archive ${values.archive}\`: \`${source.archiveDir}\` is not a directory; give the directory \`saferoute audit archive --to DIR\` wrote`);
    }
    // Arguments first, then the database: a mistyped --archive is a usage error without a connection.
    await checkAuditSource(base, ctx.env);
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    const witnessSpec = values.witness ?? (values.unsigned ? undefined : ctx.env.SAFEROUTE_AUDIT_WITNESS || undefined);
    if (values.unsigned && values.key) throw new UsageError('`--unsigned` says the log carries no checkpoints, `--key` that it is signed: give one of them');
    if (values.unsigned && values.witness !== undefined) throw new UsageError('a witness holds signed checkpoints: `--witness` cannot go with `--unsigned`');
    const trusted = values.unsigned ? [] : await readTrustedKeys(values.key, values['key-id'], source, ctx);
    const workers = values.workers !== undefined ? Number(values.workers) : undefined;
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new UsageError(`\`--workers ${values.workers}\` must be a whole number from 1 to 64`);
    const witness = witnessSpec !== undefined ? openCheckpointWitness(witnessSpec, { cwd: ctx.cwd, env: ctx.env }) : undefined;
    let report: AuditVerifyReport;
    try {
      report = await verifyAuditLog(source, {
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(trusted.length > 0 ? { publicKey: trusted.map((t) => t.key) } : {}),
        ...(values.unsigned ? { unsigned: true } : {}),
        ...(values.live ? { live: true } : {}),
        ...(witness ? { witness } : {}),
        ...(values.canonical ? { canonical: true } : {}),
        ...(workers !== undefined ? { workers } : {}),
      });
    } finally {
      await witness?.close();
    }
    const trust = { keys: trusted, unsigned: values.unsigned === true };
    // `warnings`: the warning findings again, for scripts that gate on them (exit 0 unless --strict).
    const json = (): string => JSON.stringify({ ...report, warnings: report.findings.filter((f) => f.severity === 'warning'), trust: trustJson(trust) }, null, 2) + '\n';
    await writeLast(ctx.stdout, values.json ? json() : formatVerifyReport(report, trust));
    if (!report.ok) return 1;
    return values.strict && report.counts.warnings > 0 ? 1 : 0;
  },
};

function parseOrUsage(argv: string[]) {
  return parseCommandArgs(argv, {
    ...AUDIT_SOURCE_OPTIONS,
    key: { type: 'string', multiple: true },
    'key-id': { type: 'string', multiple: true },
    witness: { type: 'string' },
    unsigned: { type: 'boolean' },
    live: { type: 'boolean' },
    canonical: { type: 'boolean' },
    workers: { type: 'string' },
    archive: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  } as const);
}

/** What `verify` trusted: the keys and where they came from. */
export interface VerifyTrust {
  keys: TrustedKey[];
  unsigned: boolean;
}

function trustJson(trust: VerifyTrust): { keys: { keyId: string; from: string; caution?: string }[]; unsigned: boolean } {
  return { keys: trust.keys.map((k) => ({ keyId: k.keyId, from: k.from, ...(k.caution ? { caution: k.caution } : {}) })), unsigned: trust.unsigned };
}

export function formatVerifyReport(report: AuditVerifyReport, trust?: VerifyTrust): string {
  const lines: string[] = [];
  const c = report.counts;
  lines.push(`audit log ${report.source}`);
  lines.push(`  ${plural(c.writers, 'writer')}, ${plural(c.epochs, 'epoch')}, ${plural(c.segments, 'segment')}, ${plural(c.records, 'record')} read, ${plural(c.decisions, 'decision')} in range (${liveAndShadow(c)})`);
  lines.push('');
  for (const s of report.segments) {
    const where = s.file ?? `epoch ${s.epoch}`;
    const seq = s.firstSeq !== undefined ? `seq ${s.firstSeq}–${s.lastSeq}` : 'no records';
    lines.push(`${s.status === 'valid' ? 'valid  ' : 'INVALID'}  ${s.writer} epoch ${s.epoch} segment ${s.segment}  ${seq}  ${plural(s.records, 'record')}  ${where}`);
    for (const f of s.findings) lines.push(`         ${f.severity === 'error' ? 'error' : 'warning'} ${f.code}: ${f.message}`);
  }
  const segmentFindings = new Set(report.segments.flatMap((s) => s.findings));
  const others = report.findings.filter((f) => !segmentFindings.has(f));
  const cp = report.checkpoints;
  lines.push('');
  lines.push(`checkpoints: ${cp.read} read, ${cp.valid} valid, ${cp.signaturesVerified} signature(s) verified`);
  for (const s of cp.byCheckpointer) {
    const last = s.last ? `, last ${s.last.ts} at ${s.last.heads.map((h) => `epoch ${h.epoch} seq ${h.seq}`).join(', ') || 'no records'}` : '';
    lines.push(`  ${s.checkpointer}: ${s.valid}/${s.count} valid${last}`);
  }
  if (trust) lines.push(...trustLines(report, trust));
  if (others.length > 0) {
    lines.push('');
    for (const f of others) lines.push(`${f.severity === 'error' ? 'error' : 'warning'} ${f.code}: ${f.message}`);
  }
  lines.push('');
  const req = report.range.requested;
  const cov = report.range.covered;
  lines.push(`range requested: ${req.from || req.to ? `${req.from ?? '…'} – ${req.to ?? '…'}` : 'everything'}`);
  lines.push(`range covered:   ${cov.from ? `${cov.from} – ${cov.to}` : 'no records'}`);
  lines.push(`records: ${c.records} read, ${c.inRange} in range (${plural(c.decisions, 'decision')}: ${liveAndShadow(c)})`);
  lines.push(`result: ${report.ok ? 'VALID' : 'INVALID'} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}) in ${Math.round(report.elapsedMs)} ms`);
  return lines.join('\n') + '\n';
}

/** Live decisions are traffic; shadow ones are a candidate policy's verdicts beside them, never enforced. */
function liveAndShadow(c: AuditVerifyReport['counts']): string {
  return `${c.decisions - c.shadowDecisions} live, ${c.shadowDecisions} shadow`;
}

/** The key and the witness this verdict rests on, and what it cannot show without them. */
function trustLines(report: AuditVerifyReport, trust: VerifyTrust): string[] {
  const lines: string[] = [''];
  if (trust.unsigned) {
    lines.push('trusted key: none (--unsigned): the chain shows the log is consistent, not who wrote it; anyone who can write the log could rewrite it whole');
  } else if (trust.keys.length === 0) {
    lines.push('trusted key: none: signatures were not checked (give --key, the public key you got from the log\'s owner)');
  }
  for (const k of trust.keys) {
    lines.push(`trusted key: ${k.keyId} from ${k.from}`);
    if (k.caution) {
      lines.push(`  caution: ${k.caution}: whoever can rewrite the log can replace this key too; get the public key (or its key id, for --key-id) from the log's owner out of band`);
    }
  }
  const w = report.witness;
  if (w) {
    const heads = w.byCheckpointer.map((cp) => `${cp.checkpointer} ${cp.epoch}#${cp.n} (${cp.heads.map((h) => `epoch ${h.epoch} seq ${h.seq}`).join(', ') || 'no records'}, ${cp.ts})`);
    lines.push(`witness: ${w.location}: newest checkpoint ${heads.length > 0 ? heads.join('; ') : 'none'}`);
  } else if (!trust.unsigned) {
    lines.push(
      'witness: none: a log cut back to one of its checkpoints, or missing its newest epoch or a whole writer together with their checkpoints, would look complete (give --witness)',
    );
  }
  return lines;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
