import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { auditSourceOf, writeOut } from '../../audit/audit-cli-options.js';
import { explainDecision, type DecisionExplanation } from '../../audit/explain-decision.js';
import { describeCondition, describeFacts, describeRequirements } from '../format/facts-format.js';
import { checkAuditSource } from '../../audit/check-audit-source.js';

const USAGE = `usage: saferoute audit show DECISION_ID (PATH | --pg URL [--schema NAME]) [--json]

Prints one recorded decision: its outcome and target, the facts it was decided on (request
attributes, blocklist hits, age and consent summary, jurisdiction, scores), and the exact rules
and requirements that determined it — read from the policy archived beside the log under the
SHA-256 the record names, not from today's policy file. For a record with facts, each rule's
conditions are shown with the values they saw, and the verdict is decided again to confirm it.

  --json       one JSON object: record, archive, determining and matched rules, requirements, trace

Exit status: 0 when the decision was found and its policy archived, 1 when the decision is not
in the log or its policy is not in the archive (or does not hash to its name).`;

export const auditShowCommand: Command = {
  name: 'audit show',
  summary: 'explain one recorded decision with the archived policy that made it',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, { pg: { type: 'string' }, schema: { type: 'string' }, json: { type: 'boolean' } } as const);
    const [decisionId, ...rest] = positionals;
    if (decisionId === undefined) throw new UsageError('give the decision id to show (from `saferoute audit query` or a response\'s `saferoute.inputDecisionId`)');
    const source = auditSourceOf(rest, values, ctx.cwd);
    await checkAuditSource(source, ctx.env);
    const explained = await explainDecision(source, decisionId);
    if (!explained) {
      ctx.stderr.write(`no decision \`${decisionId}\` in ${'dir' in source ? `\`${source.dir}\`` : 'the PostgreSQL log'}; find ids with \`saferoute audit query\`\n`);
      return EXIT.invalid;
    }
    if (values.json) {
      await writeOut(ctx.stdout, JSON.stringify(jsonOf(explained)) + '\n');
    } else {
      await writeOut(ctx.stdout, formatExplanation(explained));
    }
    return explained.archive.found ? EXIT.ok : EXIT.invalid;
  },
};

function jsonOf(e: DecisionExplanation): object {
  return {
    record: e.record,
    archive: e.archive,
    determining: e.determining,
    matched: e.matched,
    ...(e.requirements ? { requirements: e.requirements } : {}),
    ...(e.trace ? { trace: e.trace } : {}),
    ...(e.consistent !== undefined ? { consistent: e.consistent } : {}),
  };
}

export function formatExplanation(e: DecisionExplanation): string {
  const r = e.record;
  const out: string[] = [];
  const verdict = r.outcome === 'route' ? `route → ${r.target ?? '?'}` : `block${r.reason !== undefined ? ` (${r.reason})` : ''}`;
  const effective = r.effective.outcome === 'route' ? `route → ${r.effective.target ?? '?'}` : 'block';
  out.push(`decision  ${r.decisionId}${r.shadow ? ` (shadow of ${r.shadowOf ?? '?'}, never enforced)` : ''}`);
  out.push(`stage     ${r.stage}, decided ${r.decidedAt}, writer ${r.writer} #${r.seq}`);
  const differs = r.effective.outcome !== r.outcome || (r.effective.target ?? null) !== (r.outcome === 'route' ? (r.target ?? null) : (r.effective.target ?? null));
  out.push(`outcome   ${verdict}${r.mode === 'monitor' || differs ? `; enforced: ${effective} (${r.mode})` : ''}`);
  out.push(`policy    ${r.policy.id}@${r.policy.revision} sha256 ${r.policy.sha256}`);
  if (r.policy.signedBy) out.push(`signed by ${r.policy.signedBy.signer} (key ${r.policy.signedBy.keyId}) at ${r.policy.signedBy.signedAt}`);
  if (!e.archive.found) {
    out.push(
      e.archive.reason === 'missing'
        ? `          not in the archive (${e.archive.where}): the rules below are only the ids the record names`
        : `          the archived copy (${e.archive.where}) ${e.archive.reason === 'digest_mismatch' ? 'does not hash to this sha256: it was altered' : 'cannot be read'}`,
    );
  }
  out.push('');
  out.push('determining rules:');
  if (r.determiningRules.length === 0) out.push('  none (the default route)');
  for (const id of r.determiningRules) {
    const rule = e.determining.find((x) => x.id === id);
    out.push(`  ${id}${rule ? `: ${rule.description}` : ''}`);
    if (rule) {
      out.push(`    when   ${describeCondition(rule.when)}`);
      out.push(`    effect ${JSON.stringify(rule.effect)}`);
      const trace = e.trace?.find((t) => t.rule === id);
      for (const c of trace?.conditions ?? []) out.push(`    saw    ${c.condition}: ${c.observed} → ${c.result ? 'true' : 'false'}`);
    }
  }
  const others = r.matchedRules.filter((id) => !r.determiningRules.includes(id));
  if (others.length > 0) out.push(`matched, not determining: ${others.join(', ')}`);
  if (e.requirements) {
    out.push('');
    out.push(`requirements of \`${e.requirements.target}\` (jurisdiction row ${e.requirements.jurisdictionRow}): ${describeRequirements(e.requirements.effective)}`);
  }
  if (r.unmet.length > 0) out.push(`unmet: ${r.unmet.map((u) => `${u.code}${u.scope !== undefined ? ` (${u.scope})` : ''}`).join(', ')}`);
  if (r.warnings.length > 0) out.push(`warnings: ${r.warnings.join(', ')}`);
  out.push('');
  if (r.facts) {
    out.push('facts:');
    for (const line of describeFacts(r.facts)) out.push(`  ${line}`);
    if (e.consistent === false) out.push('note: deciding again from these facts under the archived policy gives another verdict; the record may have been made with a classifier failure the facts do not show');
  } else {
    out.push(`facts: none (recorded before decision facts existed); scores: ${JSON.stringify(r.scores)}`);
  }
  return out.join('\n') + '\n';
}
