import { describe, expect, it } from 'vitest';
import { conditionInWords, effectInWords, jurisdictionInWords, requirementsInWords } from '../../src/console/policy-words.js';

describe('a policy in words', () => {
  it('says requirements as the engine reads them', () => {
    expect(requirementsInWords({ age: { minimum: 21 } })).toBe('age at least 21, verified at assurance level standard');
    expect(requirementsInWords({ age: { minimum: 'jurisdiction', level: 'strict', methods: ['photo_id_match'], maxAgeDays: 30 }, consent: [{ scope: 'adult-content', minVersion: '2.0.0' }] })).toBe(
      'age at least the minimum age of the subject’s jurisdiction, verified at assurance level strict by photo_id_match, no older than 30 days; consent to `adult-content` in version 2.0.0 or later',
    );
    expect(requirementsInWords({ consent: [] })).toBe('none');
  });

  it('says conditions and effects with their thresholds', () => {
    expect(conditionInWords({ all: [{ score: 'sexual', gte: 0.5 }, { not: { request: 'servedTarget', equals: 'restricted' } }] })).toBe(
      'the `sexual` score is at least 0.5 and not (the request’s `servedTarget` equals "restricted")',
    );
    expect(conditionInWords({ any: [{ blocklist: 'slurs' }, { subject: 'attributes.plan', in: ['free', 'trial'] }] })).toBe('either the text hits blocklist `slurs`, or the subject’s `attributes.plan` is one of ["free","trial"]');
    expect(effectInWords({ action: 'route', target: 'restricted', precedence: 90, requires: { age: { minimum: 18, level: 'enhanced' } } })).toBe(
      'route to `restricted` (precedence 90), which then also requires age at least 18, verified at assurance level enhanced',
    );
    expect(jurisdictionInWords({ minimumAge: 19, deny: ['restricted'] })).toBe('minimum age 19; no `restricted`');
  });
});
