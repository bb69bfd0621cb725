import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command, CommandContext } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { InputError, UsageError } from '../../errors.js';
import { loadRuntimeForCli, readSubjectFile } from '../load-runtime.js';
import { parseSubjectInput } from '../../decision/subject-input.js';
import type { Decision } from '../../decision/decision.js';
import type { DecisionInput } from '../../decision/decision-input.js';
import type { SubjectContext } from '../../subjects/subject-context.js';
import { formatDecisionRows, formatTrace, DECISION_TABLE_HEADERS } from '../format/decision-format.js';
import { renderTable } from '../format/table.js';
import { createStyle } from '../format/style.js';
import { openCliAuditRecorder } from '../audit-recorder.js';
import { MAX_REQUEST_ID_LENGTH } from '../../audit/create-audit-event.js';
import { CATEGORIES, isCategory } from '../../taxonomy/categories.js';
import { didYouMean, didYouMeanSuffix, listOf } from '../../policy/did-you-mean.js';
import { plural } from '../../util/plural.js';
import { writeLast, writeOut } from '../write-out.js';

const usage = `usage: saferoute check [--policy FILE] [TEXT... | --file FILE.jsonl] [options]

Decides on each input without calling any model and prints the decisions.

  --policy FILE     the policy (default: the shipped policies/default.json)
  TEXT              a prompt to check (several words are joined with spaces)
  --file FILE       JSON Lines, one input per line: {"text": "..."} or {"scores": {...}},
                    optional "id" (kept in the audit record as "requestId"),
                    "stage" ("input"|"output"), "subject" (object),
                    "request" ({"tenant", "app", "model", "metadata"}); "-" reads stdin
  --subject FILE    the subject (age evidence, consents, jurisdiction) as JSON, for all inputs
                    without their own
  --stage STAGE     input (default) or output
  --now TIME        decide as of this ISO 8601 time (default: now)
  --json            one JSON object per input (outcome, target, determiningRules, unmet,
                    warnings, scores, ...)
  --explain         explain every rule: matched or not, on which condition, with which score
  --audit DIR       record every decision in the audit log under DIR (file sink; its
                    checkpoints go to the witness SAFEROUTE_AUDIT_WITNESS names, if any)

Exit status: 0 when every input was decided, 1 when an input line was malformed,
78 when the policy or the subject file is invalid.`;

export const checkCommand: Command = {
  name: 'check',
  summary: 'decide on prompts (or scores) with a policy, without calling a model',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      file: { type: 'string' },
      subject: { type: 'string' },
      stage: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
      audit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 0 && values.file) throw new UsageError('give either TEXT or `--file`, not both');
    if (positionals.length === 0 && !values.file) throw new UsageError('nothing to check: give TEXT or `--file FILE.jsonl`');
    const stage = values.stage ?? 'input';
    if (stage !== 'input' && stage !== 'output') throw new UsageError(`\`--stage\` must be \`input\` or \`output\`, not \`${stage}\``);
    if (values.now != null && !Number.isFinite(new Date(values.now).getTime())) {
      throw new UsageError(`\`--now\` takes an ISO 8601 time such as 2026-11-28T12:00:00Z, not \`${values.now}\``);
    }

    const runtime = await loadRuntimeForCli(values.policy, ctx);
    const subject = values.subject ? await readSubjectFile(resolve(ctx.cwd, values.subject)) : undefined;
    const audit = values.audit ? await openCliAuditRecorder(resolve(ctx.cwd, values.audit), ctx) : undefined;
    const style = createStyle(ctx.stdout, ctx.env);
    const rows: string[][] = [];
    let malformed = 0;
    let count = 0;

    const handle = async (label: string, input: DecisionInput, text: string | undefined, requestId?: string): Promise<void> => {
      const decision = await runtime.decide(input, { trace: Boolean(values.explain) });
      count++;
      if (audit) await audit.record(decision, { text, subjectId: input.subject?.id, requestId, policy: runtime.policy });
      // Awaited writes: a large --file piped into a slow reader waits instead of buffering it all.
      if (values.json) await writeOut(ctx.stdout, JSON.stringify(jsonView(label, decision, Boolean(values.explain))) + '\n');
      else {
        rows.push(...formatDecisionRows(label, decision, style));
        if (values.explain) await writeOut(ctx.stdout, formatTrace(label, decision, style));
      }
    };

    try {
      if (positionals.length > 0) {
        const text = positionals.join(' ');
        await handle(text, { text, stage, ...(subject ? { subject } : {}), ...(values.now ? { now: values.now } : {}) }, text);
      } else {
        const file = values.file as string;
        for await (const item of readInputLines(file, ctx)) {
          if ('error' in item) {
            malformed++;
            ctx.stderr.write(`${item.where}: ${item.error}\n`);
            continue;
          }
          const input: DecisionInput = { stage, ...item.input };
          if (!input.subject && subject) input.subject = subject;
          if (values.now && input.now == null) input.now = values.now;
          try {
            await handle(item.label, input, input.text, item.id);
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            malformed++;
            ctx.stderr.write(`${item.where}: ${error.message}\n`);
          }
        }
      }
    } finally {
      await audit?.close();
    }

    if (!values.json) {
      if (rows.length > 0) await writeOut(ctx.stdout, renderTable(DECISION_TABLE_HEADERS, rows, { maxWidth: 48 }));
      const policyName = `${runtime.policy.id}@${runtime.policy.revision} (sha256 ${runtime.policy.sha256.slice(0, 12)})`;
      const summary =
        malformed > 0
          ? `${count} decided, ${plural(malformed, 'line')} skipped (see above); policy ${policyName}`
          : `${count} decided with policy ${policyName}`;
      await writeLast(ctx.stdout, style.dim(summary) + '\n');
    }
    if (audit) ctx.stderr.write(`recorded ${plural(audit.count, 'decision')} in ${values.audit}\n`);
    return malformed > 0 ? EXIT.invalid : EXIT.ok;
  },
};

