import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { loadRuntimeForCli, readSubjectFile } from '../load-runtime.js';
import { createStyle, type Style } from '../format/style.js';
import { createGuard } from '../../guard/create-guard.js';
import type { GuardContext } from '../../guard/guard-context.js';
import type { PublicDecision, SaferouteInfo } from '../../guard/saferoute-info.js';

const usage = `usage: saferoute chat [--policy FILE] [--subject FILE] [--stream] [--tenant T] [options] TEXT...

Sends TEXT through the guard: classifies it, decides, calls the model of the target the policy
routes it to (or refuses without calling any), checks the answer and prints it. The answer goes
to standard output, the decisions to standard error; a refusal is printed on a line of its own
that starts with \`[refused]\`.

  --policy FILE     the policy (default: the shipped policies/default.json); its targets are
                    called for real, with the keys named by their \`apiKeyEnv\`
  --subject FILE    the subject (age evidence, consents, jurisdiction) as JSON
  --stream          print the answer as it is released (held back and checked as it streams)
  --tenant T        the tenant, for rules on \`request: "tenant"\`
  --app A           the app, for rules on \`request: "app"\`
  --model NAME      the model the client asks for (a request attribute; the target's model is called)
  --system TEXT     a system prompt
  --timeout MS      how long the model may take to answer (default 60000)
  --json            print the completion (or, with --stream, each chunk) as JSON, decisions included

Exit status: 0 when answered, 1 when the request or the answer was refused (or the input is
invalid), 78 when the policy, the subject file or a target's key variable is wrong, or when the
target's model server cannot be reached or fails (connection refused, timeout, HTTP error, invalid
answer): the message names the server called, so check the target's \`baseURL\` (or, for openai
targets without one, OPENAI_BASE_URL) and that the server is running.`;

/** Starts the line that carries a refusal, so it is never read as part of the answer. */
const REFUSED_MARKER = '[refused]';

export const chatCommand: Command = {
  name: 'chat',
  summary: 'send a prompt through the guard to the model the policy routes it to',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      subject: { type: 'string' },
      stream: { type: 'boolean' },
      tenant: { type: 'string' },
      app: { type: 'string' },
      model: { type: 'string' },
      system: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length === 0) throw new UsageError('nothing to send: give the prompt as TEXT');
    const timeoutMs = values.timeout != null ? Number(values.timeout) : undefined;
    if (timeoutMs != null && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      throw new UsageError(`\`--timeout\` must be a positive number of milliseconds, not \`${values.timeout}\``);
    }

    const runtime = await loadRuntimeForCli(values.policy, ctx);
    const subject = values.subject ? await readSubjectFile(resolve(ctx.cwd, values.subject)) : undefined;
    const guard = await createGuard({
      policy: runtime,
      env: ctx.env,
      ...(timeoutMs != null ? { providerOptions: { timeoutMs, idleTimeoutMs: timeoutMs } } : {}),
    });
    const context: GuardContext = {
      ...(subject ? { subject } : {}),
      ...(values.tenant ? { tenant: values.tenant } : {}),
      ...(values.app ? { app: values.app } : {}),
    };
    const messages = [
      ...(values.system ? [{ role: 'system', content: values.system }] : []),
      { role: 'user', content: positionals.join(' ') },
    ];
    const request = { messages, ...(values.model ? { model: values.model } : {}) };
    const style = createStyle(ctx.stderr, ctx.env);

    let info: SaferouteInfo | undefined;
    if (values.stream) {
      const stream = await guard.chat({ ...request, stream: true }, context);
      let wrote = false;
      let atLineStart = true;
      for await (const chunk of stream) {
        if (values.json) {
          ctx.stdout.write(JSON.stringify(chunk) + '\n');
        } else {
          const delta = chunk.choices[0]?.delta;
          if (chunk.saferoute?.blocked) {
            // The refusal never runs on from the text released before the block.
            const message = delta?.refusal ?? delta?.content ?? chunk.saferoute.blocked.message;
            ctx.stdout.write(`${atLineStart ? '' : '\n'}${REFUSED_MARKER} ${message}\n`);
            wrote = false;
            atLineStart = true;
          } else {
            const text = (delta?.content ?? '') + (delta?.refusal ?? '');
            if (text !== '') {
              ctx.stdout.write(text);
              wrote = true;
              atLineStart = text.endsWith('\n');
            }
          }
        }
        if (chunk.saferoute) info = chunk.saferoute;
      }
      if (wrote && !atLineStart) ctx.stdout.write('\n');
      info ??= stream.saferoute;
    } else {
      const completion = await guard.chat(request, context);
      info = completion.saferoute;
      if (values.json) ctx.stdout.write(JSON.stringify(completion, null, 2) + '\n');
      else {
        const message = completion.choices[0]?.message;
        const text = info.blocked ? `${REFUSED_MARKER} ${message?.refusal ?? message?.content ?? info.blocked.message}` : (message?.content ?? message?.refusal ?? '');
        ctx.stdout.write(text + '\n');
        for (const call of message?.tool_calls ?? []) {
          if (call.type === 'function') ctx.stdout.write(`tool call ${call.function.name}(${call.function.arguments})\n`);
        }
      }
    }
    ctx.stderr.write(formatDecisions(info, style));
    return info.blocked ? EXIT.invalid : EXIT.ok;
  },
};

function formatDecisions(info: SaferouteInfo, style: Style): string {
  const lines = [describe('input ', info.decisions.input, style)];
  if (info.decisions.output) lines.push(describe('output', info.decisions.output, style));
  if (info.target) lines.push(style.dim(`served by target ${info.target}${info.model ? ` (model ${info.model})` : ''}`));
  if (info.redacted) lines.push(style.yellow(`redacted: ${info.redacted.join(', ')}`));
  if (info.streaming) {
    const s = info.streaming;
    lines.push(style.dim(`streamed ${s.mode}: ${s.checks} checks, ${s.releasedChars} characters released, hold-back ${s.holdBackChars}, check every ${s.checkEveryChars}`));
  }
  if (info.warnings.length > 0) lines.push(style.yellow(`warnings: ${info.warnings.join(', ')}`));
  if (info.blocked) {
    lines.push(style.red(`refused at the ${info.blocked.stage} stage: ${info.blocked.reason}`));
    for (const u of info.blocked.unmet) lines.push(style.yellow(`  unmet ${u.code} (${u.target}): ${u.detail}`));
  }
  return lines.join('\n') + '\n';
}

function describe(label: string, d: PublicDecision, style: Style): string {
  const verdict = d.outcome === 'block' ? style.red('BLOCK') : style.green('route');
  const where = d.target ? ` → ${d.target}` : '';
  const why = d.reason ? ` (${d.reason})` : '';
  const rules = d.determiningRules.length > 0 ? d.determiningRules.join(', ') : '(default)';
  const monitor = d.mode === 'monitor' ? ' [monitor]' : '';
  return `${style.bold(label)} ${verdict}${where}${why}${monitor}  rules: ${rules}  decision ${d.decisionId}`;
}
