import type { JSONObject } from '@ai-sdk/provider';
import type { InputCheck } from '../guard/guard-checks.js';
import type { Decision } from '../decision/decision.js';
import type { BlockInfo } from '../guard/saferoute-info.js';

/** The `saferoute` entry of an AI SDK result's `providerMetadata`: the decisions, never the text. */
export function saferouteMetadata(input: InputCheck, output?: { decision: Decision; blocked?: BlockInfo | undefined; redacted?: readonly string[] }): JSONObject {
  const blocked = output?.blocked ?? input.blocked;
  const warnings = [...new Set([...input.decision.warnings, ...(output?.decision.warnings ?? [])])].sort();
  return {
    inputDecisionId: input.decision.decisionId,
    ...(output ? { outputDecisionId: output.decision.decisionId } : {}),
    ...(input.target != null ? { target: input.target } : {}),
    warnings,
    ...(output?.redacted && output.redacted.length > 0 ? { redacted: [...output.redacted] } : {}),
    ...(blocked
      ? {
          blocked: {
            stage: blocked.stage,
            reason: blocked.reason,
            message: blocked.message,
            decisionId: blocked.decisionId,
            unmet: blocked.unmet.map((u) => ({ code: u.code, target: u.target, detail: u.detail, ...(u.scope != null ? { scope: u.scope } : {}) })),
          },
        }
      : {}),
  };
}
