import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePolicyObjectOrThrow, loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import { diffPolicies } from '../../src/policy-diff/diff-policies.js';
import { formatPolicyDiff } from '../../src/policy-diff/format-policy-diff.js';
import type { PolicyChange } from '../../src/policy-diff/policy-change.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function base(): Doc {
  const doc = JSON.parse(readFileSync(defaultPath, 'utf8')) as Doc;
  delete doc['$schema'];
  return doc;
}
const rule = (d: Doc, id: string): Doc => d['rules'].find((r: Doc) => r['id'] === id);

/** The changes from the default policy to the default policy edited by `edit`. */
function changesAfter(edit: (d: Doc) => void): PolicyChange[] {
  const before = validatePolicyObjectOrThrow(base());
  const doc = base();
  edit(doc);
  return diffPolicies(before, validatePolicyObjectOrThrow(doc)).changes;
}

/** The one change an edit makes (fails when it makes none or several). */
function onlyChange(edit: (d: Doc) => void): PolicyChange {
  const changes = changesAfter(edit);
  expect(changes, JSON.stringify(changes, null, 1)).toHaveLength(1);
  return changes[0] as PolicyChange;
}

describe('diffPolicies: equality', () => {
  it('finds nothing between a policy and itself, nor when only rule order and formatting differ', () => {
    const same = diffPolicies(validatePolicyObjectOrThrow(base()), validatePolicyObjectOrThrow(base()));
    expect(same.equal).toBe(true);
    expect(same.changes).toEqual([]);
    const reordered = base();
    reordered['rules'].reverse();
    const diff = diffPolicies(validatePolicyObjectOrThrow(base()), validatePolicyObjectOrThrow(reordered));
    expect(diff.old.sha256).not.toBe(diff.new.sha256);
    expect(diff.equal).toBe(true);
    expect(formatPolicyDiff(diff)).toContain('no semantic differences');
  });
  it('compares resolved policies: a defaulted value written out is no change, extends is merged', () => {
    expect(changesAfter((d) => (d['defaults'].unknownJurisdiction = 'strictest'))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'diff-extends-'));
    try {
      writeFileSync(join(dir, 'base.json'), JSON.stringify(base()));
      writeFileSync(join(dir, 'product.json'), JSON.stringify({ extends: './base.json', id: 'default', revision: base()['revision'] }));
      const flat = validatePolicyObjectOrThrow(base());
      const viaExtends = validatePolicyObjectOrThrow(JSON.parse(readFileSync(join(dir, 'product.json'), 'utf8')), { baseDir: dir });
      expect(diffPolicies(flat, viaExtends).equal).toBe(true);
      // A base change shows through the product policy.
      const b = base();
      rule(b, 'block-jailbreak')['when'].gte = 0.9;
      writeFileSync(join(dir, 'base.json'), JSON.stringify(b));
      const changed = validatePolicyObjectOrThrow({ extends: './base.json', id: 'default', revision: base()['revision'] }, { baseDir: dir });
      const diff = diffPolicies(flat, changed);
      expect(diff.changes).toMatchObject([{ section: 'rules', kind: 'threshold', item: 'block-jailbreak', before: 0.8, after: 0.9, direction: 'looser' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diffPolicies: rules', () => {
  it('a block rule threshold lowered is stricter, raised looser', () => {
    expect(onlyChange((d) => (rule(d, 'block-jailbreak')['when'].gte = 0.6))).toMatchObject({
      section: 'rules', kind: 'threshold', item: 'block-jailbreak', field: 'jailbreak gte', path: 'rules[block-jailbreak].when.gte', before: 0.8, after: 0.6, match: 'broader', direction: 'stricter',
    });
    expect(onlyChange((d) => (rule(d, 'block-jailbreak')['when'].gte = 0.9))).toMatchObject({ match: 'narrower', direction: 'looser' });
  });
  it('an upper bound (lte) moves the other way, and a `not` turns it round again', () => {
    const lte = (d: Doc, v: number): void => {
      rule(d, 'block-jailbreak')['when'] = { all: [{ score: 'jailbreak', gte: 0.8 }, { not: { score: 'sexual', lte: v } }, { score: 'hate', lte: v }] };
    };
    const before = base();
    lte(before, 0.5);
    const after = base();
    lte(after, 0.6);
    const changes = diffPolicies(validatePolicyObjectOrThrow(before), validatePolicyObjectOrThrow(after)).changes;
    expect(changes).toMatchObject([
      { field: 'sexual lte', path: 'rules[block-jailbreak].when.all[1].not.lte', match: 'narrower', direction: 'looser' },
      { field: 'hate lte', path: 'rules[block-jailbreak].when.all[2].lte', match: 'broader', direction: 'stricter' },
    ]);
  });
  it('a route to a gated target matching less is looser; a route to the default route has no direction', () => {
    expect(onlyChange((d) => (rule(d, 'adult-to-restricted')['when'].all[0].gte = 0.7))).toMatchObject({ item: 'adult-to-restricted', match: 'narrower', direction: 'looser' });
    const toDefault = (d: Doc): void => {
      d['rules'].push({ id: 'safe-to-sfw', description: 'x', when: { score: 'hate', gte: 0.2 }, effect: { action: 'route', target: 'sfw', precedence: 10 } });
    };
    const before = base();
    toDefault(before);
    const after = base();
    toDefault(after);
    rule(after, 'safe-to-sfw')['when'].gte = 0.1;
    const [c] = diffPolicies(validatePolicyObjectOrThrow(before), validatePolicyObjectOrThrow(after)).changes;
    expect(c).toMatchObject({ kind: 'threshold', match: 'broader' });
    expect(c?.direction).toBeUndefined();
  });
  it('rules added and removed, with the direction their effect gives', () => {
    const added = onlyChange((d) => d['rules'].push({ id: 'block-illicit', description: 'x', when: { score: 'illicit', gte: 0.6 }, effect: { action: 'block', reason: 'illicit' } }));
    expect(added).toMatchObject({ section: 'rules', kind: 'added', item: 'block-illicit', direction: 'stricter' });
    const removed = onlyChange((d) => (d['rules'] = d['rules'].filter((r: Doc) => r['id'] !== 'block-weapons')));
    expect(removed).toMatchObject({ section: 'rules', kind: 'removed', item: 'block-weapons', direction: 'looser' });
  });
  it('a rewritten condition: a branch added to `any` is broader, a conjunct added narrower', () => {
    const anyMore = onlyChange((d) => (rule(d, 'block-jailbreak')['when'] = { any: [{ score: 'jailbreak', gte: 0.8 }, { score: 'hate', gte: 0.9 }] }));
    expect(anyMore).toMatchObject({ kind: 'changed', field: 'condition', match: 'broader', direction: 'stricter' });
    const allMore = onlyChange((d) => (rule(d, 'block-jailbreak')['when'] = { all: [{ score: 'jailbreak', gte: 0.8 }, { request: 'tenant', equals: 'acme' }] }));
    expect(allMore).toMatchObject({ kind: 'changed', field: 'condition', match: 'narrower', direction: 'looser' });
    const other = onlyChange((d) => (rule(d, 'block-jailbreak')['when'] = { score: 'hate', gte: 0.8 }));
    expect(other).toMatchObject({ kind: 'changed', field: 'condition', before: { score: 'jailbreak', gte: 0.8 }, after: { score: 'hate', gte: 0.8 } });
    expect(other.direction).toBeUndefined();
  });
  it('effect, precedence, target, reason, requirements of a route, redaction, stage, warnings, description', () => {
    expect(onlyChange((d) => (rule(d, 'warn-self-harm')['effect'] = { action: 'block', reason: 'self_harm' }))).toMatchObject({ field: 'effect', direction: 'stricter' });
    expect(onlyChange((d) => (rule(d, 'block-weapons')['effect'] = { action: 'warn' }))).toMatchObject({ field: 'effect', direction: 'looser' });
    expect(onlyChange((d) => (rule(d, 'pii-to-private')['effect'].precedence = 95))).toMatchObject({ field: 'precedence', before: 50, after: 95 });
    expect(onlyChange((d) => (rule(d, 'pii-to-private')['effect'].target = 'restricted'))).toMatchObject({ field: 'target', before: 'private', after: 'restricted' });
    expect(onlyChange((d) => (rule(d, 'block-weapons')['effect'].reason = 'weapons'))).toMatchObject({ field: 'reason', after: 'weapons' });
    expect(onlyChange((d) => (rule(d, 'adult-to-restricted')['effect'].requires = { age: { minimum: 21 } }))).toMatchObject({ field: 'requires.age', kind: 'added', direction: 'stricter' });
    expect(onlyChange((d) => (rule(d, 'redact-pii-output')['effect'].categories = ['pii', 'hate']))).toMatchObject({ field: 'redact categories', direction: 'stricter' });
    expect(onlyChange((d) => (rule(d, 'block-jailbreak')['stage'] = 'both'))).toMatchObject({ field: 'stage', before: 'input', after: 'both', match: 'broader', direction: 'stricter' });
    expect(onlyChange((d) => (rule(d, 'block-weapons')['stage'] = 'output'))).toMatchObject({ field: 'stage', match: 'narrower', direction: 'looser' });
    expect(onlyChange((d) => (rule(d, 'warn-self-harm')['warnings'] = ['self-harm', 'crisis-line']))).toMatchObject({ field: 'warnings', before: ['self-harm'], after: ['self-harm', 'crisis-line'] });
    expect(onlyChange((d) => (rule(d, 'warn-self-harm')['description'] = 'other'))).toMatchObject({ field: 'description', after: 'other' });
  });
});

describe('diffPolicies: targets and jurisdictions', () => {
  const restricted = (d: Doc): Doc => d['targets']['restricted'];
  it('age requirements: minimum, level, methods, validity', () => {
    expect(onlyChange((d) => (restricted(d)['requirements'].age.minimum = 21))).toMatchObject({ section: 'targets', item: 'restricted', field: 'age.minimum', before: 'jurisdiction', after: 21 });
    expect(onlyChange((d) => (restricted(d)['requirements'].age.level = 'strict'))).toMatchObject({ field: 'age.level', before: 'enhanced', after: 'strict', direction: 'stricter' });
    expect(onlyChange((d) => (restricted(d)['requirements'].age.level = 'standard'))).toMatchObject({ direction: 'looser' });
    expect(onlyChange((d) => (restricted(d)['requirements'].age.methods = ['photo_id_match']))).toMatchObject({ field: 'age.methods', before: 'any', direction: 'stricter' });
    expect(onlyChange((d) => (restricted(d)['requirements'].age.maxAgeDays = 30))).toMatchObject({ field: 'age.maxAgeDays', before: 365, after: 30, direction: 'stricter' });
    expect(onlyChange((d) => delete restricted(d)['requirements'].age.maxAgeDays)).toMatchObject({ after: null, direction: 'looser' });
    expect(onlyChange((d) => delete restricted(d)['requirements'].age)).toMatchObject({ field: 'age', kind: 'removed', direction: 'looser' });
  });
  it('consent: scopes added and removed, minimum versions moved', () => {
    expect(onlyChange((d) => (restricted(d)['requirements'].consent[0].minVersion = '3.0.0'))).toMatchObject({ field: 'consent adult-content minVersion', before: '2.0.0', after: '3.0.0', direction: 'stricter' });
    expect(onlyChange((d) => (restricted(d)['requirements'].consent[0].minVersion = '1.5.0'))).toMatchObject({ direction: 'looser' });
    expect(onlyChange((d) => restricted(d)['requirements'].consent.push({ scope: 'data-sharing', minVersion: '1.0.0' }))).toMatchObject({ kind: 'added', field: 'consent data-sharing', direction: 'stricter' });
    expect(onlyChange((d) => (restricted(d)['requirements'].consent = []))).toMatchObject({ kind: 'removed', field: 'consent adult-content', direction: 'looser' });
  });
  it('onUnmet, model settings, targets added and removed', () => {
    expect(onlyChange((d) => (restricted(d)['onUnmet'] = { action: 'fallback', target: 'sfw' }))).toMatchObject({ field: 'onUnmet', direction: 'looser' });
    expect(onlyChange((d) => (restricted(d)['model'] = 'llama3.2'))).toMatchObject({ field: 'model', before: 'llama3.1:8b', after: 'llama3.2' });
    expect(onlyChange((d) => (d['targets']['extra'] = { provider: 'none', model: 'x' }))).toMatchObject({ section: 'targets', kind: 'added', item: 'extra' });
    const removed = changesAfter((d) => {
      delete d['targets']['private'];
      rule(d, 'pii-to-private')['effect'].target = 'sfw';
    });
    expect(removed).toContainEqual(expect.objectContaining({ section: 'targets', kind: 'removed', item: 'private' }));
  });
  it('jurisdiction rows: added, removed, minimum age, level, methods, validity, denied targets', () => {
    expect(onlyChange((d) => (d['jurisdictions']['DE'] = { minimumAge: 18 }))).toMatchObject({ section: 'jurisdictions', kind: 'added', item: 'DE' });
    expect(onlyChange((d) => delete d['jurisdictions']['KR'])).toMatchObject({ kind: 'removed', item: 'KR' });
    expect(onlyChange((d) => (d['jurisdictions']['KR'].minimumAge = 20))).toMatchObject({ field: 'minimumAge', before: 19, after: 20, direction: 'stricter' });
    expect(onlyChange((d) => (d['jurisdictions']['US-UT'].level = 'enhanced'))).toMatchObject({ field: 'level', before: 'strict', direction: 'looser' });
    expect(onlyChange((d) => (d['jurisdictions']['*'].methods = ['photo_id_match']))).toMatchObject({ field: 'methods', direction: 'stricter' });
    expect(onlyChange((d) => (d['jurisdictions']['*'].maxAgeDays = 90))).toMatchObject({ field: 'maxAgeDays', direction: 'stricter' });
    expect(onlyChange((d) => (d['jurisdictions']['XX'].deny = []))).toMatchObject({ field: 'deny', direction: 'looser' });
    expect(onlyChange((d) => (d['jurisdictions']['KR'].deny = ['restricted']))).toMatchObject({ field: 'deny', direction: 'stricter' });
  });
});

describe('diffPolicies: settings', () => {
  it('mode, defaults, identity and age floor', () => {
    expect(onlyChange((d) => (d['mode'] = 'monitor'))).toMatchObject({ section: 'mode', before: 'enforce', after: 'monitor', direction: 'looser' });
    expect(onlyChange((d) => (d['defaults'].route = 'private'))).toMatchObject({ section: 'defaults', field: 'defaults.route', after: 'private' });
    expect(onlyChange((d) => (d['defaults'].onClassifierError = 'strictest'))).toMatchObject({ field: 'defaults.onClassifierError', direction: 'looser' });
    expect(onlyChange((d) => (d['defaults'].unknownJurisdiction = 'default-row'))).toMatchObject({ field: 'defaults.unknownJurisdiction', direction: 'looser' });
    expect(onlyChange((d) => (d['revision'] = 'r2'))).toMatchObject({ section: 'policy', field: 'revision', after: 'r2' });
    expect(onlyChange((d) => (d['ageFloor'] = 16))).toMatchObject({ section: 'policy', field: 'ageFloor', before: 18, after: 16, direction: 'looser' });
  });
  it('classifier lists, input, output and audit settings', () => {
    expect(onlyChange((d) => (d['classifiers'].input = ['embedded', 'lexicon']))).toMatchObject({ section: 'classifiers', field: 'classifiers.input', note: 'added lexicon' });
    expect(onlyChange((d) => delete d['classifiers'].output)).toMatchObject({ field: 'classifiers.output', after: 'default' });
    expect(onlyChange((d) => (d['input'] = { historyMessages: 8 }))).toMatchObject({ section: 'input', before: 4, after: 8, direction: 'stricter' });
    expect(onlyChange((d) => (d['input'] = { includeSystem: true }))).toMatchObject({ field: 'input.includeSystem', direction: 'stricter' });
    expect(onlyChange((d) => (d['input'] = { extraText: 'refuse' }))).toMatchObject({ field: 'input.extraText', direction: 'stricter' });
    expect(onlyChange((d) => (d['output'] = { ...d['output'], streaming: { ...d['output']?.streaming, mode: 'progressive' } }))).toMatchObject({ field: 'output.streaming.mode', direction: 'looser' });
    expect(onlyChange((d) => (d['output'] = { ...d['output'], streaming: { ...d['output']?.streaming, holdBackChars: 400 } }))).toMatchObject({ field: 'output.streaming.holdBackChars', direction: 'stricter' });
    expect(onlyChange((d) => (d['output'] = { ...d['output'], streaming: { ...d['output']?.streaming, checkEveryChars: 50 } }))).toMatchObject({ field: 'output.streaming.checkEveryChars', direction: 'stricter' });
    expect(onlyChange((d) => (d['audit'] = { text: 'full' }))).toMatchObject({ section: 'audit', field: 'audit.text', before: 'digest', after: 'full' });
  });
  it('blocklists and messages', () => {
    const list = { id: 'competitors', terms: ['acme'] };
    const withList = (d: Doc, terms: string[]): void => {
      d['blocklists'] = [{ ...list, terms }];
      d['rules'].push({ id: 'block-competitors', description: 'x', when: { blocklist: 'competitors' }, effect: { action: 'block', reason: 'competitor' } });
    };
    const before = base();
    withList(before, ['acme']);
    const after = base();
    withList(after, ['acme', 'globex']);
    expect(diffPolicies(validatePolicyObjectOrThrow(before), validatePolicyObjectOrThrow(after)).changes).toMatchObject([
      { section: 'blocklists', kind: 'changed', item: 'competitors', field: 'terms', before: [], after: ['globex'] },
    ]);
    const added = changesAfter((d) => withList(d, ['acme']));
    expect(added).toContainEqual(expect.objectContaining({ section: 'blocklists', kind: 'added', item: 'competitors' }));
    const firstMessage = Object.keys(base()['messages'])[0] as string;
    expect(onlyChange((d) => (d['messages'][firstMessage] = 'new text'))).toMatchObject({ section: 'messages', kind: 'changed', item: firstMessage, after: 'new text' });
    expect(onlyChange((d) => (d['messages']['extra'] = 'hello'))).toMatchObject({ section: 'messages', kind: 'added', item: 'extra' });
  });
});

describe('formatPolicyDiff', () => {
  it('groups changes by section and item, each with its direction, then counts them', async () => {
    const before = await loadPolicyOrThrow(defaultPath);
    const doc = base();
    rule(doc, 'block-jailbreak')['when'].gte = 0.6;
    rule(doc, 'adult-to-restricted')['when'].all[0].gte = 0.7;
    doc['targets']['restricted'].requirements.age.level = 'strict';
    doc['jurisdictions']['DE'] = { minimumAge: 18 };
    const text = formatPolicyDiff(diffPolicies(before, validatePolicyObjectOrThrow(doc), { oldFile: 'old.json', newFile: 'new.json' }));
    expect(text).toMatch(/^old\.json \(default@.+, sha256 [0-9a-f]{12}…\) → new\.json/);
    expect(text).toContain('rules\n  ~ block-jailbreak\n      jailbreak gte: 0.8 → 0.6  (stricter; the rule matches more requests)\n  ~ adult-to-restricted\n      sexual gte: 0.5 → 0.7  (looser; the rule matches fewer requests)');
    expect(text).toContain('targets\n  ~ restricted\n      age.level: enhanced → strict  (stricter)');
    expect(text).toContain('jurisdictions\n  + DE added: {"minimumAge":18}');
    expect(text).toContain('4 changes: 2 stricter, 1 looser, 1 neither');
  });
});
