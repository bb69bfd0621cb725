import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { loadRuntimeForCli } from '../load-runtime.js';
import { PolicyTestFileSchema, type PolicyTestFile } from '../../policy-tests/policy-test-file.js';
import { runPolicyTests } from '../../policy-tests/run-policy-tests.js';
import { createStyle } from '../format/style.js';
import { isPolicyTestsFile } from './policy-tests-file.js';
import { describeReadError } from '../../policy/read-json-file.js';
import { didYouMeanSuffix } from '../../policy/did-you-mean.js';
import { CATEGORIES } from '../../taxonomy/categories.js';

const usage = `usage: saferoute test POLICY [--tests FILE] [--fail-on-empty] [--fail-on-uncovered] [--json]

Runs a policy's tests (by default POLICY with .json replaced by .tests.json): each case gives
text or scores, a subject and request, and the expected outcome, target, determining rules,
unmet codes and warnings. Prints PASS or FAIL per case with the difference, then which rules
and unmet codes the cases cover.

  --tests FILE           the test file
  --fail-on-empty        fail when the file has no cases
  --fail-on-uncovered    fail when a rule or a reachable unmet code is not covered
  --json                 print the report as JSON

Exit status: 0 when every case passes, 2 when any fails (or per the --fail-on options),
78 when the policy or the test file is invalid.`;

export const testCommand: Command = {
  name: 'test',
  summary: "run a policy's test cases and report rule coverage",
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      tests: { type: 'string' },
      'fail-on-empty': { type: 'boolean' },
      'fail-on-uncovered': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('name exactly one policy file');
    const policyPath = resolve(ctx.cwd, positionals[0] as string);
    if (await isPolicyTestsFile(policyPath)) {
      const policyName = (positionals[0] as string).replace(/\.tests\.json$/i, '.json');
      throw new UsageError(`\`${positionals[0]}\` is a policy-tests file; name the policy it tests (\`saferoute test ${policyName}\`), or give the tests with --tests`);
    }
    const testsPath = values.tests ? resolve(ctx.cwd, values.tests) : policyPath.replace(/\.json$/, '') + '.tests.json';
    const runtime = await loadRuntimeForCli(policyPath, ctx);
    const file = await readTestFile(testsPath);
    const report = await runPolicyTests(runtime.policy, file, {
      classifiersFor: (stage) => ({ classifiers: runtime.classifiers(stage), ...(runtime.blocklist ? { blocklist: runtime.blocklist } : {}) }),
    });

    const { rules, unmetCodes } = report.coverage;
    if (values.json) {
      ctx.stdout.write(
        JSON.stringify({
          policy: runtime.policy.id,
          tests: testsPath,
          passed: report.passed,
          failed: report.failed,
          results: report.results.map((r) => ({ name: r.name, passed: r.passed, diffs: r.diffs, decisionId: r.decision.decisionId })),
          coverage: report.coverage,
        }) + '\n',
      );
    } else {
      const style = createStyle(ctx.stdout, ctx.env);
      for (const r of report.results) {
        ctx.stdout.write(`${r.passed ? style.green('PASS') : style.red('FAIL')} ${r.name}\n`);
        for (const d of r.diffs) {
          ctx.stdout.write(`       ${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}\n`);
        }
      }
      ctx.stdout.write(`\n${report.passed} passed, ${report.failed} failed (${report.results.length} cases)\n`);
      ctx.stdout.write(
        `rule coverage: ${rules.covered.length}/${rules.covered.length + rules.uncovered.length}` +
          (rules.uncovered.length ? style.yellow(` — never matched: ${rules.uncovered.join(', ')}`) : '') +
          '\n',
      );
      ctx.stdout.write(
        `unmet-code coverage: ${unmetCodes.covered.length}/${unmetCodes.reachable.length}` +
          (unmetCodes.uncovered.length ? style.yellow(` — never produced: ${unmetCodes.uncovered.join(', ')}`) : '') +
          '\n',
      );
    }
    if (report.failed > 0) return EXIT.testsFailed;
    if (values['fail-on-empty'] && report.results.length === 0) {
      ctx.stderr.write(`no test cases in \`${testsPath}\`\n`);
      return EXIT.testsFailed;
    }
    if (values['fail-on-uncovered'] && (rules.uncovered.length > 0 || unmetCodes.uncovered.length > 0)) return EXIT.testsFailed;
    return EXIT.ok;
  },
};

export async function readTestFile(path: string): Promise<PolicyTestFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const hint = (error as { code?: unknown }).code === 'ENOENT' ? '; write one beside the policy (POLICY.tests.json) or name it with --tests' : '';
    throw new SaferouteError('config_invalid', `cannot read the test file \`${path}\`: ${describeReadError(error)}${hint}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SaferouteError('config_invalid', `the test file \`${path}\` is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = PolicyTestFileSchema.safeParse(value);
  if (!parsed.success) {
    if (looksLikePolicy(value)) {
      throw new SaferouteError('config_invalid', `\`${path}\` is a policy, not a test file; a test file holds \`cases\` (see policies/default.tests.json)`);
    }
    const lines = parsed.error.issues.map((i) => `${path} /${i.path.join('/')}: ${i.message}${categoryHint(i)}`);
    throw new SaferouteError('config_invalid', `the test file is invalid:\n  ${lines.join('\n  ')}`);
  }
  const names = Object.keys(parsed.data.subjects ?? {});
  const missing = parsed.data.cases.flatMap((c, i) =>
    typeof c.subject === 'string' && !names.includes(c.subject)
      ? [`${path} /cases/${i}/subject: unknown subject \`${c.subject}\`${didYouMeanSuffix(c.subject, names)}`]
      : [],
  );
  if (missing.length) throw new SaferouteError('config_invalid', `the test file is invalid:\n  ${missing.join('\n  ')}`);
  return parsed.data;
}

function looksLikePolicy(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return !('cases' in doc) && ('rules' in doc || 'targets' in doc || 'extends' in doc);
}

/** A misspelt category among a case's `scores` gets the closest name. */
function categoryHint(issue: { code: string; path: PropertyKey[]; keys?: string[] }): string {
  if (issue.code !== 'unrecognized_keys' || issue.path[issue.path.length - 1] !== 'scores') return '';
  return (issue.keys ?? []).map((k) => didYouMeanSuffix(k, CATEGORIES)).join('');
}
