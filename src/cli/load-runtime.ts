import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { SaferouteError } from '../errors.js';
import { loadPolicy } from '../policy/load-policy.js';
import { PolicyInvalidError } from '../policy/policy-invalid-error.js';
import { shippedPolicyPath } from '../policy/shipped-policies.js';
import { createPolicyRuntime, type PolicyRuntime } from '../decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../classifiers/registry.js';
import { parseSubjectInput } from '../decision/subject-input.js';
import { readJsonFile } from '../policy/read-json-file.js';
import { parseJsonSource } from '../policy/source-map.js';
import type { SubjectContext } from '../subjects/subject-context.js';

/** Loads a policy (the shipped default when none is named; `default` or `strict` name the shipped ones) and binds it to its classifiers. */
export async function loadRuntimeForCli(policyPath: string | undefined, ctx: CommandContext): Promise<PolicyRuntime> {
  let path = policyPath ? resolve(ctx.cwd, policyPath) : shippedPolicyPath('default');
  const missing = await stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
  // `default` and `strict` name the shipped policies, as in a gateway config, unless a file of that name is here.
  if (missing && (policyPath === 'default' || policyPath === 'strict')) path = shippedPolicyPath(policyPath);
  else if (missing) throw new SaferouteError('policy_not_found', `policy file \`${path}\` not found; a relative path starts at the working directory, and \`default\` or \`strict\` name the policies saferoute ships`);
  const result = await loadPolicy(path);
  if (!result.ok) throw new PolicyInvalidError(result.issues);
  for (const w of result.warnings) ctx.stderr.write(`warning: ${formatIssueLine(w)}\n`);
  return createPolicyRuntime(result.policy, createClassifierRegistry(defaultClassifierFactories(ctx.env)));
}

function formatIssueLine(issue: { file: string; line: number; column: number; pointer: string; message: string }): string {
  return `${issue.file}:${issue.line}:${issue.column} ${issue.pointer || '/'}: ${issue.message}`;
}

/**
 * Reads and validates a subject JSON file; every problem is reported with the file name, line
 * and column. The file is read as policies are (a regular file or a pipe, size and nesting
 * bounded) and its content is never quoted unless it starts like a JSON object.
 */
export async function readSubjectFile(path: string): Promise<SubjectContext> {
  const read = await readJsonFile(path);
  if (!read.ok) {
    throw new SaferouteError('subject_invalid', `cannot read the subject file \`${path}\`: ${read.message}${read.hint != null ? ` (hint: ${read.hint})` : ''}`);
  }
  const source = parseJsonSource(read.text, path, path);
  const [syntax] = source.syntaxIssues;
  if (syntax) {
    throw new SaferouteError('subject_invalid', `the subject file \`${path}\` is not JSON: ${syntax.message} at line ${syntax.line}, column ${syntax.column}${syntax.hint != null ? ` (hint: ${syntax.hint})` : ''}`);
  }
  const parsed = parseSubjectInput(source.value);
  if (!parsed.ok) {
    const lines = parsed.issues.map((issue) => {
      const pointer = issue.slice(0, issue.indexOf(':'));
      const at = source.locate(pointer === '/' ? '' : pointer);
      return `${path}:${at.line}:${at.column} ${issue}`;
    });
    throw new SaferouteError('subject_invalid', `the subject file \`${path}\` is invalid:\n  ${lines.join('\n  ')}`);
  }
  return parsed.subject;
}
