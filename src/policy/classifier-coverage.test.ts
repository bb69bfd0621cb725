import { describe, expect, it } from 'vitest';
import { createClassifierRegistry, defaultClassifierFactories } from '../classifiers/registry.js';
import { CLASSIFIER_CATEGORIES } from './classifier-coverage.js';
import { validatePolicyObject } from './load-policy.js';
import { formatPolicyIssue, type PolicyIssue } from './policy-issue.js';
import { KNOWN_CLASSIFIERS } from './semantic-checks.js';

type Doc = Record<string, unknown>;

function policy(classifiers: Doc | undefined, rules: Doc[], extra: Doc = {}): Doc {
  return {
    id: 'p',
    revision: '1',
    ...(classifiers ? { classifiers } : {}),
    targets: {
      sfw: { provider: 'openai', model: 'small' },
      restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 18 } } },
    },
    jurisdictions: { '*': { minimumAge: 18 } },
    rules,
    defaults: { route: 'sfw' },
    ...extra,
  };
}

const block = (id: string, when: unknown, stage = 'input'): Doc => ({ id, description: id, stage, when, effect: { action: 'block', reason: 'r' } });
const route = (id: string, when: unknown, target = 'restricted'): Doc => ({ id, description: id, when, effect: { action: 'route', target, precedence: 50 } });
const minors = { score: 'sexual/minors', gte: 0.3 };

function findings(doc: Doc): { ok: boolean; issues: PolicyIssue[] } {
  const r = validatePolicyObject(doc);
  return r.ok ? { ok: true, issues: r.warnings } : { ok: false, issues: r.issues };
}
const lines = (issues: PolicyIssue[]): string[] => issues.map(formatPolicyIssue);

describe('classifier coverage', () => {
  it('the table matches what the shipped classifiers say they score', () => {
    const registry = createClassifierRegistry(defaultClassifierFactories({}));
    expect(Object.keys(CLASSIFIER_CATEGORIES).sort()).toEqual([...KNOWN_CLASSIFIERS].sort());
    for (const name of KNOWN_CLASSIFIERS) {
      expect([...(CLASSIFIER_CATEGORIES[name] ?? [])].sort(), name).toEqual([...registry.get(name).categories].sort());
    }
  });

  it('a block rule on a category no input classifier scores is an error naming the rule and the category', () => {
    const r = findings(policy({ input: ['pii'] }, [block('block-minors', minors)]));
    expect(r.ok).toBe(false);
    expect(lines(r.issues)).toEqual([
      '<object> /rules/0/when/score: rule `block-minors` blocks on `sexual/minors`, but no input classifier of this policy scores `sexual/minors`: it would never fire on it (hint: add a classifier that scores it to `classifiers.input`: `embedded`, `lexicon`, `linear`, `openai-moderation` or `llama-guard`)',
    ]);
  });

  it('checks output-stage rules against `classifiers.output`, and both stages of a `both` rule', () => {
    const out = findings(policy({ input: ['embedded'], output: ['pii'] }, [block('block-minors', minors, 'both')]));
    expect(out.ok).toBe(false);
    expect(lines(out.issues).join('\n')).toMatch(/rule `block-minors` blocks on `sexual\/minors`, but no output classifier of this policy scores/);
    const both = findings(policy({ input: ['pii'], output: ['pii'] }, [block('block-minors', minors, 'both')]));
    expect(lines(both.issues).join('\n')).toMatch(/no input or output classifier/);
    expect(findings(policy({ input: ['pii'] }, [block('b', minors, 'output')])).ok).toBe(true);
  });

  it('a cascade scores what its first classifier scores', () => {
    expect(findings(policy({ input: ['pii>llama-guard'] }, [block('b', minors)])).ok).toBe(false);
    expect(findings(policy({ input: ['lexicon>llama-guard'] }, [block('b', minors)])).ok).toBe(true);
    // `jailbreak` is not a Llama Guard category.
    expect(findings(policy({ input: ['llama-guard>embedded'] }, [block('b', { score: 'jailbreak', gte: 0.8 })])).ok).toBe(false);
  });

  it('the default classifier (`embedded`) is assumed when the policy names none', () => {
    expect(findings(policy(undefined, [block('b', minors)])).ok).toBe(true);
    expect(lines(findings(policy(undefined, [block('b', { score: 'elections', gte: 0.5 })])).issues).join('\n')).toMatch(/no input classifier .* scores `elections`.*`llama-guard`/);
  });

  it('looks through `any` and `all`: one blind alternative of a block rule is enough to be an error', () => {
    const r = findings(
      policy({ input: ['pii'] }, [block('b', { any: [{ score: 'pii', gte: 0.9 }, { all: [{ request: 'tenant', equals: 'a' }, minors] }] })]),
    );
    expect(r.ok).toBe(false);
    expect(r.issues[0]?.pointer).toBe('/rules/0/when/any/1/all/1/score');
  });

  it('a score under `not` is a warning: the `not` is then always true', () => {
    const r = findings(policy({ input: ['pii'] }, [block('b', { all: [{ score: 'pii', gte: 0.5 }, { not: minors }] })]));
    expect(r.ok).toBe(true);
    expect(lines(r.issues)).toEqual([expect.stringContaining('/rules/0/when/all/1/not/score: warning: no input classifier of this policy scores `sexual/minors`, so this `not` is always true')]);
  });

  it('a route rule that can never fire is an error; one that loses an alternative is a warning', () => {
    const dead = findings(policy({ input: ['pii'] }, [route('adult', { score: 'sexual', gte: 0.5 })]));
    expect(dead.ok).toBe(false);
    expect(lines(dead.issues)).toEqual([expect.stringContaining('/rules/0/when: rule `adult` can never fire at the input stage: no classifier there scores `sexual`')]);
    const partial = findings(policy({ input: ['pii'] }, [route('adult', { any: [{ score: 'sexual', gte: 0.5 }, { request: 'app', equals: 'x' }] })]));
    expect(partial.ok).toBe(true);
    expect(partial.issues.map((i) => i.severity)).toEqual(['warning']);
  });

  it('a redact rule needs its categories scored at the output stage', () => {
    const redact = { id: 'r', description: 'r', stage: 'output', when: { score: 'pii', gte: 0.5 }, effect: { action: 'redact', categories: ['pii'] } };
    const r = findings(policy({ output: ['lexicon'] }, [redact]));
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.pointer)).toEqual(['/rules/0/when/score', '/rules/0/effect/categories/0']);
  });

  it('`blocklist` is scored only when the policy has blocklists', () => {
    const when = { score: 'blocklist', gte: 0.5 };
    expect(findings(policy({ input: ['pii'] }, [block('b', when)])).ok).toBe(false);
    expect(findings(policy({ input: ['pii'] }, [block('b', when)], { blocklists: [{ id: 'x', terms: ['y'] }] })).ok).toBe(true);
  });

  it('unknown classifier names are reported once, without coverage noise', () => {
    const r = findings(policy({ input: ['pi'] }, [block('b', minors)]));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.message).toMatch(/unknown classifier `pi`/);
  });
});
