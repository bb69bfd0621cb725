import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SaferouteError } from '../errors.js';
import { buildPolicy, type PolicyLoadResult, type PolicyValidationOptions } from './build-policy.js';
import type { Policy } from './policy.js';
import type { PolicyIssue } from './policy-issue.js';
import { PolicyInvalidError } from './policy-invalid-error.js';
import { PolicyNotFoundError } from './policy-not-found-error.js';
import { runAsync, runSync, walkExtends } from './resolve-extends.js';
import { readJsonFile, readJsonFileSync } from './read-json-file.js';
import { objectSource, parseJsonSource } from './source-map.js';

export type { PolicyLoadResult, PolicyValidationOptions } from './build-policy.js';

export interface ValidatePolicyObjectOptions extends PolicyValidationOptions {
  /** Shown as the file in issues; `<object>` by default. */
  file?: string;
  /** Directory that `extends` is relative to; the working directory by default. */
  baseDir?: string;
}

/**
 * Loads a policy file with its `extends` chain, validates it and returns it resolved and frozen,
 * or every problem found (a missing file included) as `{ ok: false, issues }`.
 */
export async function loadPolicy(file: string, options: PolicyValidationOptions = {}): Promise<PolicyLoadResult> {
  if (typeof file !== 'string' || file === '') throw new SaferouteError('usage', 'loadPolicy needs a file path');
  const abs = path.resolve(file);
  const read = await readJsonFile(abs);
  if (!read.ok) {
    const issue: PolicyIssue = { file, line: 0, column: 0, pointer: '', message: `cannot read the policy file: ${read.message}`, severity: 'error' };
    if (read.message === 'no such file') issue.hint = `looked for ${abs}; check the path: a relative one starts at the working directory`;
    else if (read.hint != null) issue.hint = read.hint;
    return { ok: false, issues: [issue] };
  }
  return loadPolicyText(read.text, file, abs, options);
}

/**
 * Validates policy text as if it were the file `abs` (shown as `file`): every problem at its line
 * and column, `extends` read relative to `abs`. What `loadPolicy` does once it has read the file;
 * the console validates an editor's draft with it before anything is written.
 */
export async function loadPolicyText(text: string, file: string, abs: string, options: PolicyValidationOptions = {}): Promise<PolicyLoadResult> {
  const root = parseJsonSource(text, file, abs);
  // Base policies are only ever read as regular `.json` files (see `readJsonFile`).
  const chain = await runAsync(walkExtends(root, path.dirname(abs)), (p) => readJsonFile(p, { strict: true }));
  return buildPolicy(chain.sources, chain.issues, options);
}

/**
 * Validates a policy given as a plain object exactly as a file would be; issues then carry
 * line and column 0. `extends` is read from disk, relative to `baseDir` (or the working directory).
 */
export function validatePolicyObject(doc: unknown, options: ValidatePolicyObjectOptions = {}): PolicyLoadResult {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const root = objectSource(doc, options.file ?? '<object>');
  const chain = runSync(walkExtends(root, baseDir), (p) => readJsonFileSync(p, { strict: true }));
  return buildPolicy(chain.sources, chain.issues, options);
}

/**
 * `loadPolicy` for callers that treat a bad policy as a configuration error: throws
 * `PolicyNotFoundError` when the file does not exist, `PolicyInvalidError` with every issue otherwise.
 */
export async function loadPolicyOrThrow(file: string, options: PolicyValidationOptions = {}): Promise<Policy> {
  if (typeof file === 'string' && file !== '') {
    const abs = path.resolve(file);
    const missing = await stat(abs).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    if (missing) throw new PolicyNotFoundError(file, abs);
  }
  const result = await loadPolicy(file, options);
  if (!result.ok) throw new PolicyInvalidError(result.issues);
  return result.policy;
}

export function validatePolicyObjectOrThrow(doc: unknown, options: ValidatePolicyObjectOptions = {}): Policy {
  const result = validatePolicyObject(doc, options);
  if (!result.ok) throw new PolicyInvalidError(result.issues);
  return result.policy;
}
