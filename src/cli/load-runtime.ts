import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { SaferouteError } from '../errors.js';
import { loadPolicy } from '../policy/load-policy.js';
import { PolicyInvalidError } from '../policy/policy-invalid-error.js';
import { shippedPolicyPath } from '../policy/shipped-policies.js';
import { createPolicyRuntime, type PolicyRuntime } from '../decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../classifiers/registry.js';
import { parseSubjectInput } from '../decision/subject-input.js';
import type { SubjectContext } from '../subjects/subject-context.js';

/** Loads a policy (the shipped default when none is named) and binds it to its classifiers. */
export async function loadRuntimeForCli(policyPath: string | undefined, ctx: CommandContext): Promise<PolicyRuntime> {
  const path = policyPath ? resolve(ctx.cwd, policyPath) : shippedPolicyPath('default');
  const missing = await stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
  if (missing) throw new SaferouteError('policy_not_found', `policy file \`${path}\` not found`);
  const result = await loadPolicy(path);
  if (!result.ok) throw new PolicyInvalidError(result.issues);
  for (const w of result.warnings) ctx.stderr.write(`warning: ${formatIssueLine(w)}\n`);
  return createPolicyRuntime(result.policy, createClassifierRegistry(defaultClassifierFactories(ctx.env)));
}

function formatIssueLine(issue: { file: string; line: number; column: number; pointer: string; message: string }): string {
  return `${issue.file}:${issue.line}:${issue.column} ${issue.pointer || '/'}: ${issue.message}`;
}

/** Reads and validates a subject JSON file; every problem is reported with the file name. */
export async function readSubjectFile(path: string): Promise<SubjectContext> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SaferouteError('subject_invalid', `cannot read the subject file \`${path}\`: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SaferouteError('subject_invalid', `the subject file \`${path}\` is not JSON: ${withLineColumn((error as Error).message, text)}`, {
      cause: error,
    });
  }
  const parsed = parseSubjectInput(value);
  if (!parsed.ok) {
    throw new SaferouteError('subject_invalid', `the subject file \`${path}\` is invalid:\n  ${parsed.issues.join('\n  ')}`);
  }
  return parsed.subject;
}

/** `… at position 25` → `… at line 3, column 11` (1-based), computed from the text parsed. */
export function withLineColumn(message: string, text: string): string {
  return message.replace(/ at position (\d+)/, (whole, digits: string) => {
    const position = Number(digits);
    if (!(position <= text.length)) return whole;
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - (before.lastIndexOf('\n') + 1) + 1;
    return ` at line ${line}, column ${column}`;
  });
}
