import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { loadRuntimeForCli } from '../load-runtime.js';
import type { EvaluablePolicy } from '../../policy/evaluate-policy.js';
import { formatPolicyIssue } from '../../policy/policy-issue.js';
import { formatScore } from '../../policy/evaluate-condition.js';
import type { PolicyTestFile } from '../../policy-tests/policy-test-file.js';
import { loadPolicyTestFile } from '../../policy-tests/load-policy-test-file.js';
import { runPolicyTests, type PolicyTestResult } from '../../policy-tests/run-policy-tests.js';
import { createStyle } from '../format/style.js';
import { compareTestOutcomes, describeCaseOutcome, type OutcomeComparison } from '../../policy-diff/compare-test-outcomes.js';
import { isPolicyTestsFile } from './policy-tests-file.js';

const usage = `usage: saferoute test POLICY [--tests FILE] [--against OLD.json] [--fail-on-empty] [--fail-on-uncovered] [--json]

Runs a policy's tests (by default POLICY with .json replaced by .tests.json): each case gives
text or scores, a subject and request, and the expected outcome, target, determining rules,
unmet codes and warnings. Prints PASS or FAIL per case with the difference (and, for a text
case, the scores the classifiers gave the categories the policy tests), then which rules and
unmet codes the cases cover. A test file with mistakes is reported like a policy: every problem
at once as FILE:LINE:COLUMN /json/pointer: message, with the closest name for a misspelt
property, category, subject, target, rule, reason or warning.

  --tests FILE           the test file
  --against OLD.json     also run the cases under OLD.json and list those whose outcome, target,
                         reason or unmet codes change (old → new, with the deciding rules); the
                         exit status stays that of POLICY's own results
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
      against: { type: 'string' },
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
    const file = await readTestFile(testsPath, { display: displayPath(testsPath, ctx.cwd), policy: runtime.policy }, ctx.stderr);
    const report = await runPolicyTests(runtime.policy, file, {
      classifiersFor: (stage) => ({ classifiers: runtime.classifiers(stage), ...(runtime.blocklist ? { blocklist: runtime.blocklist } : {}) }),
    });

    let against: { file: string; policy: { id: string; revision: string; sha256: string }; comparison: OutcomeComparison } | undefined;
    if (values.against != null) {
      // The cases were checked against POLICY; the old policy decides the same cases as written.
      const old = await loadRuntimeForCli(resolve(ctx.cwd, values.against), ctx);
      const oldReport = await runPolicyTests(old.policy, file, {
        classifiersFor: (stage) => ({ classifiers: old.classifiers(stage), ...(old.blocklist ? { blocklist: old.blocklist } : {}) }),
      });
      const { id, revision, sha256 } = old.policy;
      against = { file: values.against, policy: { id, revision, sha256 }, comparison: compareTestOutcomes(oldReport.results, report.results) };
    }

    const { rules, unmetCodes } = report.coverage;
    if (values.json) {
      ctx.stdout.write(
        JSON.stringify({
          policy: runtime.policy.id,
          tests: testsPath,
          passed: report.passed,
          failed: report.failed,
          results: report.results.map((r) => ({ name: r.name, passed: r.passed, diffs: r.diffs, decisionId: r.decision.decisionId, ...(r.scores ? { scores: r.scores } : {}) })),
          coverage: report.coverage,
          ...(against ? { against: { file: against.file, policy: against.policy, changed: against.comparison.changed, unchanged: against.comparison.unchanged } } : {}),
        }) + '\n',
      );
    } else {
      const style = createStyle(ctx.stdout, ctx.env);
      for (const r of report.results) {
        ctx.stdout.write(`${r.passed ? style.green('PASS') : style.red('FAIL')} ${r.name}\n`);
        for (const d of r.diffs) {
          ctx.stdout.write(`       ${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}\n`);
        }
        if (!r.passed && r.scores) ctx.stdout.write(`       scores seen: ${describeScores(r)}\n`);
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
      if (against) ctx.stdout.write(formatAgainst(against.file, against.policy, against.comparison, report.results.length));
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

/**
 * Loads and checks a test file; every problem goes to `stderr` as `file:line:column /pointer:
 * message`, then a configuration error (exit 78) says how many there were.
 */
export async function readTestFile(
  path: string,
  options: { display?: string; policy?: EvaluablePolicy } = {},
  stderr?: NodeJS.WritableStream,
): Promise<PolicyTestFile> {
  const result = await loadPolicyTestFile(path, options);
  const issues = result.ok ? result.warnings : result.issues;
  for (const issue of issues) stderr?.write(`${issue.severity === 'error' ? 'error' : 'warning'} ${formatPolicyIssue(issue)}\n`);
  if (result.ok) return result.file;
  const errors = result.issues.filter((i) => i.severity === 'error');
  const shown = options.display ?? path;
  const listed = stderr ? '' : `:\n  ${errors.map(formatPolicyIssue).join('\n  ')}`;
  if (result.unreadable) throw new SaferouteError('config_invalid', `the test file \`${shown}\` cannot be read${listed}`);
  throw new SaferouteError('config_invalid', `the test file \`${shown}\` is invalid (${errors.length} ${errors.length === 1 ? 'problem' : 'problems'})${listed}`);
}

/** The cases whose outcome changes from the old policy to this one, old → new. */
function formatAgainst(file: string, policy: { id: string; revision: string }, c: OutcomeComparison, total: number): string {
  const lines = [`\nagainst ${file} (${policy.id}@${policy.revision}): ${c.changed.length} of ${total} case${total === 1 ? '' : 's'} change outcome`];
  for (const ch of c.changed) {
    const rules = (o: { determiningRules: string[] }): string => (o.determiningRules.length ? o.determiningRules.join(', ') : 'default route');
    lines.push(`  ${ch.name}`, `      ${describeCaseOutcome(ch.before)} → ${describeCaseOutcome(ch.after)}  (decided by ${rules(ch.before)} → ${rules(ch.after)})`);
  }
  return lines.join('\n') + '\n';
}

/** Highest first; a category no classifier scored shows as `–`. */
function describeScores(r: PolicyTestResult): string {
  const entries = Object.entries(r.scores ?? {}) as [string, number | null][];
  entries.sort((a, b) => (b[1] ?? -1) - (a[1] ?? -1) || (a[0] < b[0] ? -1 : 1));
  return entries.map(([c, v]) => `${c} ${v == null ? '–' : formatScore(v)}`).join(', ');
}

/** Paths under the working directory are shown relative to it, as editors and terminals link them. */
function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
