import { SaferouteError } from '../errors.js';
import { formatPolicyIssue, type PolicyIssue } from './policy-issue.js';

/** Thrown by the `…OrThrow` loaders; `issues` holds every problem, errors and warnings alike. */
export class PolicyInvalidError extends SaferouteError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[], options?: { cause?: unknown }) {
    const errors = issues.filter((i) => i.severity === 'error');
    const where = issues[0]?.file ?? 'policy';
    const noun = errors.length === 1 ? 'problem' : 'problems';
    super('policy_invalid', `policy \`${where}\` is invalid (${errors.length} ${noun}):\n${issues.map((i) => '  ' + formatPolicyIssue(i)).join('\n')}`, options);
    this.issues = issues;
  }
}
