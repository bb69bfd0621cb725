import type { Decision } from '../decision/decision.js';

/**
 * A copy of `decision` turned into an enforced block by the guard itself, for what the policy
 * could not foresee: the audit record could not be written, a redaction had no span to apply.
 * The rule `guard.REASON` is added to the determining rules so the audit trail says why.
 */
export function failClosedDecision(decision: Decision, reason: string, message: string): Decision {
  return {
    ...decision,
    outcome: 'block',
    effective: { outcome: 'block', ...(decision.target != null ? { target: decision.target } : {}) },
    reason,
    message,
    determiningRules: [...decision.determiningRules, `guard.${reason}`],
  };
}

/** A copy of `decision` with `warning` added (sorted, once). */
export function withWarning(decision: Decision, warning: string): Decision {
  if (decision.warnings.includes(warning)) return decision;
  return { ...decision, warnings: [...decision.warnings, warning].sort() };
}
