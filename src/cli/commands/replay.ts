import { stat } from 'node:fs/promises';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { abs, parseTimeOption, writeOut } from '../../audit/audit-cli-options.js';
import type { AuditLogSource } from '../../audit/verify-audit-log.js';
import { loadRuntimeForCli } from '../load-runtime.js';
import { replayAuditLog } from '../../replay/replay-audit-log.js';
import { replayCorpus } from '../../replay/replay-corpus.js';
import { replayShadow } from '../../replay/replay-shadow.js';
import { formatReplayReport } from '../../replay/format-replay-report.js';
import type { ReplaySummary } from '../../replay/replay-summary.js';
import { parseInputObject } from './check.js';
import { checkAuditSource } from '../../audit/check-audit-source.js';

const USAGE = `usage: saferoute replay --policy NEW.json (AUDIT_DIR | --pg URL [--schema NAME] | CORPUS.jsonl) [options]
       saferoute replay --shadow (AUDIT_DIR | --pg URL [--schema NAME]) [options]

Decides the recorded decisions again under a candidate policy and prints what would change: the
transition table (recorded outcome/target → new outcome/target, with counts), the rules that
decided each change before and after, and a sample of decision ids per change. Nothing is
enforced and nothing is written.

Each record is re-decided from its facts (request attributes, blocklist hits, age and consent
summary, jurisdiction, scores) without its text; where the log keeps the text (\`audit.text:
full\`) and the candidate classifies differently, the text is classified again. A record that
cannot be re-evaluated without guessing — written before facts existed, or the candidate reads
a fact that was never recorded — is counted with the reason, never guessed.

A corpus is JSON Lines: recorded decisions (\`saferoute audit query --format jsonl\`), or inputs
as \`saferoute check --file\` reads them, decided under --old and under --policy (classified afresh).

  --policy FILE      the candidate policy
  --shadow           report the shadow decisions the guard recorded (option \`shadow\`): live
                     against candidate, on real traffic, without classifying anything again
  --old FILE         for a corpus of inputs: the policy to compare with
  --from TIME, --to TIME   ISO 8601 times (a date alone is its start, UTC)
  --tenant NAME      only decisions for this tenant
  --sample N         decision ids shown per transition (default 5)
  --reclassify       classify kept text again even where the classifiers did not change
  --workers N        worker threads for a log directory (default: the cores, at most 4)
  --progress         show progress on standard error even when it is not a terminal
  --json             the summary as one JSON object

Exit status: 0 when no decision changes, 1 when some do, 64 on a usage error, 78 when a policy
is invalid or the log cannot be read.`;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'decide recorded decisions again under a candidate policy and show what changes',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      shadow: { type: 'boolean' },
      old: { type: 'string' },
      pg: { type: 'string' },
      schema: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      tenant: { type: 'string' },
      sample: { type: 'string' },
      reclassify: { type: 'boolean' },
      workers: { type: 'string' },
      progress: { type: 'boolean' },
      json: { type: 'boolean' },
    } as const);
    if (values.shadow && values.policy !== undefined) throw new UsageError('`--shadow` reports the candidates the guard recorded: give it without `--policy`');
    if (!values.shadow && values.policy === undefined) throw new UsageError('give the candidate policy with `--policy NEW.json` (or `--shadow` for recorded shadow decisions)');
    if (positionals.length > 1) throw new UsageError(`expected one log directory or corpus file, got ${positionals.length}: ${positionals.map((p) => `\`${p}\``).join(' ')}`);
    const target = positionals[0];
    if (target !== undefined && values.pg !== undefined) throw new UsageError('give either a log directory (or corpus) or `--pg URL`, not both');
    if (target === undefined && values.pg === undefined) throw new UsageError('give the audit log directory, a corpus file, or `--pg URL`');
    const sample = positiveInt('sample', values.sample, 5);
    const workers = values.workers !== undefined ? positiveInt('workers', values.workers, 1) : undefined;
    const from = parseTimeOption('from', values.from);
    const to = parseTimeOption('to', values.to);
    const path = target !== undefined ? abs(target, ctx.cwd) : undefined;
    const isCorpus = path !== undefined && (await stat(path).then((s) => s.isFile(), () => false));
    if (path !== undefined && !isCorpus && !(await stat(path).then((s) => s.isDirectory(), () => false))) {
      throw new UsageError(`\`${target}\` is neither an audit log directory nor a corpus file`);
    }
    if (values.old !== undefined && !isCorpus) throw new UsageError('`--old` is for a corpus of inputs; a log knows the policy of each decision');
    const source: AuditLogSource = values.pg !== undefined ? { pg: { connectionString: values.pg, ...(values.schema !== undefined ? { schema: values.schema } : {}) } } : { dir: path as string };
    await checkAuditSource(source, ctx.env);
    const progress = progressOn(ctx, values.progress === true);
    let summary: ReplaySummary;
    if (values.shadow) {
      if (isCorpus) throw new UsageError('`--shadow` reads an audit log, not a corpus');
      const shadow = await replayShadow(source, { from, to, tenant: values.tenant, sample, onProgress: progress.update });
      progress.finish();
      if (values.json) await writeOut(ctx.stdout, JSON.stringify({ shadow: true, candidates: shadow }) + '\n');
      else {
        if (shadow.length === 0) await writeOut(ctx.stdout, 'no shadow decisions in the log (give the guard a `shadow` policy to record some)\n');
        for (const c of shadow) {
          await writeOut(ctx.stdout, formatReplayReport(c.summary, { source: describe(source), policy: `candidate ${c.policy}`, fromName: 'live', toName: 'candidate' }) + '\n');
        }
      }
      return shadow.some((c) => c.summary.changed > 0) ? EXIT.invalid : EXIT.ok;
    }
    const runtime = await loadRuntimeForCli(values.policy, ctx);
    const p = runtime.policy;
    const policyName = `${p.id}@${p.revision} (sha256 ${p.sha256.slice(0, 12)})`;
    if (isCorpus) {
      const old = values.old !== undefined ? await loadRuntimeForCli(values.old, ctx) : undefined;
      summary = await replayCorpus(path as string, {
        runtime,
        ...(old ? { old } : {}),
        sample,
        ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
        reclassify: true,
        parseInput: parseInputObject,
        onProgress: (rows) => progress.update(rows, undefined),
      });
    } else {
      summary = await replayAuditLog(source, {
        policy: p,
        runtime,
        sample,
        from,
        to,
        tenant: values.tenant,
        reclassify: values.reclassify === true,
        ...(workers !== undefined ? { workers } : {}),
        onProgress: progress.update,
      });
    }
    progress.finish();
    if (values.json) await writeOut(ctx.stdout, JSON.stringify({ policy: { id: p.id, revision: p.revision, sha256: p.sha256 }, ...summary }) + '\n');
    else await writeOut(ctx.stdout, formatReplayReport(summary, { source: isCorpus ? `\`${target}\`` : describe(source), policy: policyName }));
    return summary.changed > 0 ? EXIT.invalid : EXIT.ok;
  },
};

function describe(source: AuditLogSource): string {
  return 'dir' in source ? `\`${source.dir}\`` : `PostgreSQL${source.pg.schema !== undefined ? ` (schema ${source.pg.schema})` : ''}`;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`\`--${name} ${value}\` must be a whole number of at least 1`);
  return n;
}

/** On a terminal, one line redrawn in place; with --progress elsewhere, a line every few seconds; otherwise nothing. */
function progressOn(ctx: CommandContext, forced: boolean): { update: (done: number, total: number | undefined) => void; finish: () => void } {
  const started = Date.now();
  const tty = ctx.stderr.isTTY === true;
  if (!tty && !forced) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 2000)) return;
      last = now;
      const what = total !== undefined && total > 0 ? `${((done / total) * 100).toFixed(0).padStart(3)}% of ${(total / 1048576).toFixed(1)} MB` : `${done} records`;
      ctx.stderr.write(`${tty ? '\r' : ''}replay: ${what} after ${((now - started) / 1000).toFixed(1)} s${tty ? ' ' : '\n'}`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) ctx.stderr.write('\r\u001b[2K');
    },
  };
}
