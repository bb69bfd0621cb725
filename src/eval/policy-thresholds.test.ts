import { describe, expect, it } from 'vitest';
import type { Rule } from '../policy/policy-schema.js';
import { policyThresholds } from './policy-thresholds.js';

const rule = (id: string, when: Rule['when'], stage: Rule['stage'] = 'input'): Pick<Rule, 'id' | 'stage' | 'when'> => ({ id, stage, when });

describe('policyThresholds', () => {
  it('takes the lowest gte/gt per category over all rules of the stage, nested conditions included', () => {
    const t = policyThresholds(
      [
        rule('adult', { all: [{ score: 'sexual', gte: 0.8 }, { subject: 'ageVerified', equals: true }] }),
        rule('adult-warn', { any: [{ score: 'sexual', gt: 0.5 }, { score: 'violence', gte: 0.7 }] }),
        rule('minors', { score: 'sexual/minors', gte: 0.3 }),
        rule('minors-too', { score: 'sexual/minors', gte: 0.3 }, 'both'),
      ],
      'input',
    );
    expect(t.get('sexual')).toEqual({ value: 0.5, op: 'gt', rules: ['adult-warn'] });
    expect(t.get('violence')).toEqual({ value: 0.7, op: 'gte', rules: ['adult-warn'] });
    expect(t.get('sexual/minors')).toEqual({ value: 0.3, op: 'gte', rules: ['minors', 'minors-too'] });
    expect(t.get('hate')).toBeUndefined();
  });

  it('skips conditions under `not` and rules of the other stage', () => {
    const t = policyThresholds(
      [
        rule('not-hate', { not: { score: 'hate', gte: 0.1 } }),
        rule('output-only', { score: 'violence', gte: 0.2 }, 'output'),
        rule('upper-bound', { score: 'sexual', lte: 0.4 }),
      ],
      'input',
    );
    expect([...t.keys()]).toEqual([]);
    expect(policyThresholds([rule('output-only', { score: 'violence', gte: 0.2 }, 'output')], 'output').get('violence')?.value).toBe(0.2);
  });

  it('prefers gte over gt at the same value, and keeps a threshold of 0', () => {
    const t = policyThresholds([rule('a', { score: 'hate', gt: 0.6 }), rule('b', { score: 'hate', gte: 0.6 }), rule('c', { score: 'pii', gt: 0 })], 'input');
    expect(t.get('hate')).toEqual({ value: 0.6, op: 'gte', rules: ['b'] });
    expect(t.get('pii')).toEqual({ value: 0, op: 'gt', rules: ['c'] });
  });
});
