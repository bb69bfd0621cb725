import { createClassifierRegistry, defaultClassifierFactories } from '../../src/classifiers/registry.js';
import type { Decision } from '../../src/decision/decision.js';
import { createPolicyRuntime, type PolicyRuntime } from '../../src/decision/policy-runtime.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { shippedPolicyPath } from '../../src/policy/shipped-policies.js';

export type ShippedPolicyName = 'default' | 'strict';

const registry = createClassifierRegistry(defaultClassifierFactories({}));
const runtimes = new Map<ShippedPolicyName, Promise<PolicyRuntime>>();

/** A shipped policy with the default classifiers, loaded once per test file. */
export function shippedRuntime(name: ShippedPolicyName): Promise<PolicyRuntime> {
  let r = runtimes.get(name);
  if (!r) {
    r = loadPolicy(shippedPolicyPath(name)).then((loaded) => {
      if (!loaded.ok) throw new Error(`policy ${name} invalid`);
      return createPolicyRuntime(loaded.policy, registry);
    });
    runtimes.set(name, r);
  }
  return r;
}

/** The input-stage decision of a shipped policy on `text`. */
export async function decideShipped(name: ShippedPolicyName, text: string): Promise<Decision> {
  return (await shippedRuntime(name)).decide({ text, stage: 'input' });
}
