import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { Condition } from '../policy/policy-schema.js';

/** What a policy's conditions read besides scores and blocklists: which free attributes, and whether the subject id. */
export interface PolicyReads {
  /** Request metadata keys (`request: "metadata.NAME"`), sorted. */
  metadata: string[];
  /** Subject attribute keys (`subject: "attributes.NAME"`), sorted. */
  attributes: string[];
  /** A condition tests `subject: "id"` (never recorded: the audit trail keeps only a pseudonym). */
  subjectId: boolean;
}

const cache = new WeakMap<object, PolicyReads>();

/** The free attributes a policy reads, so decision facts keep those and nothing else. */
export function policyReads(policy: EvaluablePolicy): PolicyReads {
  const doc = policy.document;
  let reads = cache.get(doc);
  if (reads) return reads;
  const metadata = new Set<string>();
  const attributes = new Set<string>();
  let subjectId = false;
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if ('request' in c) {
      if (c.request.startsWith('metadata.')) metadata.add(c.request.slice('metadata.'.length));
    } else if ('subject' in c) {
      if (c.subject.startsWith('attributes.')) attributes.add(c.subject.slice('attributes.'.length));
      else if (c.subject === 'id') subjectId = true;
    }
  };
  for (const rule of doc.rules) visit(rule.when);
  reads = { metadata: [...metadata].sort(), attributes: [...attributes].sort(), subjectId };
  cache.set(doc, reads);
  return reads;
}
