import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { loadPolicyOrThrow } from '../../policy/load-policy.js';
import { diffPolicies } from '../../policy-diff/diff-policies.js';
import { formatPolicyDiff } from '../../policy-diff/format-policy-diff.js';
import { createStyle } from '../format/style.js';

const usage = `usage: saferoute diff OLD.json NEW.json [--json]

Compares two policies by meaning, not text: both are resolved first (extends merged, defaults
filled in), then it lists rules added, removed or changed (condition, thresholds, effect,
precedence, stage, warnings), targets' requirements (age, assurance level, methods, validity,
consent scopes and versions) and onUnmet, jurisdiction rows, defaults, mode, classifiers, input,
output and audit settings, blocklists and messages. Each change says whether it makes the
policy stricter or looser where that has a direction: a threshold lowered on a block rule is
stricter (the rule matches more), raised on it looser; a higher minimum age or assurance level,
fewer accepted methods or a shorter validity is stricter. Rule order and formatting never count.

  --json   print {equal, old, new, changes: [{section, kind, item, field, path, before, after,
           direction, match, note}], summary}

Exit status: 0 when the policies mean the same, 1 when they differ, 78 when either policy is
missing or invalid, 64 on a usage error.`;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'what changes between two policies: rules, thresholds, requirements, stricter or looser',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length !== 2) throw new UsageError('name two policy files: the old one, then the new one');
    const [oldFile, newFile] = positionals as [string, string];
    const before = await loadPolicyOrThrow(resolve(ctx.cwd, oldFile));
    const after = await loadPolicyOrThrow(resolve(ctx.cwd, newFile));
    const diff = diffPolicies(before, after, { oldFile, newFile });
    if (values.json) ctx.stdout.write(JSON.stringify(diff) + '\n');
    else ctx.stdout.write(formatPolicyDiff(diff, createStyle(ctx.stdout, ctx.env)));
    return diff.equal ? EXIT.ok : EXIT.invalid;
  },
};
