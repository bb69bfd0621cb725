import type { Classifier } from '../classifiers/classifier.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { DEFAULT_STAGE_CLASSIFIERS } from '../policy/classifier-coverage.js';
import { createLexiconClassifier } from '../classifiers/lexicon/index.js';
import { decide, type DecideOptions } from './decide.js';
import type { Decision, Stage } from './decision.js';
import type { DecisionInput } from './decision-input.js';

/** `plain` below copies the options by name: an option added to DecideOptions fails to compile here until it copies that one too. */
const everyOptionCopied: [Exclude<keyof DecideOptions, 'classifiers' | 'blocklist' | 'signal' | 'trace'>] extends [never] ? true : never = true;
void everyOptionCopied;

/** Resolves a classifier name or cascade spec from a policy (`embedded`, `embedded>llama-guard`). */
export interface ClassifierResolver {
  get(nameOrSpec: string): Classifier;
}

/** A policy bound to the classifiers it names: what the CLI, policy tests and the guard decide with. */
export interface PolicyRuntime {
  readonly policy: EvaluablePolicy;
  classifiers(stage: Stage): readonly Classifier[];
  /** The policy's blocklists compiled into one matcher, when it has any. */
  readonly blocklist: Classifier | undefined;
  decide(input: DecisionInput, options?: Omit<DecideOptions, 'classifiers' | 'blocklist'>): Promise<Decision>;
}

/**
 * Resolves the policy's classifiers once (an unknown name throws here, at load time, not on the
 * first request) and compiles its blocklists.
 */
export function createPolicyRuntime(policy: EvaluablePolicy, resolver: ClassifierResolver): PolicyRuntime {
  const doc = policy.document;
  const byStage: Record<Stage, readonly Classifier[]> = {
    input: (doc.classifiers.input ?? DEFAULT_STAGE_CLASSIFIERS).map((n) => resolver.get(n)),
    output: (doc.classifiers.output ?? DEFAULT_STAGE_CLASSIFIERS).map((n) => resolver.get(n)),
  };
  const lists = doc.blocklists;
  const blocklist = lists.length > 0 ? createLexiconClassifier({ lexicons: [], blocklists: lists.map((b) => ({ id: b.id, terms: b.terms })) }) : undefined;
  // Built by assignment, not `{ ...options, classifiers, … }`: on Node 20 an object literal that
  // opens with a spread and then names a property costs about 1 µs, and this runs twice a request.
  const plain = (input: DecisionInput, options: Omit<DecideOptions, 'classifiers' | 'blocklist'> = {}): Promise<Decision> => {
    const full: DecideOptions = { classifiers: byStage[input.stage ?? 'input'] };
    if (options.signal) full.signal = options.signal;
    if (options.trace) full.trace = options.trace;
    if (blocklist) full.blocklist = blocklist;
    return decide(input, policy, full);
  };
  // A signed policy's signer was verified once, at load; each decision only carries it.
  const signedBy = policy.signedBy;
  return {
    policy,
    blocklist,
    classifiers: (stage) => byStage[stage],
    decide: signedBy ? async (input, options) => withSignedBy(await plain(input, options), signedBy) : plain,
  };
}

/** The decision with who signed its policy. */
export function withSignedBy(decision: Decision, signedBy: NonNullable<EvaluablePolicy['signedBy']>): Decision {
  return { ...decision, policy: { ...decision.policy, signedBy: { ...signedBy } } };
}
