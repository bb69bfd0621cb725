import { describe, expect, it } from 'vitest';
import { validatePolicySchema, type SchemaFinding } from './validate-policy-schema.js';

function doc(rule: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'p',
    revision: '1',
    targets: { sfw: { provider: 'openai', model: 'm' } },
    rules: [{ id: 'r', description: 'd', when: { score: 'hate', gte: 0.5 }, effect: { action: 'block', reason: 'x' }, ...rule }],
    defaults: { route: 'sfw' },
    ...extra,
  };
}

const brief = (f: SchemaFinding): [string, string, string] => [f.pointer, f.kind, f.message];

describe('validatePolicySchema', () => {
  it('accepts a valid document', () => {
    expect(validatePolicySchema(doc())).toEqual([]);
  });

  it('explains a union by the branch the author meant, not by every branch', () => {
    const findings = validatePolicySchema(doc({ when: { all: [{ score: 'hate', gte: 0.5, thresold: 1 }, { not: { subject: 5, equals: 'x' } }] } }));
    expect(findings.map(brief)).toEqual([
      ['/rules/0/when/all/0/thresold', 'key', 'unknown property `thresold`'],
      ['/rules/0/when/all/1/not/subject', 'value', 'expected a string, found `5`'],
    ]);
    expect(findings[0]?.hint).toBe('allowed here: `score`, `gte`, `gt`, `lte` or `lt`');
  });

  it('picks the effect branch by its action', () => {
    expect(validatePolicySchema(doc({ effect: { action: 'route', target: 'sfw' } })).map(brief)).toEqual([
      ['/rules/0/effect', 'container', 'missing required property `precedence`'],
    ]);
    expect(validatePolicySchema(doc({ effect: { action: 'rout', target: 'sfw' } })).map(brief)).toEqual([
      ['/rules/0/effect/action', 'value', 'unknown action `rout`; did you mean `route`?'],
    ]);
    expect(validatePolicySchema(doc({ effect: { reason: 'x' } })).map(brief)).toEqual([
      ['/rules/0/effect', 'container', 'missing required property `action`'],
    ]);
  });

  it('names the condition forms when none fits', () => {
    expect(validatePolicySchema(doc({ when: { scor: 'hate', gte: 0.5 } })).map(brief)).toEqual([
      ['/rules/0/when/scor', 'key', 'unknown property `scor`; did you mean `score`?'],
    ]);
    expect(validatePolicySchema(doc({ when: { gte: 0.5 } }))[0]?.message).toBe(
      'expected one of the properties `score`, `subject`, `request`, `blocklist`, `all`, `any` or `not`',
    );
    expect(validatePolicySchema(doc({ when: { score: 'hate', subject: 'id' } }))[0]?.message).toContain('this one has `score` and `subject`');
    expect(validatePolicySchema(doc({ when: 'hate' }))[0]?.message).toContain('expected an object with one of `score`');
  });

  it('suggests categories, levels and methods', () => {
    expect(validatePolicySchema(doc({ when: { score: 'sexual/minor', gte: 0.5 } }))[0]?.message).toBe(
      'unknown category `sexual/minor`; did you mean `sexual/minors`?',
    );
    const targets = {
      sfw: { provider: 'openai', model: 'm' },
      r: { provider: 'ollama', model: 'm', requirements: { age: { minimum: 'jurisdicton', level: 'enhancd', methods: ['photo_id'] } } },
    };
    expect(validatePolicySchema(doc({}, { targets })).map((f) => f.message)).toEqual([
      'unknown assurance level `enhancd`; did you mean `enhanced`?',
      'unknown verification method `photo_id`; did you mean `photo_id_match`?',
      'expected `"jurisdiction"`, found the string `"jurisdicton"`',
    ]);
  });

  it('explains property names and patterns', () => {
    const findings = validatePolicySchema(doc({}, { id: 'My Policy', jurisdictions: { uk: {} }, targets: { Sfw: { provider: 'openai', model: 'm', apiKeyEnv: 'sk-abc' } } }));
    expect(findings.map(brief)).toEqual([
      ['/id', 'value', '`My Policy` is not a valid id'],
      ['/targets/Sfw', 'key', '`Sfw` is not a valid name'],
      ['/targets/Sfw/apiKeyEnv', 'value', '`sk-abc` is not an environment variable name'],
      ['/jurisdictions/uk', 'key', '`uk` is not a region code; did you mean `UK`?'],
    ]);
  });

  it('reports a type once, not also as an enum failure', () => {
    expect(validatePolicySchema(doc({ stage: 3 })).map(brief)).toEqual([['/rules/0/stage', 'value', 'expected a string, found `3`']]);
  });

  it('reports missing properties at their object', () => {
    expect(validatePolicySchema({ id: 'p', revision: '1', targets: {}, rules: [] }).map(brief)).toEqual([['', 'container', 'missing required property `defaults`']]);
    expect(validatePolicySchema([]).map(brief)).toEqual([['', 'value', 'expected an object, found an array']]);
  });
});
