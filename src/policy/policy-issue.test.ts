import { describe, expect, it } from 'vitest';
import { formatPolicyIssue } from './policy-issue.js';

describe('formatPolicyIssue', () => {
  it('prints file:line:column, the pointer and the hint', () => {
    expect(
      formatPolicyIssue({ file: 'p.json', line: 3, column: 7, pointer: '/rules/0/when', message: 'bad', hint: 'fix it', severity: 'error' }),
    ).toBe('p.json:3:7 /rules/0/when: bad (hint: fix it)');
  });

  it('shows the root pointer as / and leaves out a position of 0', () => {
    expect(formatPolicyIssue({ file: '<object>', line: 0, column: 0, pointer: '', message: 'bad', severity: 'error' })).toBe('<object> /: bad');
  });

  it('marks warnings', () => {
    expect(formatPolicyIssue({ file: 'p.json', line: 1, column: 1, pointer: '/mode', message: 'hm', severity: 'warning' })).toBe(
      'p.json:1:1 /mode: warning: hm',
    );
  });
});
