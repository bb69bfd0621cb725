import type { PolicyDocument } from './policy-schema.js';
import type { ResolvedPolicy, ResolvedRule, ResolvedTarget } from './policy.js';

/** Streaming output is held back this many characters before release, and checked this often. */
export const DEFAULT_STREAMING = { mode: 'hold-back', holdBackChars: 200, checkEveryChars: 200 } as const;

/** The latest user turn with four earlier turns; the system prompt only when asked; every field the model reads. */
export const DEFAULT_INPUT = { historyMessages: 4, includeSystem: false, extraText: 'classify' } as const;

/**
 * Fills every default so the engine never has to guess: enforce mode, fail closed on classifier
 * errors (`block`) and on an unusable jurisdiction (`strictest`), rules at the input stage, block on unmet requirements, refuse blocked output,
 * hold back streaming output, keep only a digest of text in the audit log.
 */
export function resolvePolicyDefaults(doc: PolicyDocument): ResolvedPolicy {
  const targets: Record<string, ResolvedTarget> = {};
  for (const [name, t] of Object.entries(doc.targets)) {
    const target: ResolvedTarget = {
      ...t,
      requirements: { ...(t.requirements?.age ? { age: t.requirements.age } : {}), consent: t.requirements?.consent ?? [] },
      onUnmet: t.onUnmet ?? { action: 'block' },
    };
    targets[name] = target;
  }
  const rules: ResolvedRule[] = doc.rules.map((r) => ({ ...r, stage: r.stage ?? 'input', warnings: r.warnings ?? [] }));
  const output: ResolvedPolicy['output'] = {
    onBlock: doc.output?.onBlock ?? 'refuse',
    streaming: {
      mode: doc.output?.streaming?.mode ?? DEFAULT_STREAMING.mode,
      holdBackChars: doc.output?.streaming?.holdBackChars ?? DEFAULT_STREAMING.holdBackChars,
      checkEveryChars: doc.output?.streaming?.checkEveryChars ?? DEFAULT_STREAMING.checkEveryChars,
    },
  };
  if (doc.output?.replacement != null) output.replacement = doc.output.replacement;
  const classifiers: ResolvedPolicy['classifiers'] = {};
  if (doc.classifiers?.input) classifiers.input = doc.classifiers.input;
  if (doc.classifiers?.output) classifiers.output = doc.classifiers.output;

  return {
    id: doc.id,
    revision: doc.revision,
    ...(doc.description != null ? { description: doc.description } : {}),
    mode: doc.mode ?? 'enforce',
    ...(doc.ageFloor != null ? { ageFloor: doc.ageFloor } : {}),
    classifiers,
    targets,
    jurisdictions: doc.jurisdictions ?? {},
    blocklists: doc.blocklists ?? [],
    rules,
    defaults: {
      route: doc.defaults.route,
      onClassifierError: doc.defaults.onClassifierError ?? 'block',
      unknownJurisdiction: doc.defaults.unknownJurisdiction ?? 'strictest',
    },
    output,
    input: {
      historyMessages: doc.input?.historyMessages ?? DEFAULT_INPUT.historyMessages,
      includeSystem: doc.input?.includeSystem ?? DEFAULT_INPUT.includeSystem,
      extraText: doc.input?.extraText ?? DEFAULT_INPUT.extraText,
    },
    audit: { text: doc.audit?.text ?? 'digest' },
    messages: doc.messages ?? {},
  };
}
