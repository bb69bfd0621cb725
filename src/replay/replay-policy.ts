import type { Stage } from '../decision/decision.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { Condition } from '../policy/policy-schema.js';
import { policyReads, type PolicyReads } from '../decision/policy-reads.js';
import { canonicalJson } from '../util/canonical-json.js';

/** What replay needs to know about the recorded decisions' policy, compared with the new one. */
export interface OldPolicyInfo {
  archived: boolean;
  /** Blocklists the new policy's rules test whose terms differ from (or are absent in) the deciding policy: recorded hits say nothing about them. */
  changedLists: string[];
  /** Per stage: the new policy names other classifiers, so recorded scores may not be what it would see. `undefined`: unknown (not archived). */
  classifiersChanged: Record<Stage, boolean | undefined>;
}

/** The new policy, prepared once: what it reads and which blocklists its rules test. */
export interface ReplayPolicy {
  policy: EvaluablePolicy;
  reads: PolicyReads;
  /** Ids of blocklists some rule tests, with each list's canonical definition. */
  testedLists: Map<string, string>;
}

export function prepareReplayPolicy(policy: EvaluablePolicy): ReplayPolicy {
  const tested = new Set<string>();
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if ('blocklist' in c) tested.add(c.blocklist);
  };
  for (const r of policy.document.rules) visit(r.when);
  const testedLists = new Map<string, string>();
  for (const list of policy.document.blocklists) if (tested.has(list.id)) testedLists.set(list.id, canonicalJson(list));
  return { policy, reads: policyReads(policy), testedLists };
}

/** Compares the deciding policy (when archived) with the new one. */
export function compareWithOld(next: ReplayPolicy, old: EvaluablePolicy | undefined): OldPolicyInfo {
  if (!old) return { archived: false, changedLists: [...next.testedLists.keys()].sort(), classifiersChanged: { input: undefined, output: undefined } };
  const oldLists = new Map(old.document.blocklists.map((l) => [l.id, canonicalJson(l)]));
  const changedLists = [...next.testedLists.entries()].filter(([id, def]) => oldLists.get(id) !== def).map(([id]) => id).sort();
  const same = (stage: Stage): boolean =>
    canonicalJson(old.document.classifiers[stage] ?? null) === canonicalJson(next.policy.document.classifiers[stage] ?? null);
  return { archived: true, changedLists, classifiersChanged: { input: !same('input'), output: !same('output') } };
}
