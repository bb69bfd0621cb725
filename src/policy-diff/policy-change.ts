/** The part of a policy a change concerns, in the order a diff is printed. */
export const CHANGE_SECTIONS = [
  'policy',
  'mode',
  'defaults',
  'rules',
  'targets',
  'jurisdictions',
  'blocklists',
  'classifiers',
  'input',
  'output',
  'audit',
  'messages',
] as const;
export type ChangeSection = (typeof CHANGE_SECTIONS)[number];

/**
 * What the change does to enforcement: `stricter` blocks, gates or checks more; `looser` less.
 * Absent when the change has no direction of its own (a renamed message, a new model name).
 */
export type Direction = 'stricter' | 'looser';

/** One semantic difference between two resolved policies. */
export interface PolicyChange {
  section: ChangeSection;
  /** `threshold`: a numeric comparison in a rule's condition moved (`match` says which way). */
  kind: 'added' | 'removed' | 'changed' | 'threshold';
  /** The rule id, target name, jurisdiction code, blocklist id or message id; absent for a setting. */
  item?: string;
  /** What of the item changed, e.g. `condition`, `age.minimum`, `onUnmet`, `sexual gte`. */
  field?: string;
  /** Dotted path in the resolved policy, e.g. `rules[adult-to-restricted].when.gte`. */
  path: string;
  before?: unknown;
  after?: unknown;
  direction?: Direction;
  /** Rule conditions only: the rule now matches more (`broader`) or fewer (`narrower`) requests. */
  match?: 'broader' | 'narrower';
  /** Why the direction is what it is, or what else to know. */
  note?: string;
}

export interface PolicyDiffSide {
  id: string;
  revision: string;
  sha256: string;
  file?: string;
}

export interface PolicyDiff {
  /** No semantic difference (rule order and JSON formatting never count). */
  equal: boolean;
  old: PolicyDiffSide;
  new: PolicyDiffSide;
  changes: PolicyChange[];
  summary: { changes: number; stricter: number; looser: number; neither: number };
}
