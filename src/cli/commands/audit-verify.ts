import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, readKeyFiles, writeLast } from '../../audit/audit-cli-options.js';
import type { AuditVerifyReport } from '../../audit/log-verifier.js';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';

const USAGE = `usage: saferoute audit verify [PATH | --pg URL [--schema NAME]] [options]

Checks a tamper-evident audit log: every record's hash, the gap-free sequence and prev-hash
links of each writer, segments and epochs that are missing, torn final lines, and the signed
checkpoints (signature, chain, and that the log still holds what they signed). Prints per
segment \`valid\` or exactly what is wrong, the range requested and covered, and the counts.

options:
  --pg URL               read the PostgreSQL tables instead of a directory
  --schema NAME          PostgreSQL schema of the audit tables
  --checkpoints-dir DIR  checkpoints kept apart from the log (default PATH/checkpoints)
  --key FILE             Ed25519 public key (PEM or JWK) that signed the checkpoints; repeatable
  --from TIME, --to TIME only count records in this range (ISO 8601); earlier segments are skipped
  --canonical            also require every record to be canonical JSON (slower)
  --workers N            verify segments in N worker threads (default 1)
  --strict               exit non-zero on warnings too (e.g. records not yet covered by a checkpoint)
  --json                 print the full report as JSON

exit status: 0 valid, 1 problems found (or warnings with --strict), 64 usage error, 78 configuration problem`;

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'verify the audit log: hashes, chains, segments, signed checkpoints',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseOrUsage(argv);
    const source = auditSourceOf(positionals, values, ctx.cwd);
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    const keys = await readKeyFiles(values.key, ctx.cwd);
    const workers = values.workers !== undefined ? Number(values.workers) : undefined;
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new UsageError(`\`--workers ${values.workers}\` must be a whole number from 1 to 64`);
    const report = await verifyAuditLog(source, {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(keys.length > 0 ? { publicKey: keys } : {}),
      ...(values.canonical ? { canonical: true } : {}),
      ...(workers !== undefined ? { workers } : {}),
    });
    await writeLast(ctx.stdout, values.json ? JSON.stringify(report, null, 2) + '\n' : formatVerifyReport(report));
    if (!report.ok) return 1;
    return values.strict && report.counts.warnings > 0 ? 1 : 0;
  },
};

function parseOrUsage(argv: string[]) {
  return parseCommandArgs(argv, {
    ...AUDIT_SOURCE_OPTIONS,
    key: { type: 'string', multiple: true },
    canonical: { type: 'boolean' },
    workers: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  } as const);
}

export function formatVerifyReport(report: AuditVerifyReport): string {
  const lines: string[] = [];
  const c = report.counts;
  lines.push(`audit log ${report.source}`);
  lines.push(`  ${plural(c.writers, 'writer')}, ${plural(c.epochs, 'epoch')}, ${plural(c.segments, 'segment')}, ${plural(c.records, 'record')} read, ${plural(c.decisions, 'decision')} in range`);
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
  if (others.length > 0) {
    lines.push('');
    for (const f of others) lines.push(`${f.severity === 'error' ? 'error' : 'warning'} ${f.code}: ${f.message}`);
  }
  lines.push('');
  const req = report.range.requested;
  const cov = report.range.covered;
  lines.push(`range requested: ${req.from || req.to ? `${req.from ?? '…'} – ${req.to ?? '…'}` : 'everything'}`);
  lines.push(`range covered:   ${cov.from ? `${cov.from} – ${cov.to}` : 'no records'}`);
  lines.push(`records: ${c.records} read, ${c.inRange} in range (${c.decisions} decisions)`);
  lines.push(`result: ${report.ok ? 'VALID' : 'INVALID'} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}) in ${Math.round(report.elapsedMs)} ms`);
  return lines.join('\n') + '\n';
}
