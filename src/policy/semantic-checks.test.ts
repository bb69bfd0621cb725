import { describe, expect, it } from 'vitest';
import { validatePolicyObject } from './load-policy.js';
import type { PolicyIssue } from './policy-issue.js';

type Doc = Record<string, unknown>;

function policy(overrides: Doc = {}): Doc {
  return {
    id: 'p',
    revision: '1',
    targets: {
      sfw: { provider: 'openai', model: 'small' },
      restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 18 } } },
    },
    jurisdictions: { '*': { minimumAge: 18 } },
    rules: [],
    defaults: { route: 'sfw' },
    ...overrides,
  };
}

function rule(id: string, when: unknown, effect: unknown = { action: 'block', reason: 'r' }, extra: Doc = {}): Doc {
  return { id, description: `rule ${id}`, when, effect, ...extra };
}

function issues(doc: Doc): PolicyIssue[] {
  const result = validatePolicyObject(doc);
  return result.ok ? result.warnings : result.issues;
}

function only(doc: Doc): { pointer: string; message: string; severity: string; hint?: string } {
  const found = issues(doc);
  expect(found, JSON.stringify(found, null, 1)).toHaveLength(1);
  const [i] = found as [PolicyIssue];
  return i.hint != null ? { pointer: i.pointer, message: i.message, severity: i.severity, hint: i.hint } : { pointer: i.pointer, message: i.message, severity: i.severity };
}

