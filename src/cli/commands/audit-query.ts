import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, writeOut } from '../../audit/audit-cli-options.js';
import { createAuditRecordFormatter, type AuditRecordFormat } from '../../audit/format-audit-records.js';
import { AUDIT_SHADOW_FILTERS, DEFAULT_MIN_SCORE, queryAuditLog, type AuditQuery, type AuditShadowFilter } from '../../audit/query-audit-log.js';
import { createAuditHmacKeys } from '../../audit/audit-hmac-keys.js';
import { AuditConfigError } from '../../audit/audit-error.js';
import type { AuditEvent } from '../../audit/audit-event.js';
import type { AuditLogSource } from '../../audit/verify-audit-log.js';
import { CATEGORIES } from '../../taxonomy/categories.js';
import { UNMET_CODES } from '../../decision/decision.js';
import { didYouMean, listOf } from '../../policy/did-you-mean.js';
import { checkAuditSource } from '../../audit/check-audit-source.js';

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
  --subject-id ID           the subject's own id: its pseudonym is computed with the audit HMAC
                            key (SAFEROUTE_AUDIT_HMAC_KEY, else the development key PATH.keys/hmac.key)
  --request-id ID           the caller's request id (a \`check --file\` line's "id")
  --decision ID
  --stage input|output
  --shadow include|exclude|only
                            shadow decisions (a candidate policy's verdict recorded beside a live
                            one, never enforced): default include, marked \`block (shadow)\` in the
                            table, with the live decision's id in the csv's shadow_of column
  --all-kinds               also writer-start, writer-stop and lost records
  --limit N                 stop after N records

A --rule or --target that no decision in the log (or the range) names is an error, with the
closest name the log has, rather than an empty answer.

output:
  --format table|jsonl|csv  default table; jsonl prints the stored records verbatim`;

export const auditQueryCommand: Command = {
  name: 'audit query',
  summary: 'find audit records by time, outcome, target, rule, category, unmet requirement, subject…',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseOrUsage(argv);
    const source = auditSourceOf(positionals, values, ctx.cwd);
    await checkAuditSource(source, ctx.env);
    const format = (values.format ?? 'table') as AuditRecordFormat;
    if (!['table', 'jsonl', 'csv'].includes(format)) throw new UsageError(`\`--format ${format}\` must be table, jsonl or csv`);
    const minScore = values['min-score'] !== undefined ? Number(values['min-score']) : undefined;
    if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) throw new UsageError(`\`--min-score ${values['min-score']}\` must be a number in [0, 1]`);
    const limit = values.limit !== undefined ? Number(values.limit) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UsageError(`\`--limit ${values.limit}\` must be a whole number`);
    if (values.outcome !== undefined && !['route', 'block'].includes(values.outcome)) throw new UsageError(`\`--outcome ${values.outcome}\` must be route or block`);
    if (values.stage !== undefined && !['input', 'output'].includes(values.stage)) throw new UsageError(`\`--stage ${values.stage}\` must be input or output`);
    const shadow = values.shadow as AuditShadowFilter | undefined;
    if (shadow !== undefined && !AUDIT_SHADOW_FILTERS.includes(shadow)) throw new UsageError(`\`--shadow ${values.shadow}\` must be include, exclude or only`);
    checkKnown('--category', values.category, CATEGORIES, 'categories');
    checkKnown('--unmet', values.unmet, UNMET_CODES, 'unmet codes');
    if (values.subject !== undefined && values['subject-id'] !== undefined) throw new UsageError('give `--subject PSEUDONYM` or `--subject-id ID`, not both');
    const subject = values['subject-id'] !== undefined ? await pseudonymOf(values['subject-id'], source, ctx) : values.subject;
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
      ...(subject !== undefined ? { subject } : {}),
      ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
      ...(values.decision !== undefined ? { decisionId: values.decision } : {}),
      ...(values.stage !== undefined ? { stage: values.stage } : {}),
      ...(shadow !== undefined ? { shadow } : {}),
      ...(values['all-kinds'] ? { kinds: 'all' as const } : {}),
    };
    const names = values.decision === undefined ? createNameSeen() : undefined;
    const formatter = createAuditRecordFormatter(format);
    // The header waits for the first row: a misspelt name is reported alone, not under a header.
    let headerWritten = false;
    let count = 0;
    let shadows = 0;
    if (limit !== 0) {
      for await (const rec of queryAuditLog(source, query, names?.observe)) {
        if (!headerWritten) {
          await writeOut(ctx.stdout, formatter.header());
          headerWritten = true;
        }
        await writeOut(ctx.stdout, formatter.row(rec));
        if (rec.event.kind === 'decision' && rec.event.shadow === true) shadows++;
        if (++count === limit) break;
      }
    }
    if (count === 0 && names) {
      const range = from !== undefined || to !== undefined ? ` between ${values.from ?? 'the start'} and ${values.to ?? 'the end'}` : '';
      names.check('--rule', values.rule, names.rules, 'rule', range);
      names.check('--target', values.target, names.targets, 'target', range);
    }
    if (!headerWritten) await writeOut(ctx.stdout, formatter.header());
    if (format === 'table') await writeOut(ctx.stderr, `${plural(count, 'record')}${shadows > 0 ? ` (${shadows} of them shadow decisions, never enforced)` : ''}\n`);
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
    'subject-id': { type: 'string' },
    'request-id': { type: 'string' },
    decision: { type: 'string' },
    stage: { type: 'string' },
    shadow: { type: 'string' },
    'all-kinds': { type: 'boolean' },
    limit: { type: 'string' },
    format: { type: 'string' },
  } as const);
}

