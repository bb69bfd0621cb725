import type { Decision } from '../decision/decision.js';
import type { PolicyRuntime } from '../decision/policy-runtime.js';
import { buildDecisionFacts } from '../decision/decision-facts.js';
import { decideOnBasis } from '../decision/decide-on-basis.js';
import { policyReads } from '../decision/policy-reads.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import { canonicalJson } from '../util/canonical-json.js';

/** What a live decision was made on, for the candidates to decide on too. */
export interface ShadowInput {
  text: string;
  subject?: SubjectContext | undefined;
  request: RequestAttributes;
  servedTarget?: string | undefined;
  prompt?: string | undefined;
  preceding?: string | undefined;
}

export interface ShadowDecider {
  /** The candidates' decisions on what `live` was decided on; never throws (a failing candidate is left out). */
  decide(live: Decision, input: ShadowInput): Promise<{ decision: Decision; runtime: PolicyRuntime }[]>;
}

/**
 * Decides with candidate policies beside the live one. A candidate that classifies as the live
 * policy does (same classifiers for the stage, same blocklists) decides on the live scores — no
 * second classification; any other classifies the text itself. Nothing here is ever enforced.
 */
export function createShadowDecider(live: PolicyRuntime, candidates: readonly PolicyRuntime[]): ShadowDecider {
  const sameAs = candidates.map((c) => ({
    input: sameClassification(live, c, 'input'),
    output: sameClassification(live, c, 'output'),
  }));
  return {
    async decide(decision, input) {
      const out: { decision: Decision; runtime: PolicyRuntime }[] = [];
      await Promise.all(
        candidates.map(async (runtime, i) => {
          try {
            const stage = decision.stage;
            const facts = decision.facts;
            let d: Decision;
            if (facts && sameAs[i]?.[stage]) {
              const decidedAt = new Date(decision.decidedAt);
              const candidateFacts = buildDecisionFacts(runtime.policy, {
                stage,
                scores: facts.scores,
                blocklistHits: facts.blocklistHits,
                failed: facts.failed,
                request: input.request,
                subject: input.subject,
                servedTarget: input.servedTarget,
                now: decidedAt,
              });
              const subjectId = input.subject?.id != null && policyReads(runtime.policy).subjectId ? input.subject.id : undefined;
              d = decideOnBasis({ stage, decidedAt, facts: candidateFacts, ...(subjectId != null ? { subjectId } : {}) }, runtime.policy, {
                evidence: decision.evidence,
                classifierErrors: decision.classifierErrors,
                ...(decision.verdictOnly ? { verdictOnly: decision.verdictOnly } : {}),
              });
            } else {
              d = await runtime.decide({
                text: input.text,
                stage,
                ...(input.subject ? { subject: input.subject } : {}),
                request: input.request,
                ...(input.servedTarget != null ? { servedTarget: input.servedTarget } : {}),
                ...(input.prompt != null ? { prompt: input.prompt } : {}),
                ...(input.preceding ? { preceding: input.preceding } : {}),
                now: decision.decidedAt,
              });
            }
            out.push({ decision: d, runtime });
          } catch {
            // A candidate never affects live traffic, not even by failing.
          }
        }),
      );
      return out;
    },
  };
}

function sameClassification(a: PolicyRuntime, b: PolicyRuntime, stage: 'input' | 'output'): boolean {
  const ids = (r: PolicyRuntime): string => r.classifiers(stage).map((c) => `${c.id}@${c.version}`).join(',');
  return ids(a) === ids(b) && canonicalJson(a.policy.document.blocklists) === canonicalJson(b.policy.document.blocklists);
}
