import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy, validatePolicyObject } from './load-policy.js';
import type { PolicyLoadResult } from './build-policy.js';
import type { ResolvedPolicy } from './policy.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saferoute-merge-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, unknown>;

function base(overrides: Doc = {}): Doc {
  return {
    id: 'base',
    revision: '1',
    targets: {
      sfw: { provider: 'openai', model: 'small' },
      restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 'jurisdiction' } } },
    },
    jurisdictions: { '*': { minimumAge: 18 }, KR: { minimumAge: 19 } },
    rules: [],
    defaults: { route: 'sfw' },
    ...overrides,
  };
}

function withBase(baseDoc: Doc, child: Doc, name = 'base.json'): PolicyLoadResult {
  writeFileSync(path.join(dir, name), JSON.stringify(baseDoc, null, 2));
  return validatePolicyObject({ extends: name, ...child }, { baseDir: dir });
}

function merged(result: PolicyLoadResult): ResolvedPolicy {
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.file} ${i.pointer}: ${i.message}`).join('\n'));
  return result.policy.document;
}

const restrictedAge = (minimum: unknown, extra: Doc = {}): Doc => ({
  targets: { restricted: { requirements: { age: { minimum, ...extra } } } },
});

describe('extends merge', () => {
  it('keeps a number above every jurisdiction minimum, and "jurisdiction" when every row is at least the number', () => {
    expect(merged(withBase(base(), restrictedAge(21))).targets['restricted']?.requirements.age?.minimum).toBe(21);
    expect(merged(withBase(base(), restrictedAge(18))).targets['restricted']?.requirements.age?.minimum).toBe('jurisdiction');
  });

  it('refuses a number that falls between jurisdiction minimums, rather than loosen either', () => {
    // 19 is ≥ every row (18, 19): kept.
    expect(merged(withBase(base(), restrictedAge(19))).targets['restricted']?.requirements.age?.minimum).toBe(19);
    const between = withBase(base({ jurisdictions: { '*': { minimumAge: 18 }, KR: { minimumAge: 21 } } }), restrictedAge(19));
    expect(between.ok).toBe(false);
    if (between.ok) return;
    expect(between.issues).toHaveLength(1);
    expect(between.issues[0]).toMatchObject({ file: '<object>', pointer: '/targets/restricted/requirements/age/minimum' });
    expect(between.issues[0]?.message).toContain('range from 18 to 21');
  });

  it('never lets a child lower the assurance level below what the base implied', () => {
    const noLevel = base({ targets: { sfw: { provider: 'openai', model: 'small' }, restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 18 } } } } });
    expect(merged(withBase(noLevel, restrictedAge(18, { level: 'asserted' }))).targets['restricted']?.requirements.age?.level).toBe('standard');
    expect(merged(withBase(noLevel, restrictedAge(18, { level: 'strict' }))).targets['restricted']?.requirements.age?.level).toBe('strict');
  });

  it('reports methods that the base and the child do not share', () => {
    const b = base({
      targets: { sfw: { provider: 'openai', model: 'small' }, restricted: { provider: 'ollama', model: 'adult', requirements: { age: { minimum: 18, methods: ['credit_card'] } } } },
    });
    const result = withBase(b, restrictedAge(18, { methods: ['photo_id_match'] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain('no verification method of target `restricted`');
  });

  it('holds a region the child adds to the base `*` row, and a region the base lists to the child `*` row', () => {
    const b = base({ jurisdictions: { '*': { minimumAge: 18, level: 'enhanced', deny: ['restricted'] }, KR: { minimumAge: 19 } } });
    const doc = merged(withBase(b, { jurisdictions: { '*': { minimumAge: 18, maxAgeDays: 30 }, GB: { minimumAge: 18 } } }));
    // GB had the base's `*` row; in the child it has its own row (without the child's `*` maxAgeDays).
    expect(doc.jurisdictions['GB']).toEqual({ minimumAge: 18, level: 'enhanced', deny: ['restricted'] });
    expect(doc.jurisdictions['KR']).toEqual({ minimumAge: 19, maxAgeDays: 30 });
    expect(doc.jurisdictions['*']).toEqual({ minimumAge: 18, level: 'enhanced', maxAgeDays: 30, deny: ['restricted'] });
  });

  it('takes the higher age floor and the stricter onClassifierError, and warns when a child asks for less', () => {
    const b = base({ ageFloor: 18, defaults: { route: 'sfw', onClassifierError: 'strictest' } });
    const tighter = withBase(b, { ageFloor: 21, defaults: { route: 'sfw', onClassifierError: 'block' }, jurisdictions: { '*': { minimumAge: 21 }, KR: { minimumAge: 21 } } });
    expect(merged(tighter).ageFloor).toBe(21);
    expect(merged(tighter).defaults.onClassifierError).toBe('block');
    const looser = withBase(base({ defaults: { route: 'sfw' } }), { defaults: { route: 'sfw', onClassifierError: 'strictest' } });
    expect(merged(looser).defaults.onClassifierError).toBe('block');
    expect(looser.ok && looser.warnings[0]?.message).toContain('less strict than the base policy’s `block` (its default)');
  });

  it('lets the child set monitor mode, with a warning', () => {
    const result = withBase(base({ mode: 'enforce' }), { mode: 'monitor' });
    expect(merged(result).mode).toBe('monitor');
    expect(result.ok && result.warnings.map((w) => w.pointer)).toEqual(['/mode']);
  });

  it('merges messages by key, and output and classifiers key by key', () => {
    const b = base({ messages: { a: 'A', b: 'B' }, output: { onBlock: 'replace', replacement: 'a' }, classifiers: { input: ['lexicon'], output: ['lexicon'] } });
    const doc = merged(withBase(b, { messages: { b: 'B2' }, output: { streaming: { holdBackChars: 50 } }, classifiers: { output: ['llama-guard'] } }));
    expect(doc.messages).toEqual({ a: 'A', b: 'B2' });
    expect(doc.output).toEqual({ onBlock: 'replace', replacement: 'a', streaming: { mode: 'hold-back', holdBackChars: 50, checkEveryChars: 200 } });
    expect(doc.classifiers).toEqual({ input: ['lexicon'], output: ['llama-guard'] });
  });

  it('reports problems in a grandparent at its own file and line through a three-level chain', async () => {
    writeFileSync(
      path.join(dir, 'grand.json'),
      JSON.stringify(base({ rules: [{ id: 'g', description: 'g', when: { score: 'hate', gte: 0.5 }, effect: { action: 'route', target: 'sfw', precedence: 3 } }] }), null, 2),
    );
    writeFileSync(path.join(dir, 'middle.json'), JSON.stringify({ extends: 'grand.json', id: 'middle', revision: '1' }, null, 2));
    writeFileSync(
      path.join(dir, 'top.json'),
      JSON.stringify(
        { extends: './middle.json', id: 'top', revision: '1', rules: [{ id: 't', description: 't', when: { score: 'pii', gte: 0.5 }, effect: { action: 'route', target: 'restricted', precedence: 3 } }] },
        null,
        2,
      ),
    );
    const result = await loadPolicy(path.join(dir, 'top.json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // The clash is reported on the later rule (in top.json); the id check for both comes from their own files.
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ file: path.join(dir, 'top.json'), pointer: '/rules/0/effect/precedence' });
    expect(result.issues[0]?.line).toBeGreaterThan(1);

    writeFileSync(path.join(dir, 'top.json'), JSON.stringify({ extends: './middle.json', id: 'top', revision: '1' }));
    const ok = await loadPolicy(path.join(dir, 'top.json'));
    if (!ok.ok) throw new Error('expected valid');
    expect(ok.policy.sources.map((s) => path.basename(s))).toEqual(['top.json', 'middle.json', 'grand.json']);
    expect(ok.policy.id).toBe('top');
  });

  it('points an issue found after merging at the base file that holds the part', async () => {
    const text = JSON.stringify(base({ defaults: { route: 'restricted' } }), null, 2);
    writeFileSync(path.join(dir, 'bad-base.json'), text);
    writeFileSync(path.join(dir, 'child.json'), JSON.stringify({ extends: 'bad-base.json', id: 'c', revision: '1' }, null, 2));
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"route": "restricted"')) + 1;
    const column = (lines[line - 1] ?? '').indexOf('"restricted"') + 1;
    const result = await loadPolicy(path.join(dir, 'child.json'));
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues.map((i) => [path.basename(i.file), i.pointer, i.line, i.column])).toEqual([['bad-base.json', '/defaults/route', line, column]]);
  });
});