describe('semantic checks', () => {
  it('accepts the base policy', () => {
    expect(issues(policy())).toEqual([]);
  });

  describe('rules that can never fire', () => {
    const never = (when: unknown): { pointer: string; message: string } => only(policy({ rules: [rule('r', when)] }));

    it('`gt 1` and `lt 0`', () => {
      expect(never({ score: 'hate', gt: 1 })).toMatchObject({ pointer: '/rules/0/when', message: expect.stringContaining('rule `r` can never fire: no score of `hate` is > 1') });
      expect(never({ score: 'hate', lt: 0 }).message).toContain('can never fire');
    });

    it('a contradictory interval across a nested conjunction', () => {
      const i = never({ all: [{ score: 'sexual', gte: 0.8 }, { all: [{ score: 'hate', gte: 0.1 }, { score: 'sexual', lte: 0.3 }] }] });
      expect(i.message).toBe('rule `r` can never fire: `sexual` cannot be ≥ 0.8 and ≤ 0.3 at once');
    });

    it('bounds meeting at an exclusive end', () => {
      expect(never({ all: [{ score: 'sexual', gte: 0.5 }, { score: 'sexual', lt: 0.5 }] }).message).toContain('can never fire');
      expect(issues(policy({ rules: [rule('r', { all: [{ score: 'sexual', gte: 0.5 }, { score: 'sexual', lte: 0.5 }] })] }))).toEqual([]);
    });

    it('`in: []`, `any: []` and `not` of something always true', () => {
      expect(never({ subject: 'jurisdiction', in: [] })).toMatchObject({ pointer: '/rules/0/when/in', message: expect.stringContaining('`in: []` matches no value') });
      expect(never({ any: [] }).message).toContain('an empty `any` is never true');
      expect(never({ not: { all: [] } }).message).toContain('`not` of a condition that is always true');
    });

    it('an `any` is only dead when every alternative is; a dead alternative is a warning', () => {
      expect(never({ any: [{ score: 'hate', gt: 1 }, { any: [] }] }).message).toContain('none of the alternatives');
      expect(only(policy({ rules: [rule('r', { any: [{ score: 'hate', gte: 0.5 }, { any: [] }] })] }))).toMatchObject({
        pointer: '/rules/0/when/any/1',
        severity: 'warning',
      });
    });

    it('does not confuse different categories', () => {
      expect(issues(policy({ rules: [rule('r', { all: [{ score: 'sexual', gte: 0.8 }, { score: 'hate', lt: 0.5 }] })] }))).toEqual([]);
    });
  });

  it('flags a threshold outside [0, 1] without also calling the rule dead', () => {
    expect(only(policy({ rules: [rule('r', { score: 'hate', lte: -0.1 })] }))).toMatchObject({ pointer: '/rules/0/when/lte', message: 'threshold -0.1 is outside [0, 1]' });
  });

  it('requires a comparison in score, subject and request conditions', () => {
    expect(only(policy({ rules: [rule('r', { score: 'hate' })] })).message).toBe('the score condition on `hate` has no comparison');
    expect(only(policy({ rules: [rule('r', { subject: 'jurisdiction' })] })).message).toBe('the subject condition on `jurisdiction` has no comparison');
    expect(only(policy({ rules: [rule('r', { request: 'tenant' })] })).message).toBe('the request condition on `tenant` has no comparison');
  });

  it('knows the subject and request attributes', () => {
    expect(only(policy({ rules: [rule('r', { subject: 'ageOvr', gte: 18 })] }))).toMatchObject({
      pointer: '/rules/0/when/subject',
      message: 'unknown subject attribute `ageOvr`; did you mean `ageOver`?',
    });
    expect(only(policy({ rules: [rule('r', { request: 'tennant', equals: 'a' })] })).message).toContain('did you mean `tenant`?');
    expect(issues(policy({ rules: [rule('r', { all: [{ subject: 'attributes.vip', equals: true }, { request: 'metadata.channel', exists: true }] })] }))).toEqual([]);
    expect(only(policy({ rules: [rule('r', { subject: 'ageLevel', equals: 'strong' })] })).message).toContain('`strong` is never a value of `ageLevel`');
  });

  it('knows the values of servedTarget and that only the output stage has one', () => {
    const out = (when: unknown, stage = 'output'): Doc => policy({ rules: [rule('r', when, { action: 'block', reason: 'r' }, { stage })] });
    expect(issues(out({ not: { request: 'servedTarget', in: ['restricted', 'sfw'] } }))).toEqual([]);
    expect(only(out({ request: 'servedTarget', equals: 'restriced' }))).toMatchObject({
      pointer: '/rules/0/when/equals',
      message: '`restriced` is never a value of `servedTarget`; did you mean `restricted`?',
    });
    expect(only(out({ request: 'servedTarget', equals: 'sfw' }, 'input'))).toMatchObject({
      pointer: '/rules/0/when/request',
      message: expect.stringContaining('`servedTarget` is set only at the output stage'),
    });
  });

  it('knows the blocklists', () => {
    expect(only(policy({ blocklists: [{ id: 'words', terms: ['x'] }], rules: [rule('r', { blocklist: 'word' })] }))).toMatchObject({
      pointer: '/rules/0/when/blocklist',
      message: 'unknown blocklist `word`; did you mean `words`?',
    });
  });

  it('rejects duplicate rule and blocklist ids', () => {
    const r = rule('same', { score: 'hate', gte: 0.5 });
    expect(only(policy({ rules: [r, r] }))).toMatchObject({ pointer: '/rules/1/id', message: expect.stringContaining('duplicate rule id `same`') });
    const b = { id: 'list', terms: ['x'] };
    expect(only(policy({ blocklists: [b, b] }))).toMatchObject({ pointer: '/blocklists/1/id', message: expect.stringContaining('duplicate blocklist id `list`') });
  });

  it('rejects a route at the output stage', () => {
    const i = only(policy({ rules: [rule('r', { score: 'sexual', gte: 0.5 }, { action: 'route', target: 'restricted', precedence: 1 }, { stage: 'output' })] }));
    expect(i).toMatchObject({ pointer: '/rules/0/stage', message: expect.stringContaining('routing happens before the model is called') });
  });

  it('rejects routes to different targets with the same precedence, but not to the same target', () => {
    const a = rule('a', { score: 'sexual', gte: 0.5 }, { action: 'route', target: 'restricted', precedence: 5 });
    const b = rule('b', { score: 'pii', gte: 0.5 }, { action: 'route', target: 'sfw', precedence: 5 });
    const c = rule('c', { score: 'violence', gte: 0.5 }, { action: 'route', target: 'restricted', precedence: 5 });
    expect(only(policy({ rules: [a, b] }))).toMatchObject({ pointer: '/rules/1/effect/precedence', hint: 'give one a higher precedence' });
    expect(issues(policy({ rules: [a, c] }))).toEqual([]);
  });

  it('checks every reference to a target', () => {
    const found = issues(
      policy({
        targets: {
          sfw: { provider: 'openai', model: 'small' },
          restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 18 } }, onUnmet: { action: 'fallback', target: 'sfww' } },
        },
        jurisdictions: { '*': { minimumAge: 18 }, XX: { deny: ['restricted', 'nsfw'] } },
        defaults: { route: 'safe' },
        rules: [rule('r', { score: 'sexual', gte: 0.5 }, { action: 'route', target: 'restricetd', precedence: 1 })],
      }),
    );
    expect(found.map((i) => i.pointer)).toEqual(['/targets/restricted/onUnmet/target', '/jurisdictions/XX/deny/1', '/rules/0/effect/target', '/defaults/route']);
    expect(found.every((i) => i.message.startsWith('unknown target'))).toBe(true);
  });

  it('rejects a default route with requirements', () => {
    expect(only(policy({ defaults: { route: 'restricted' } }))).toMatchObject({
      pointer: '/defaults/route',
      hint: expect.stringContaining('must be reachable by anyone'),
    });
  });

  it('rejects fallback chains that never end', () => {
    const i = only(
      policy({
        targets: {
          sfw: { provider: 'openai', model: 'small' },
          a: { provider: 'ollama', model: 'm', requirements: { age: { minimum: 18 } }, onUnmet: { action: 'fallback', target: 'b' } },
          b: { provider: 'ollama', model: 'm', requirements: { age: { minimum: 21 } }, onUnmet: { action: 'fallback', target: 'a' } },
        },
      }),
    );
    expect(i).toMatchObject({ pointer: '/targets/a/onUnmet/target', message: 'the fallback chain never ends: `a` → `b` → `a`' });
  });

  it('holds every age to the floor', () => {
    const found = issues(
      policy({
        ageFloor: 18,
        targets: { sfw: { provider: 'openai', model: 'small' }, restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 17 } } } },
        jurisdictions: { '*': { minimumAge: 18 }, GB: { minimumAge: 16 } },
        rules: [rule('r', { score: 'sexual', gte: 0.5 }, { action: 'route', target: 'restricted', precedence: 1, requires: { age: { minimum: 16 } } })],
      }),
    );
    expect(found.map((i) => [i.pointer, i.message])).toEqual([
      ['/targets/restricted/requirements/age/minimum', 'minimum age 17 is below the policy’s ageFloor 18'],
      ['/jurisdictions/GB/minimumAge', '`GB` sets 16, below the policy’s ageFloor 18'],
      ['/rules/0/effect/requires/age/minimum', 'minimum age 16 is below the policy’s ageFloor 18'],
    ]);
  });

  it('requires a `*` jurisdiction row when an age minimum is "jurisdiction"', () => {
    const i = only(
      policy({
        targets: { sfw: { provider: 'openai', model: 'small' }, restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 'jurisdiction' } } } },
        jurisdictions: { GB: { minimumAge: 18 } },
      }),
    );
    expect(i).toMatchObject({ pointer: '/targets/restricted/requirements/age/minimum', severity: 'error', message: expect.stringContaining('needs a `*` row') });
  });

  it('checks message ids', () => {
    expect(only(policy({ rules: [rule('r', { score: 'hate', gte: 0.5 }, { action: 'block', reason: 'hate', message: 'hate-msg' })] }))).toMatchObject({
      pointer: '/rules/0/effect/message',
      message: 'unknown message `hate-msg`',
    });
    // Built-in messages need no definition; defined ones are found.
    expect(issues(policy({ rules: [rule('r', { score: 'hate', gte: 0.5 }, { action: 'block', reason: 'hate', message: 'blocked' })] }))).toEqual([]);
    expect(issues(policy({ messages: { nope: 'No.' }, output: { onBlock: 'replace', replacement: 'nope' } }))).toEqual([]);
    expect(only(policy({ output: { onBlock: 'replace' } })).message).toContain('needs a `replacement`');
  });

  it('checks classifier names and cascades', () => {
    expect(issues(policy({ classifiers: { input: ['embedded', 'lexicon>openai-moderation'], output: ['llama-guard'] } }))).toEqual([]);
    expect(only(policy({ classifiers: { input: ['lexicon>open-ai-moderation'] } }))).toMatchObject({
      pointer: '/classifiers/input/0',
      message: 'unknown classifier `open-ai-moderation`; did you mean `openai-moderation`?',
    });
    expect(only(policy({ classifiers: { output: ['Lexicon'] } })).message).toContain('is not a classifier name or cascade');
  });

  it('does not run semantic checks on a document that failed the schema', () => {
    const found = issues(policy({ mode: 'enforcing', defaults: { route: 'nowhere' } }));
    expect(found.map((i) => i.pointer)).toEqual(['/mode']);
  });
});
