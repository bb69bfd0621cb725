import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { abs, AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, readKeyFiles, writeLast } from '../../audit/audit-cli-options.js';
import { writeAuditReport } from '../../audit/audit-report.js';
import { DEFAULT_MIN_SCORE } from '../../audit/query-audit-log.js';

const USAGE = `usage: saferoute audit report [PATH | --pg URL [--schema NAME]] --out report.html [options]

Writes one self-contained HTML file for auditors (inline CSS and SVG charts, no script, no
external assets): the verification result, decisions over time, by outcome, target, rule and
category, unmet requirements, classifier failures and policy revisions. Streams the log once.

options:
  --out FILE             the HTML file to write (required)
  --key FILE             public key that signed the checkpoints; repeatable
  --from TIME, --to TIME only this range (ISO 8601)
  --min-score N          score counted for "by category" (default ${DEFAULT_MIN_SCORE})
  --title TEXT

exit status: 0 written and the log verified, 1 written but verification found problems, 64 usage error, 78 configuration problem`;

export const auditReportCommand: Command = {
  name: 'audit report',
  summary: 'write a self-contained HTML audit report with charts and the verification result',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      ...AUDIT_SOURCE_OPTIONS,
      out: { type: 'string' },
      key: { type: 'string', multiple: true },
      'min-score': { type: 'string' },
      title: { type: 'string' },
    } as const);
    if (values.out === undefined) throw new UsageError('give the report file with `--out FILE`');
    const source = auditSourceOf(positionals, values, ctx.cwd);
    const minScore = values['min-score'] !== undefined ? Number(values['min-score']) : undefined;
    if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) throw new UsageError(`\`--min-score ${values['min-score']}\` must be a number in [0, 1]`);
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    const keys = await readKeyFiles(values.key, ctx.cwd);
    const out = abs(values.out, ctx.cwd);
    const { verify, aggregate } = await writeAuditReport(source, {
      out,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(keys.length > 0 ? { publicKey: keys } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      ...(values.title !== undefined ? { title: values.title } : {}),
    });
    await writeLast(
      ctx.stdout,
      `wrote ${out}: ${plural(aggregate.decisions, 'decision')}; verification ${verify.ok ? 'valid' : 'found problems'} (${plural(verify.counts.errors, 'error')}, ${plural(verify.counts.warnings, 'warning')})\n`,
    );
    return verify.ok ? 0 : 1;
  },
};
