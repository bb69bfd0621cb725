import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { shippedPolicyPath } from '../../src/policy/shipped-policies.js';
import { createPolicyRuntime } from '../../src/decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../../src/classifiers/registry.js';
import { PolicyTestFileSchema } from '../../src/policy-tests/policy-test-file.js';
import { runPolicyTests } from '../../src/policy-tests/run-policy-tests.js';
import { buildPolicyJsonSchema, buildPolicyTestsJsonSchema } from '../../src/policy/policy-json-schema.js';

const SHIPPED = ['default', 'strict', 'examples/tenant-acme'];

describe.each(SHIPPED)('shipped policy %s', (name) => {
  it('loads without errors or warnings', async () => {
    const result = await loadPolicy(shippedPolicyPath(name));
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('passes its tests, which cover every rule and every reachable unmet code', async () => {
    const result = await loadPolicy(shippedPolicyPath(name));
    if (!result.ok) throw new Error('policy invalid');
    const runtime = createPolicyRuntime(result.policy, createClassifierRegistry(defaultClassifierFactories({})));
    const file = PolicyTestFileSchema.parse(JSON.parse(readFileSync(shippedPolicyPath(`${name}.tests`), 'utf8')));
    const report = await runPolicyTests(result.policy, file, {
      classifiersFor: (stage) => ({ classifiers: runtime.classifiers(stage), ...(runtime.blocklist ? { blocklist: runtime.blocklist } : {}) }),
    });
    const failures = report.results.filter((r) => !r.passed).map((r) => ({ name: r.name, diffs: r.diffs }));
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(10);
    expect(report.coverage.rules.uncovered).toEqual([]);
    expect(report.coverage.unmetCodes.uncovered).toEqual([]);
  });
});

describe('published JSON Schemas', () => {
  it('match the zod types they are generated from (run `npm run schema` after changing them)', () => {
    const policy = JSON.parse(readFileSync(new URL('../../policies/schema/policy.schema.json', import.meta.url), 'utf8'));
    const tests = JSON.parse(readFileSync(new URL('../../policies/schema/policy-tests.schema.json', import.meta.url), 'utf8'));
    expect(policy).toEqual(buildPolicyJsonSchema());
    expect(tests).toEqual(buildPolicyTestsJsonSchema());
  });

  it('is referenced through $schema by every shipped policy', () => {
    for (const name of SHIPPED) {
      const doc = JSON.parse(readFileSync(shippedPolicyPath(name), 'utf8'));
      expect(doc.$schema).toMatch(/schema\/policy\.schema\.json$/);
    }
  });
});
