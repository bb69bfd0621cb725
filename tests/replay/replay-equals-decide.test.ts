import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { shippedPolicyPath } from '../../src/policy/shipped-policies.js';
import { createPolicyRuntime } from '../../src/decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../../src/classifiers/registry.js';
import { PolicyTestFileSchema } from '../../src/policy-tests/policy-test-file.js';
import { runPolicyTests } from '../../src/policy-tests/run-policy-tests.js';
import { createAuditEvent } from '../../src/audit/create-audit-event.js';
import { decideOnBasis } from '../../src/decision/decide-on-basis.js';
import { requestFromFacts, subjectFromFacts } from '../../src/decision/decision-facts.js';
import type { DecisionAuditBody } from '../../src/audit/audit-event.js';
import type { Decision } from '../../src/decision/decision.js';
import { TEST_HMAC_KEYS } from '../audit/fixtures.js';

const SHIPPED = ['default', 'strict', 'examples/tenant-acme'];

/** Everything the policy decided, beside ids, times and classifier details. */
function verdictOf(d: Decision) {
  return {
    outcome: d.outcome,
    target: d.target ?? null,
    effective: d.effective,
    reason: d.reason ?? null,
    message: d.message ?? null,
    determiningRules: d.determiningRules,
    matchedRules: d.matchedRules,
    unmet: d.unmet,
    warnings: d.warnings,
    redact: d.redact ?? null,
    subject: d.subject ?? null,
    scores: d.scores,
  };
}

describe.each(SHIPPED)('replay of shipped policy %s test cases', (name) => {
  it('equals a fresh decide, from the recorded facts alone and from the text', async () => {
    const loaded = await loadPolicy(shippedPolicyPath(name));
    if (!loaded.ok) throw new Error('policy invalid');
    const policy = loaded.policy;
    const runtime = createPolicyRuntime(policy, createClassifierRegistry(defaultClassifierFactories({})));
    const file = PolicyTestFileSchema.parse(JSON.parse(readFileSync(shippedPolicyPath(`${name}.tests`), 'utf8')));
    const report = await runPolicyTests(policy, file, {
      classifiersFor: (stage) => ({ classifiers: runtime.classifiers(stage), ...(runtime.blocklist ? { blocklist: runtime.blocklist } : {}) }),
    });
    expect(report.results.length).toBe(file.cases.length);
    let viaText = 0;
    for (const [i, result] of report.results.entries()) {
      const fresh = result.decision;
      const c = file.cases[i];
      if (!c) throw new Error('case missing');
      // As the audit trail keeps it: the record's JSON, read back.
      const body = JSON.parse(JSON.stringify(createAuditEvent(fresh, { keys: TEST_HMAC_KEYS, text: c.text ?? '', textMode: 'full' }))) as DecisionAuditBody;
      expect(body.facts, c.name).toBeDefined();
      const facts = body.facts as NonNullable<DecisionAuditBody['facts']>;
      const replayed = decideOnBasis({ stage: body.stage, decidedAt: new Date(body.decidedAt), facts }, policy);
      expect(verdictOf(replayed), `${name}: ${c.name} (facts)`).toEqual(verdictOf(fresh));

      // The text path: the text classified again, with the subject and request the facts hold.
      if (c.text === undefined || c.classifierFails || c.scores) continue;
      const subject = subjectFromFacts(facts.subject);
      const again = await runtime.decide({
        text: body.text?.mode === 'full' ? body.text.value : '',
        stage: body.stage,
        ...(subject ? { subject } : {}),
        request: requestFromFacts(facts.request),
        ...(facts.request.servedTarget != null ? { servedTarget: facts.request.servedTarget } : {}),
        now: body.decidedAt,
      });
      expect(verdictOf(again), `${name}: ${c.name} (text)`).toEqual(verdictOf(fresh));
      viaText++;
    }
    // Every case given as text took the text path too.
    expect(viaText).toBe(file.cases.filter((c) => c.text !== undefined && !c.classifierFails && !c.scores).length);
    expect(viaText).toBeGreaterThan(0);
  });
});
