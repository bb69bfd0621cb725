import { plural } from '../../util/plural.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { abs, AUDIT_SOURCE_OPTIONS, auditSourceOf, parseTimeOption, readTrustedKeys, writeLast } from '../../audit/audit-cli-options.js';
import { openCheckpointWitness } from '../../audit/open-checkpoint-witness.js';
import { writeAuditReport } from '../../audit/audit-report.js';
import { DEFAULT_MIN_SCORE } from '../../audit/query-audit-log.js';
import { checkAuditSource } from '../../audit/check-audit-source.js';

const USAGE = `usage: saferoute audit report [PATH | --pg URL [--schema NAME]] --out report.html [options]

Writes one self-contained HTML file for auditors (inline CSS and SVG charts, no script, no
external assets): the verification result, decisions over time, by outcome, target, rule and
category, unmet requirements, classifier failures, policy revisions and sample decision ids.
Records that fail verification are listed and left out of every chart. Shadow decisions (a
candidate policy's verdict recorded beside each live one, never enforced) are not traffic: they
are left out of every figure, and only counted. Streams the log once.

options:
  --out FILE             the HTML file to write (required)
  --key FILE             public key that signed the checkpoints; repeatable (as for audit verify)
  --key-id ID            the key id you were given; the --key file must match it
  --witness W            where the checkpoints were witnessed (as for audit verify)
  --unsigned, --live     as for audit verify
  --from TIME, --to TIME only this range (ISO 8601)
  --min-score N          score counted for "by category" (default ${DEFAULT_MIN_SCORE})
  --shadow               also show the shadow decisions, apart from the live ones: per
                         candidate policy, how many and how many it would have blocked
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
      'key-id': { type: 'string', multiple: true },
      witness: { type: 'string' },
      unsigned: { type: 'boolean' },
      live: { type: 'boolean' },
      'min-score': { type: 'string' },
      title: { type: 'string' },
      shadow: { type: 'boolean' },
    } as const);
    if (values.out === undefined) throw new UsageError('give the report file with `--out FILE`');
    const source = auditSourceOf(positionals, values, ctx.cwd);
    await checkAuditSource(source, ctx.env);
    const minScore = values['min-score'] !== undefined ? Number(values['min-score']) : undefined;
    if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) throw new UsageError(`\`--min-score ${values['min-score']}\` must be a number in [0, 1]`);
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    if (values.unsigned && values.key) throw new UsageError('`--unsigned` says the log carries no checkpoints, `--key` that it is signed: give one of them');
    const keys = values.unsigned ? [] : await readTrustedKeys(values.key, values['key-id'], source, ctx);
    const out = abs(values.out, ctx.cwd);
    const witnessSpec = values.witness ?? (values.unsigned ? undefined : ctx.env.SAFEROUTE_AUDIT_WITNESS || undefined);
    const witness = witnessSpec !== undefined ? openCheckpointWitness(witnessSpec, { cwd: ctx.cwd, env: ctx.env }) : undefined;
    let result: Awaited<ReturnType<typeof writeAuditReport>>;
    try {
      result = await writeAuditReport(source, {
        out,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(keys.length > 0 ? { publicKey: keys.map((k) => k.key) } : {}),
        ...(witness ? { witness } : {}),
        ...(values.unsigned ? { unsigned: true } : {}),
        ...(values.live ? { live: true } : {}),
        ...(minScore !== undefined ? { minScore } : {}),
        ...(values.title !== undefined ? { title: values.title } : {}),
        sourceArg: positionals[0] ?? (values.pg !== undefined ? '--pg URL' : ''),
        ...(values.shadow ? { shadow: true } : {}),
      });
    } finally {
      await witness?.close();
    }
    const { verify, aggregate } = result;
    const shadow = aggregate.shadow?.decisions ?? 0;
    const shadowNote = shadow === 0 ? '' : values.shadow ? ` (and ${plural(shadow, 'shadow decision')}, shown apart)` : ` (${plural(shadow, 'shadow decision')} not counted; --shadow shows them apart)`;
    await writeLast(
      ctx.stdout,
      `wrote ${out}: ${plural(aggregate.decisions, shadow === 0 ? 'decision' : 'live decision')}${shadowNote}; verification ${verify.ok ? 'valid' : 'found problems'} (${plural(verify.counts.errors, 'error')}, ${plural(verify.counts.warnings, 'warning')})${aggregate.excluded.records > 0 ? `; ${plural(aggregate.excluded.records, 'record')} that failed verification left out of the charts` : ''}\n`,
    );
    return verify.ok ? 0 : 1;
  },
};
