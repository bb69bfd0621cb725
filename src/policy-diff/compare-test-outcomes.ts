import type { Decision } from '../decision/decision.js';

/** What a policy test case's decision amounts to, for comparing two policies on it. */
export interface CaseOutcome {
  outcome: Decision['outcome'];
  target?: string;
  reason?: string;
  unmet: string[];
  determiningRules: string[];
}

export interface OutcomeChange {
  name: string;
  before: CaseOutcome;
  after: CaseOutcome;
}

export interface OutcomeComparison {
  changed: OutcomeChange[];
  unchanged: number;
}

export function caseOutcome(d: Decision): CaseOutcome {
  return {
    outcome: d.outcome,
    ...(d.target != null ? { target: d.target } : {}),
    ...(d.reason != null ? { reason: d.reason } : {}),
    unmet: [...new Set(d.unmet.map((u) => u.code))].sort(),
    determiningRules: [...d.determiningRules].sort(),
  };
}

/** The same test cases decided under two policies (paired by position): the cases whose outcome, target, reason or unmet codes differ. */
export function compareTestOutcomes(before: readonly { name: string; decision: Decision }[], after: readonly { name: string; decision: Decision }[]): OutcomeComparison {
  const changed: OutcomeChange[] = [];
  let unchanged = 0;
  after.forEach((a, i) => {
    const b = before[i];
    if (!b) return;
    const x = caseOutcome(b.decision);
    const y = caseOutcome(a.decision);
    const same = x.outcome === y.outcome && x.target === y.target && x.reason === y.reason && x.unmet.join() === y.unmet.join();
    if (same) unchanged++;
    else changed.push({ name: a.name, before: x, after: y });
  });
  return { changed, unchanged };
}

/** `route restricted`, `block (unmet_requirements: age_verification_required)`. */
export function describeCaseOutcome(o: CaseOutcome): string {
  if (o.outcome === 'route') return `route ${o.target ?? '?'}`;
  const detail = [o.reason, o.unmet.length ? o.unmet.join(', ') : ''].filter(Boolean).join(': ');
  return detail ? `block (${detail})` : 'block';
}