function jsonView(label: string, d: Decision, explain: boolean): Record<string, unknown> {
  const { trace, ...rest } = d;
  return { input: label, ...rest, ...(explain && trace ? { trace } : {}) };
}

type InputLine = { label: string; where: string; input: DecisionInput; id?: string } | { where: string; error: string };

async function* readInputLines(file: string, ctx: CommandContext): AsyncGenerator<InputLine> {
  const path = file === '-' ? '<stdin>' : resolve(ctx.cwd, file);
  const stream = file === '-' ? ctx.stdin : createReadStream(path, { encoding: 'utf8' });
  if (!stream) throw new UsageError('`--file -` needs standard input');
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of lines) {
      n++;
      const line = raw.trim();
      if (line === '') continue;
      const where = `${file}:${n}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        yield { where, error: `not JSON: ${(error as Error).message}` };
        continue;
      }
      const parsed = parseInputObject(value);
      if ('error' in parsed) yield { where, error: parsed.error };
      else {
        const label = parsed.label ?? (parsed.input.text !== undefined ? parsed.input.text : where);
        yield { label, where, input: parsed.input, ...(parsed.label !== undefined ? { id: parsed.label } : {}) };
      }
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new InputError(`cannot read \`${file}\`: no such file (relative paths start at the working directory)`);
    throw error;
  }
}

/**
 * "; did you mean `sexual`?" for `sexx` too: beyond the shared edit-distance rule, the shortest
 * category sharing a prefix of at least three characters and half the name.
 */
function categorySuggestion(name: string): string {
  const near = didYouMeanSuffix(name, CATEGORIES);
  if (near !== '') return near;
  const lower = name.toLowerCase();
  const common = (c: string): number => {
    let i = 0;
    while (i < c.length && i < lower.length && c[i] === lower[i]) i++;
    return i;
  };
  const best = [...CATEGORIES].sort((a, b) => common(b) - common(a) || a.length - b.length)[0];
  return best != null && common(best) >= Math.max(3, Math.ceil(lower.length / 2)) ? `; did you mean \`${best}\`?` : '';
}

const INPUT_FIELDS: readonly string[] = ['id', 'text', 'scores', 'stage', 'subject', 'request', 'now', 'servedTarget', 'labels', 'source', 'meta'];

/** One `--file` line as a decision input (also a corpus row of `saferoute replay`). */
export function parseInputObject(value: unknown): { label?: string; input: DecisionInput } | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'expected a JSON object' };
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !INPUT_FIELDS.includes(k));
  if (unknown.length > 0) {
    const names = unknown.map((k) => {
      const near = didYouMean(k, INPUT_FIELDS);
      return near != null ? `\`${k}\` (did you mean \`${near}\`?)` : `\`${k}\``;
    });
    const expected = o.text === undefined && o.scores === undefined ? '; expected `text` or `scores`' : `; known fields: ${listOf(INPUT_FIELDS)}`;
    return { error: `unknown field${unknown.length > 1 ? 's' : ''} ${names.join(', ')}${expected}` };
  }
  if (o.text === undefined && o.scores === undefined) return { error: 'needs `text` or `scores`' };
  // The id is kept in the audit record, so it is bounded like one.
  if (o.id !== undefined && !(typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id)))) return { error: '`id` must be a string or a number' };
  if (typeof o.id === 'string' && o.id.length > MAX_REQUEST_ID_LENGTH) return { error: `\`id\` is longer than ${MAX_REQUEST_ID_LENGTH} characters` };
  if (o.text !== undefined && typeof o.text !== 'string') return { error: '`text` must be a string' };
  if (o.scores !== undefined && (typeof o.scores !== 'object' || o.scores === null || Array.isArray(o.scores))) return { error: '`scores` must be an object' };
  for (const k of Object.keys((o.scores ?? {}) as object)) {
    if (!isCategory(k)) return { error: `unknown category \`${k}\` in scores${categorySuggestion(k)}` };
  }
  if (o.stage !== undefined && o.stage !== 'input' && o.stage !== 'output') return { error: '`stage` must be `input` or `output`' };
  const input: DecisionInput = {};
  if (typeof o.text === 'string') input.text = o.text;
  if (o.scores) input.scores = o.scores as DecisionInput['scores'] & object;
  if (o.stage) input.stage = o.stage as 'input' | 'output';
  if (typeof o.now === 'string') input.now = o.now;
  if (typeof o.servedTarget === 'string') input.servedTarget = o.servedTarget;
  if (o.request !== undefined) {
    if (typeof o.request !== 'object' || o.request === null) return { error: '`request` must be an object' };
    input.request = o.request as NonNullable<DecisionInput['request']>;
  }
  if (o.subject !== undefined) {
    const s = parseSubjectInput(o.subject);
    if (!s.ok) return { error: `invalid subject: ${s.issues.join('; ')}` };
    input.subject = s.subject as SubjectContext;
  }
  return o.id !== undefined ? { label: String(o.id), input } : { input };
}

