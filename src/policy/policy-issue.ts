/**
 * One problem found in a policy, positioned in the file that holds it. Line and column are
 * 1-based; both are 0 when the policy came from an object rather than a file (no text to point
 * into) or when the file itself could not be read.
 */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  /** JSON pointer (RFC 6901) into that file's document; '' is the whole document. */
  pointer: string;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

/**
 * `file:line:column /json/pointer: message (hint: …)`. Warnings carry a `warning:` prefix before
 * the message so that a list mixing both reads unambiguously; a position of 0 is left out.
 */
export function formatPolicyIssue(issue: PolicyIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const pointer = issue.pointer === '' ? '/' : issue.pointer;
  const severity = issue.severity === 'warning' ? 'warning: ' : '';
  const hint = issue.hint != null ? ` (hint: ${issue.hint})` : '';
  return `${where} ${pointer}: ${severity}${issue.message}${hint}`;
}

export function isError(issue: PolicyIssue): boolean {
  return issue.severity === 'error';
}
