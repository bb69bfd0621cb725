import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { loadPolicy } from '../../policy/load-policy.js';
import { formatPolicyIssue } from '../../policy/policy-issue.js';
import { createStyle } from '../format/style.js';

const usage = `usage: saferoute validate POLICY... [--json]

Checks policy files against the schema and the semantic rules (unknown categories and
targets, duplicate rule ids, thresholds outside [0, 1], rules that can never fire, extends
cycles, ages below the policy's floor, ...). Every problem is reported at once as
FILE:LINE:COLUMN /json/pointer: message.

  --json   print one JSON object per policy: {file, valid, issues, id, revision, sha256}

Exit status: 0 when every policy is valid, 1 when any is not.`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check policy files; report every problem with file:line:column',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length === 0) throw new UsageError('name at least one policy file');
    const style = createStyle(ctx.stdout, ctx.env);
    let invalid = 0;
    for (const file of positionals) {
      const result = await loadPolicy(resolve(ctx.cwd, file));
      if (values.json) {
        ctx.stdout.write(
          JSON.stringify(
            result.ok
              ? { file, valid: true, id: result.policy.id, revision: result.policy.revision, sha256: result.policy.sha256, issues: result.warnings }
              : { file, valid: false, issues: result.issues },
          ) + '\n',
        );
      } else {
        const issues = result.ok ? result.warnings : result.issues;
        for (const issue of issues) {
          const line = formatPolicyIssue({ ...issue, file: displayPath(issue.file, ctx.cwd) });
          ctx.stdout.write((issue.severity === 'error' ? style.red('error ') : style.yellow('warning ')) + line + '\n');
        }
        if (result.ok) {
          const p = result.policy;
          ctx.stdout.write(
            `${style.green('valid')} ${file}: ${p.id}@${p.revision}, ${p.document.rules.length} rules, ${Object.keys(p.document.targets).length} targets, sha256 ${p.sha256}\n`,
          );
        } else {
          const errors = result.issues.filter((i) => i.severity === 'error').length;
          ctx.stdout.write(`${style.red('invalid')} ${file}: ${errors} error${errors === 1 ? '' : 's'}\n`);
        }
      }
      if (!result.ok) invalid++;
    }
    return invalid > 0 ? EXIT.invalid : EXIT.ok;
  },
};

/** Paths under the working directory are shown relative to it, as editors and terminals link them. */
function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
