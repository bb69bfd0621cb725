import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, writeOut } from '../../audit/audit-cli-options.js';
import { createAuditRecordFormatter, type AuditRecordFormat } from '../../audit/format-audit-records.js';
import { DEFAULT_MIN_SCORE, queryAuditLog, type AuditQuery } from '../../audit/query-audit-log.js';

const USAGE = `usage: saferoute audit query [PATH | --pg URL [--schema NAME]] [filters] [--format table|jsonl|csv]

Streams the decision records that match every filter given, in time order.

filters:
  --from TIME, --to TIME    ISO 8601 times (a date alone is its start, UTC)
  --outcome route|block     the policy's verdict
  --target NAME             the decided or effective target
  --rule ID                 a determining or matched rule
  --category NAME           decisions scoring at least --min-score (default ${DEFAULT_MIN_SCORE}) in this category
  --min-score N
  --unmet CODE              an unmet requirement, e.g. age_verification_required
  --policy-revision REV
  --subject PSEUDONYM       the subject's HMAC pseudonym
  --decision ID
  --stage input|output
  --all-kinds               also writer-start, writer-stop and lost records
  --limit N                 stop after N records

output:
  --format table|jsonl|csv  default table; jsonl prints the stored records verbatim`;

export const auditQueryCommand: Command = {
  name: 'audit query',
  summary: 'find audit records by time, outcome, target, rule, category, unmet requirement, subject…',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseOrUsage(argv);
    const source = auditSourceOf(positionals, values, ctx.cwd);
    const format = (values.format ?? 'table') as AuditRecordFormat;
    if (!['table', 'jsonl', 'csv'].includes(format)) throw new UsageError(`\`--format ${format}\` must be table, jsonl or csv`);
    const minScore = values['min-score'] !== undefined ? Number(values['min-score']) : undefined;
    if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) throw new UsageError(`\`--min-score ${values['min-score']}\` must be a number in [0, 1]`);
    const limit = values.limit !== undefined ? Number(values.limit) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UsageError(`\`--limit ${values.limit}\` must be a whole number`);
    if (values.outcome !== undefined && !['route', 'block'].includes(values.outcome)) throw new UsageError(`\`--outcome ${values.outcome}\` must be route or block`);
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    const query: AuditQuery = {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(values.outcome !== undefined ? { outcome: values.outcome } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(values.rule !== undefined ? { rule: values.rule } : {}),
      ...(values.category !== undefined ? { category: values.category } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      ...(values.unmet !== undefined ? { unmet: values.unmet } : {}),
      ...(values['policy-revision'] !== undefined ? { policyRevision: values['policy-revision'] } : {}),
      ...(values.subject !== undefined ? { subject: values.subject } : {}),
      ...(values.decision !== undefined ? { decisionId: values.decision } : {}),
      ...(values.stage !== undefined ? { stage: values.stage } : {}),
      ...(values['all-kinds'] ? { kinds: 'all' as const } : {}),
    };
    const formatter = createAuditRecordFormatter(format);
    await writeOut(ctx.stdout, formatter.header());
    let count = 0;
    if (limit !== 0) {
      for await (const rec of queryAuditLog(source, query)) {
        await writeOut(ctx.stdout, formatter.row(rec));
        if (++count === limit) break;
      }
    }
    if (format === 'table') await writeOut(ctx.stderr, `${plural(count, 'record')}\n`);
    return 0;
  },
};

function parseOrUsage(argv: string[]) {
  return parseCommandArgs(argv, {
    ...AUDIT_SOURCE_OPTIONS,
    outcome: { type: 'string' },
    target: { type: 'string' },
    rule: { type: 'string' },
    category: { type: 'string' },
    'min-score': { type: 'string' },
    unmet: { type: 'string' },
    'policy-revision': { type: 'string' },
    subject: { type: 'string' },
    decision: { type: 'string' },
    stage: { type: 'string' },
    'all-kinds': { type: 'boolean' },
    limit: { type: 'string' },
    format: { type: 'string' },
  } as const);
}
