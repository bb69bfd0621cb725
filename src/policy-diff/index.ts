export { diffPolicies } from './diff-policies.js';
export type { DiffPoliciesOptions } from './diff-policies.js';
export { formatPolicyDiff } from './format-policy-diff.js';
export type { DiffStyle } from './format-policy-diff.js';
export { CHANGE_SECTIONS } from './policy-change.js';
export type { ChangeSection, Direction, PolicyChange, PolicyDiff, PolicyDiffSide } from './policy-change.js';
