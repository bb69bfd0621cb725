import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { loadRuntimeForCli, readSubjectFile } from '../load-runtime.js';
import type { Decision } from '../../decision/decision.js';
import type { SubjectContext } from '../../subjects/subject-context.js';
import { renderTable } from '../format/table.js';
import { createStyle, type Style } from '../format/style.js';
import { openCliAuditRecorder } from '../audit-recorder.js';
import { verifyAuditForCli } from '../audit-recorder.js';
import { plural } from '../../util/plural.js';

const EXAMPLES = new URL('../../../examples/', import.meta.url);
/** The example subjects carry fixed dates, so the demo decides as of a fixed instant. */
const DEMO_NOW = '2026-11-28T12:00:00Z';

const usage = `usage: saferoute demo [--policy FILE] [--audit DIR] [--json]

Runs the bundled example prompts (benign, adult, minors, jailbreak, personal data, self-harm)
against the example subjects (verified adult, unverified, consent withdrawn, a region that
denies restricted content, a self-declared age) and prints the routing table. Every decision
is recorded in an audit log, which is then verified.

  --policy FILE   the policy (default: policies/default.json)
  --audit DIR     where to write the audit log (default: .saferoute-demo/audit)
  --json          print the decisions as JSON lines instead of the table`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'route the example prompts for the example subjects and print the table',
  usage,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      argv,
      { policy: { type: 'string' }, audit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      false,
    );
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    const style = createStyle(ctx.stdout, ctx.env);
    const runtime = await loadRuntimeForCli(values.policy, ctx);
    const prompts = await readPrompts();
    const subjects = await readSubjects();
    const auditDir = resolve(ctx.cwd, values.audit ?? '.saferoute-demo/audit');
    // The checkpoints are also witnessed outside the log directory, as they should be in production.
    const auditOptions = { defaultWitness: `${auditDir}.witness` };
    const audit = await openCliAuditRecorder(auditDir, ctx, auditOptions);

    const p = runtime.policy;
    if (!values.json) {
      ctx.stdout.write(style.bold(`saferoute demo — policy ${p.id}@${p.revision} (sha256 ${p.sha256.slice(0, 12)})\n`));
      ctx.stdout.write(
        `classifiers: ${runtime.classifiers('input').map((c) => `${c.id}@${c.version}`).join(', ')}; decisions as of ${DEMO_NOW}\n\n`,
      );
    }
    const rows: string[][] = [];
    const latencies: number[] = [];
    try {
      for (const prompt of prompts) {
        const row = [prompt.id];
        for (const s of subjects) {
          const decision = await runtime.decide({ text: prompt.text, subject: s.subject, now: DEMO_NOW });
          latencies.push(decision.latencyMs);
          await audit.record(decision, { text: prompt.text, subjectId: s.subject.id, policy: runtime.policy });
          if (values.json) ctx.stdout.write(JSON.stringify({ prompt: prompt.id, subject: s.name, ...decision }) + '\n');
          row.push(cell(decision, style));
        }
        rows.push(row);
      }
    } finally {
      await audit.close();
    }
    if (values.json) return EXIT.ok;

    ctx.stdout.write(renderTable(['prompt \\ subject', ...subjects.map((s) => s.name)], rows, { maxWidth: 60 }));
    ctx.stdout.write('\nsubjects:\n');
    for (const s of subjects) ctx.stdout.write(`  ${s.name.padEnd(18)} ${describeSubject(s.subject)}\n`);
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
    ctx.stdout.write(`\n${latencies.length} decisions, median ${median.toFixed(3)} ms each (classification included, no model called)\n`);
    ctx.stdout.write(`\naudit log: ${plural(audit.count, 'record')} in ${auditDir}${audit.witness ? `, checkpoints witnessed in ${audit.witness}` : ''}\n`);
    const verified = await verifyAuditForCli(auditDir, ctx, auditOptions);
    return verified ? EXIT.ok : EXIT.invalid;
  },
};

function cell(d: Decision, style: Style): string {
  if (d.outcome === 'route') {
    const warn = d.warnings.length ? ` [${d.warnings.join(', ')}]` : '';
    return style.green(`→ ${d.target ?? '?'}`) + warn;
  }
  const why = d.reason === 'unmet_requirements' ? [...new Set(d.unmet.map((u) => u.code))].join(', ') : (d.reason ?? 'blocked');
  return style.red('BLOCK') + ` ${why}`;
}

function describeSubject(s: SubjectContext): string {
  const age = s.age ? `${s.age.over}+ by ${s.age.method} (${s.age.level})` : 'no age verification';
  const consent = s.consents?.length ? s.consents.map((c) => `${c.scope} ${c.version} ${c.state}`).join(' → ') : 'no consent';
  return `${s.jurisdiction ?? '?'}; ${age}; ${consent}`;
}

async function readPrompts(): Promise<{ id: string; text: string }[]> {
  const text = await readFile(new URL('prompts.jsonl', EXAMPLES), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; text: string });
}

const SUBJECT_ORDER = ['verified-adult', 'unverified', 'consent-withdrawn', 'denied-region', 'self-declared'];

async function readSubjects(): Promise<{ name: string; subject: SubjectContext }[]> {
  const dir = fileURLToPath(new URL('subjects/', EXAMPLES));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const names = files.map((f) => f.replace(/\.json$/, '')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Promise.all(names.map(async (name) => ({ name, subject: await readSubjectFile(join(dir, `${name}.json`)) })));
}

function rank(name: string): number {
  const i = SUBJECT_ORDER.indexOf(name);
  return i < 0 ? SUBJECT_ORDER.length : i;
}
