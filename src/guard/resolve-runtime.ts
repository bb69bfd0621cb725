import { createPolicyRuntime, type ClassifierResolver, type PolicyRuntime } from '../decision/policy-runtime.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { Category } from '../taxonomy/categories.js';
import type { RequireSignedPoliciesOptions } from '../policy-signing/require-signed-policy.js';

export type Env = Readonly<Record<string, string | undefined>>;

// One built-in registry per environment object: every guard of a host that passes no classifiers
// shares its instances (the embedded model is loaded once, remote clients and caches are shared).
const sharedRegistries = new WeakMap<Env, Promise<ClassifierResolver>>();

/** The built-in classifier registry for `env`, shared by every guard created over the same `env`. */
export function sharedClassifierRegistry(env: Env): Promise<ClassifierResolver> {
  let registry = sharedRegistries.get(env);
  if (!registry) {
    // Loaded lazily: the built-in registry pulls in the embedded models only when it is needed.
    registry = import('../classifiers/registry.js').then(({ createClassifierRegistry, defaultClassifierFactories }) =>
      createClassifierRegistry(defaultClassifierFactories(env)),
    );
    sharedRegistries.set(env, registry);
  }
  return registry;
}

/** A policy file, a loaded policy or a runtime, bound to its classifiers. */
export async function resolveRuntime(
  policy: string | EvaluablePolicy | PolicyRuntime,
  classifiers: ClassifierResolver | undefined,
  env: Env,
  wrapResolver: (resolver: ClassifierResolver) => ClassifierResolver = (r) => r,
  requireSigned?: RequireSignedPoliciesOptions,
): Promise<PolicyRuntime> {
  if (isPolicyRuntime(policy)) return requireSigned ? signedRuntime(policy, requireSigned) : policy;
  let evaluable: EvaluablePolicy;
  const resolver = classifiers ?? (await sharedClassifierRegistry(env));
  if (typeof policy === 'string') {
    const { loadPolicyOrThrow } = await import('../policy/load-policy.js');
    evaluable = await loadPolicyOrThrow(policy, { classifiers: await customClassifierCategories(resolver) });
  } else evaluable = policy;
  if (requireSigned) {
    // Verified once, here, at load: a decision only carries the signer.
    const { requireSignedPolicy, policyFileOf } = await import('../policy-signing/require-signed-policy.js');
    evaluable = await requireSignedPolicy(evaluable, typeof policy === 'string' ? policy : policyFileOf(evaluable), requireSigned);
  }
  return createPolicyRuntime(evaluable, wrapResolver(resolver));
}

/** A runtime bound elsewhere, its policy's signature checked and its decisions stamped with the signer. */
async function signedRuntime(runtime: PolicyRuntime, options: RequireSignedPoliciesOptions): Promise<PolicyRuntime> {
  const { requireSignedPolicy, policyFileOf } = await import('../policy-signing/require-signed-policy.js');
  const { withSignedBy } = await import('../decision/policy-runtime.js');
  const policy = await requireSignedPolicy(runtime.policy, policyFileOf(runtime.policy), options);
  const signedBy = policy.signedBy;
  return {
    policy,
    blocklist: runtime.blocklist,
    classifiers: (stage) => runtime.classifiers(stage),
    decide: async (input, o) => withSignedBy(await runtime.decide(input, o), signedBy),
  };
}

/**
 * What the resolver's own classifiers (those not built in) score, so a policy file may name them
 * and still have its rules' coverage checked. Only a registry can list its names.
 */
async function customClassifierCategories(resolver: ClassifierResolver): Promise<Record<string, readonly Category[]>> {
  const names = (resolver as { names?: () => string[] }).names?.() ?? [];
  const { CLASSIFIER_CATEGORIES } = await import('../policy/classifier-coverage.js');
  const out: Record<string, readonly Category[]> = {};
  for (const name of names) if (!(name in CLASSIFIER_CATEGORIES)) out[name] = resolver.get(name).categories;
  return out;
}

export function isPolicyRuntime(value: unknown): value is PolicyRuntime {
  return typeof value === 'object' && value !== null && typeof (value as PolicyRuntime).decide === 'function' && typeof (value as PolicyRuntime).classifiers === 'function';
}
