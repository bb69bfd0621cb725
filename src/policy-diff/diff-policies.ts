import type { ResolvedPolicy } from '../policy/policy.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { sameValue } from './diff-values.js';
import { diffJurisdictions } from './diff-jurisdictions.js';
import { diffRules } from './diff-rules.js';
import { diffBlocklistsAndMessages, diffSettings } from './diff-settings.js';
import { diffTargets } from './diff-targets.js';
import { CHANGE_SECTIONS, type PolicyChange, type PolicyDiff, type PolicyDiffSide } from './policy-change.js';

export interface DiffPoliciesOptions {
  /** Shown as the files the policies came from. */
  oldFile?: string;
  newFile?: string;
}

/**
 * The semantic difference between two loaded policies, over their resolved documents (`extends`
 * merged, defaults filled in): what a compliance reviewer needs, not what a text diff shows. Rule
 * order and formatting never count, since combining does not depend on them.
 */
export function diffPolicies(before: EvaluablePolicy, after: EvaluablePolicy, options: DiffPoliciesOptions = {}): PolicyDiff {
  const b = before.document;
  const a = after.document;
  const changes: PolicyChange[] = [...diffSettings(b, a), ...diffRules(b, a), ...diffTargets(b, a), ...diffJurisdictions(b, a), ...diffBlocklistsAndMessages(b, a)];
  if (changes.length === 0 && !sameValue(normalised(b), normalised(a))) {
    // A difference none of the section diffs knows (a field added to the format since): still a difference.
    changes.push({ section: 'policy', kind: 'changed', path: '', note: 'the resolved policies differ in a field this diff does not describe; compare them with `saferoute validate --json`' });
  }
  const rank = (c: PolicyChange): number => CHANGE_SECTIONS.indexOf(c.section);
  changes.sort((x, y) => rank(x) - rank(y));
  const stricter = changes.filter((c) => c.direction === 'stricter').length;
  const looser = changes.filter((c) => c.direction === 'looser').length;
  return {
    equal: changes.length === 0,
    old: side(before, options.oldFile),
    new: side(after, options.newFile),
    changes,
    summary: { changes: changes.length, stricter, looser, neither: changes.length - stricter - looser },
  };
}

function side(p: EvaluablePolicy, file: string | undefined): PolicyDiffSide {
  return { id: p.id, revision: p.revision, sha256: p.sha256, ...(file != null ? { file } : {}) };
}

/** The document without what carries no meaning: the order of rules and blocklists. */
function normalised(d: ResolvedPolicy): unknown {
  const byId = <T extends { id: string }>(xs: readonly T[]): T[] => [...xs].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { ...d, rules: byId(d.rules), blocklists: byId(d.blocklists) };
}
