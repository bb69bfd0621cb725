import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { loadPolicy } from '../../policy/load-policy.js';
import { formatPolicyIssue } from '../../policy/policy-issue.js';
import { createStyle, type Style } from '../format/style.js';
import { isGatewayConfigFile, isPolicyTestsFile } from './policy-tests-file.js';
import { loadGatewayConfig } from '../../gateway/load-gateway-config.js';
import type { PolicyIssue } from '../../policy/policy-issue.js';

const usage = `usage: saferoute validate POLICY... [--json]

Checks policy files against the schema and the semantic rules (unknown categories and
targets, duplicate rule ids, thresholds outside [0, 1], rules that can never fire, extends
cycles, ages below the policy's floor, ...). Every problem is reported at once as
FILE:LINE:COLUMN /json/pointer: message.

  --json   print one JSON object per policy: {file, valid, issues, id, revision, sha256}
           (a skipped policy-tests file: {file, skipped: true, kind: "policy-tests", note})

Policy-tests files (*.tests.json, or $schema policy-tests.schema.json) are skipped with a note,
so \`saferoute validate policies/*.json\` works with the tests beside their policies; run them
with \`saferoute test\`.

A gateway config (saferoute.config.json: \`$schema\` gateway-config.schema.json, or \`tenants\`
and no \`rules\`) is checked as \`saferoute serve --config\` reads it, together with every
policy and shadow policy its tenants name. What only a start can check (keys and signatures,
the audit log, the consent store, the issuers file) is left to \`saferoute serve\`.

Exit status: 0 when every policy is valid, 1 when any is not or when no policy was named
(only policy-tests files).`;

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
    let validated = 0;
    for (const file of positionals) {
      if (await isPolicyTestsFile(resolve(ctx.cwd, file))) {
        // `saferoute test` takes the policy and finds POLICY.tests.json beside it.
        const run = /\.tests\.json$/i.test(file) ? `saferoute test ${file.replace(/\.tests\.json$/i, '.json')}` : `saferoute test POLICY --tests ${file}`;
        const note = `\`${file}\` is a policy-tests file, not a policy; run \`${run}\``;
        if (values.json) ctx.stdout.write(JSON.stringify({ file, skipped: true, kind: 'policy-tests', note }) + '\n');
        else ctx.stdout.write(`${style.yellow('skipped')} ${note}\n`);
        continue;
      }
      validated++;
      if (await isGatewayConfigFile(resolve(ctx.cwd, file))) {
        if (!(await validateGatewayConfigFile(file, ctx, style, values.json === true))) invalid++;
        continue;
      }
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
          const line = formatPolicyIssue(displayIssue(issue, ctx.cwd));
          ctx.stdout.write((issue.severity === 'error' ? style.red('error ') : style.yellow('warning ')) + line + '\n');
        }
        if (result.ok) {
          const p = result.policy;
          ctx.stdout.write(
            `${style.green('valid')} ${file}: ${p.id}@${p.revision}, ${p.document.rules.length} rules, ${Object.keys(p.document.targets).length} targets, sha256 ${p.sha256}\n`,
          );
        } else if (await isMissing(resolve(ctx.cwd, file))) {
          // A wrong path says nothing about the policy: not "invalid".
          ctx.stdout.write(`${style.red('not found')} ${file}\n`);
        } else {
          const errors = result.issues.filter((i) => i.severity === 'error').length;
          ctx.stdout.write(`${style.red('invalid')} ${file}: ${errors} error${errors === 1 ? '' : 's'}\n`);
        }
      }
      if (!result.ok) invalid++;
    }
    if (validated === 0) {
      ctx.stderr.write('saferoute validate: no policy to validate (only policy-tests files were named)\n');
      return EXIT.invalid;
    }
    return invalid > 0 ? EXIT.invalid : EXIT.ok;
  },
};

/**
 * A gateway config, as \`serve --config\` reads it, and the policies its tenants name; every
 * problem printed as a policy's are. Whether the config and all its policies are valid.
 */
async function validateGatewayConfigFile(file: string, ctx: CommandContext, style: Style, json: boolean): Promise<boolean> {
  const loaded = await loadGatewayConfig(resolve(ctx.cwd, file));
  const issues: PolicyIssue[] = loaded.ok ? [] : [...loaded.issues];
  const tenants: { id: string; policy: string; revision?: string }[] = [];
  if (loaded.ok) {
    for (const tenant of loaded.config.tenants) {
      for (const policyFile of [tenant.policy, ...(tenant.shadow ?? [])]) {
        const result = await loadPolicy(policyFile);
        issues.push(...(result.ok ? result.warnings : result.issues));
        if (policyFile === tenant.policy) tenants.push({ id: tenant.id, policy: displayPath(policyFile, ctx.cwd), ...(result.ok ? { revision: `${result.policy.id}@${result.policy.revision}` } : {}) });
      }
    }
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (json) {
    ctx.stdout.write(JSON.stringify({ file, kind: 'gateway-config', valid: errors === 0, issues, ...(loaded.ok ? { tenants } : {}) }) + '\n');
    return errors === 0;
  }
  for (const issue of issues) {
    const line = formatPolicyIssue(displayIssue(issue, ctx.cwd));
    ctx.stdout.write((issue.severity === 'error' ? style.red('error ') : style.yellow('warning ')) + line + '\n');
  }
  if (errors === 0) {
    const list = tenants.map((t) => `${t.id} (${t.revision ?? t.policy})`).join(', ');
    ctx.stdout.write(`${style.green('valid')} ${file}: gateway config, ${tenants.length} tenant${tenants.length === 1 ? '' : 's'}: ${list}\n`);
  } else {
    ctx.stdout.write(`${style.red('invalid')} ${file}: gateway config, ${errors} error${errors === 1 ? '' : 's'}\n`);
  }
  return errors === 0;
}

async function isMissing(path: string): Promise<boolean> {
  return stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
}

/**
 * The issue as a terminal shows it: its file, and the same file where the message points back into
 * it (\`first at …:16:13\`), relative to the working directory.
 */
function displayIssue(issue: PolicyIssue, cwd: string): PolicyIssue {
  const file = displayPath(issue.file, cwd);
  return file === issue.file ? issue : { ...issue, file, message: issue.message.split(`\`${issue.file}:`).join(`\`${file}:`) };
}

/** Paths under the working directory are shown relative to it, as editors and terminals link them. */
function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