function checkKnown(option: string, value: string | undefined, known: readonly string[], what: string): void {
  if (value === undefined || known.includes(value)) return;
  const near = didYouMean(value, known);
  throw new UsageError(`\`${option} ${value}\` is not one of the ${what}${near !== undefined ? `; did you mean \`${near}\`?` : `: ${listOf(known)}`}`);
}

const MAX_NAMES = 10_000;

/** The rules and targets the decisions read so far name, to tell a misspelt name from one that never fired. */
function createNameSeen() {
  const rules = new Set<string>();
  const targets = new Set<string>();
  return {
    rules,
    targets,
    observe(event: AuditEvent) {
      if (event.kind !== 'decision') return;
      if (rules.size < MAX_NAMES) {
        for (const r of event.determiningRules ?? []) rules.add(r);
        for (const r of event.matchedRules ?? []) rules.add(r);
      }
      if (targets.size < MAX_NAMES) {
        if (event.target !== undefined) targets.add(event.target);
        if (event.effective?.target !== undefined) targets.add(event.effective.target);
        for (const u of event.unmet ?? []) targets.add(u.target);
      }
    },
    check(option: string, value: string | undefined, seen: Set<string>, what: string, range: string): void {
      if (value === undefined || seen.has(value) || seen.size >= MAX_NAMES) return;
      const near = didYouMean(value, seen);
      const known = [...seen].sort();
      const hint =
        near !== undefined
          ? `; did you mean \`${near}\`?`
          : known.length > 0
            ? `; the log names ${known.length > 12 ? `${known.length} ${what}s, e.g. ${listOf(known.slice(0, 12))}` : listOf(known)}`
            : '; the log holds no decision';
      throw new UsageError(`\`${option} ${value}\`: no decision in the log${range} names the ${what} \`${value}\`${hint}`);
    },
  };
}

/** The pseudonym the writer stored for `subjectId`, with the same HMAC key. */
async function pseudonymOf(subjectId: string, source: AuditLogSource, ctx: CommandContext): Promise<string> {
  let secret = ctx.env.SAFEROUTE_AUDIT_HMAC_KEY;
  if (!secret && 'dir' in source) {
    // The development key `check --audit` and the demo create beside the log.
    secret = (await readFile(join(dirname(source.dir), `${basename(source.dir)}.keys`, 'hmac.key'), 'utf8').catch(() => undefined))?.trim();
  }
  if (!secret) {
    throw new AuditConfigError('`--subject-id` needs the audit HMAC key the writer used: set SAFEROUTE_AUDIT_HMAC_KEY (or query by pseudonym with `--subject`)');
  }
  return createAuditHmacKeys({ secret }).pseudonymize(subjectId);
}
