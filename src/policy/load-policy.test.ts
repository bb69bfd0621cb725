import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicy, loadPolicyOrThrow, validatePolicyObject } from './load-policy.js';
import type { PolicyDocument } from './policy-schema.js';
import { PolicyInvalidError } from './policy-invalid-error.js';
import { PolicyNotFoundError } from './policy-not-found-error.js';
import { formatPolicyIssue, type PolicyIssue } from './policy-issue.js';

// Relative to the working directory, as a user would type it; issues show paths the same way.
const FIXTURES = path.relative(process.cwd(), fileURLToPath(new URL('../../tests/fixtures/policies/', import.meta.url)));
const fixture = (name: string): string => path.join(FIXTURES, name);

async function issuesOf(name: string): Promise<PolicyIssue[]> {
  const result = await loadPolicy(fixture(name));
  if (result.ok) throw new Error(`expected ${name} to be invalid`);
  return result.issues;
}

const brief = (i: PolicyIssue): [number, number, string, string] => [i.line, i.column, i.pointer, i.message];

describe('loadPolicy', () => {
  it('loads a valid policy with its defaults filled in', async () => {
    const result = await loadPolicy(fixture('valid.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { policy, warnings } = result;
    expect(warnings).toEqual([]);
    expect(policy.id).toBe('fixture-valid');
    expect(policy.revision).toBe('2025-01');
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(policy.sources).toEqual([path.resolve(fixture('valid.json'))]);
    const doc = policy.document;
    expect(doc.mode).toBe('enforce');
    expect(doc.defaults.onClassifierError).toBe('block');
    expect(doc.rules[0]?.stage).toBe('input');
    expect(doc.rules[0]?.warnings).toEqual([]);
    expect(doc.targets['sfw']?.onUnmet).toEqual({ action: 'block' });
    expect(doc.targets['sfw']?.requirements).toEqual({ consent: [] });
    expect(doc.output).toEqual({ onBlock: 'refuse', streaming: { mode: 'hold-back', holdBackChars: 200, checkEveryChars: 200 } });
    expect(doc.audit).toEqual({ text: 'digest' });
    expect(doc).not.toHaveProperty('$schema');
    // The evaluation reads it as a PolicyDocument.
    const asDocument: PolicyDocument = doc;
    expect(asDocument.defaults.route).toBe('sfw');
  });

  it('deep-freezes the result', async () => {
    const result = await loadPolicy(fixture('valid.json'));
    if (!result.ok) throw new Error('expected valid');
    const rules = result.policy.document.rules as unknown[];
    expect(() => rules.push({})).toThrow(TypeError);
    expect(Object.isFrozen(result.policy.document.targets['restricted']?.requirements.consent)).toBe(true);
  });

  it('hashes meaning, not formatting: key order, whitespace, $schema and explicit defaults do not matter', async () => {
    const a = await loadPolicy(fixture('valid.json'));
    const b = await loadPolicy(fixture('valid-reordered.json'));
    const again = await loadPolicy(fixture('valid.json'));
    if (!a.ok || !b.ok || !again.ok) throw new Error('expected valid');
    expect(b.policy.sha256).toBe(a.policy.sha256);
    expect(again.policy.sha256).toBe(a.policy.sha256);
    const changed = validatePolicyObject({ ...JSON.parse(readFileSync(fixture('valid.json'), 'utf8')), revision: '2025-02' });
    if (!changed.ok) throw new Error('expected valid');
    expect(changed.policy.sha256).not.toBe(a.policy.sha256);
  });

  it('reports five schema mistakes at once, each at its line and column', async () => {
    const issues = await issuesOf('schema-mistakes.json');
    expect(issues.map(brief)).toEqual([
      [9, 5, '/jurisdictions/gb', '`gb` is not a region code; did you mean `GB`?'],
      [15, 26, '/rules/0/when/score', 'unknown category `sexual/minor`; did you mean `sexual/minors`?'],
      [17, 7, '/rules/0/warnigns', 'unknown property `warnigns`; did you mean `warnings`?'],
      [22, 16, '/rules/1/stage', 'unknown stage `outptu`; did you mean `output`?'],
      [24, 76, '/rules/1/effect/precedence', 'expected a whole number, found the string `"high"`'],
    ]);
    expect(issues.every((i) => i.file === fixture('schema-mistakes.json') && i.severity === 'error')).toBe(true);
  });

  it('reports five semantic mistakes at once, each at its line and column', async () => {
    const issues = await issuesOf('semantic-mistakes.json');
    expect(issues.map((i) => [i.line, i.column, i.pointer])).toEqual([
      [12, 27, '/jurisdictions/GB/minimumAge'],
      [18, 41, '/rules/0/when/gte'],
      [25, 48, '/rules/1/effect/target'],
      [30, 15, '/rules/2/when'],
      [37, 73, '/rules/3/effect/precedence'],
    ]);
    const text = issues.map(formatPolicyIssue).join('\n');
    expect(text).toContain('`GB` sets 16, below the policy’s ageFloor 18');
    expect(text).toContain('threshold 1.5 is outside [0, 1]');
    expect(text).toContain('unknown target `restricted-model`; did you mean `restricted`?');
    expect(text).toContain('rule `contradiction` can never fire: `violence` cannot be ≥ 0.8 and < 0.5 at once');
    expect(text).toContain('rules `adult` and `pii-private` route to different targets');
    expect(text).toContain('give one a higher precedence');
  });

  it('reports a JSON syntax error at its position', async () => {
    const issues = await issuesOf('syntax-error.json');
    expect(issues).toHaveLength(1);
    expect(formatPolicyIssue(issues[0] as PolicyIssue)).toBe(
      `${fixture('syntax-error.json')}:4:3 /targets: expected \`,\` or \`}\`, found \`"targets"\` (hint: a comma may be missing at the end of the previous line)`,
    );
  });

  it('reports a missing file as an issue, not an exception', async () => {
    const issues = await issuesOf('does-not-exist.json');
    expect(issues).toEqual([
      {
        file: fixture('does-not-exist.json'),
        line: 0,
        column: 0,
        pointer: '',
        message: 'cannot read the policy file: no such file',
        severity: 'error',
        hint: `looked for ${path.resolve(fixture('does-not-exist.json'))}; check the path: a relative one starts at the working directory`,
      },
    ]);
  });

  it('reports an extends cycle with the chain, at the extends that closes it', async () => {
    const issues = await issuesOf('cycle-a.json');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: fixture('cycle-b.json'), line: 4, column: 14, pointer: '/extends' });
    expect(issues[0]?.message).toBe('`extends` makes a cycle: cycle-a.json → cycle-b.json → cycle-a.json');
  });

  it('merges extends so that the product policy can only tighten the baseline', async () => {
    const result = await loadPolicy(fixture('product.json'));
    if (!result.ok) throw new Error(result.issues.map(formatPolicyIssue).join('\n'));
    const { policy, warnings } = result;
    expect(policy.id).toBe('product-chat');
    expect(policy.sources.map((s) => path.basename(s))).toEqual(['product.json', 'org-base.json']);
    const doc = policy.document;
    // The higher floor stays.
    expect(doc.ageFloor).toBe(18);
    // The child's provider/model; requirements strictest-wins.
    const restricted = doc.targets['restricted'];
    expect(restricted?.provider).toBe('ollama');
    expect(restricted?.model).toBe('adult-model-v2');
    expect(restricted?.requirements.age).toEqual({ minimum: 21, level: 'enhanced', methods: ['photo_id_match'], maxAgeDays: 365 });
    expect(restricted?.requirements.consent).toEqual([
      { scope: 'adult-content', minVersion: '1.2.0' },
      { scope: 'data-processing', minVersion: '2.0.0' },
      { scope: 'marketing', minVersion: '1.0.0' },
    ]);
    // Per region the strictest; a region new in the child still gets the baseline's `*` row.
    expect(doc.jurisdictions['KR']).toEqual({ minimumAge: 19 });
    expect(doc.jurisdictions['GB']).toEqual({ minimumAge: 18, level: 'standard', methods: ['photo_id_match', 'digital_id_wallet'] });
    expect(doc.jurisdictions['XX']?.deny).toEqual(['restricted']);
    // Rules are concatenated; defaults.route comes from the base; onClassifierError keeps `block`,
    // unknownJurisdiction its default `strictest`.
    expect(doc.rules.map((r) => r.id)).toEqual(['block-minors', 'adult-to-restricted']);
    expect(doc.defaults).toEqual({ route: 'sfw', onClassifierError: 'block', unknownJurisdiction: 'strictest' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: fixture('product.json'), line: 37, column: 38, severity: 'warning' });
  });

  it('rejects a product rule that reuses a baseline rule id, naming where the baseline defines it', async () => {
    const issues = await issuesOf('product-duplicate.json');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: fixture('product-duplicate.json'), line: 7, column: 13, pointer: '/rules/0/id' });
    expect(issues[0]?.message).toBe(`rule \`block-minors\` is already defined in \`${fixture('org-base.json')}:31:13\``);
    expect(issues[0]?.hint).toContain('a product policy cannot replace a baseline rule');
  });

  it('throws PolicyInvalidError listing every issue from loadPolicyOrThrow', async () => {
    const error = await loadPolicyOrThrow(fixture('semantic-mistakes.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyInvalidError);
    const e = error as PolicyInvalidError;
    expect(e.code).toBe('policy_invalid');
    expect(e.issues).toHaveLength(5);
    expect(e.message.split('\n')).toHaveLength(6);
    expect(e.message).toContain('(5 problems)');
    await expect(loadPolicyOrThrow(fixture('valid.json'))).resolves.toMatchObject({ id: 'fixture-valid' });
  });

  it('throws PolicyNotFoundError, not "invalid", for a file that does not exist, naming where it looked', async () => {
    const error = await loadPolicyOrThrow('policies/no-such-policy.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyNotFoundError);
    expect(error).not.toBeInstanceOf(PolicyInvalidError);
    const e = error as PolicyNotFoundError;
    expect(e.code).toBe('policy_not_found');
    expect(e.path).toBe(path.resolve('policies/no-such-policy.json'));
    expect(e.message).toContain(`policy file \`policies/no-such-policy.json\` not found (looked for \`${e.path}\`)`);
    expect(e.message).toContain("shippedPolicyPath('default')");
    expect(e.message).not.toContain('invalid');
    // A missing base named by `extends` leaves the policy that names it invalid.
    const dir = mkdtempSync(path.join(tmpdir(), 'saferoute-policy-'));
    try {
      writeFileSync(path.join(dir, 'product.json'), JSON.stringify({ extends: './no-such-base.json', id: 'p', revision: '1' }));
      const invalid = await loadPolicyOrThrow(path.join(dir, 'product.json')).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(PolicyInvalidError);
      expect((invalid as PolicyInvalidError).message).toContain('no-such-base.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validatePolicyObject', () => {
  it('gives the same issues as the file, without positions', async () => {
    for (const name of ['schema-mistakes.json', 'semantic-mistakes.json']) {
      const fromFile = await issuesOf(name);
      const fromObject = validatePolicyObject(JSON.parse(readFileSync(fixture(name), 'utf8')));
      if (fromObject.ok) throw new Error('expected invalid');
      const strip = (i: PolicyIssue): unknown => ({ pointer: i.pointer, message: i.message, hint: i.hint, severity: i.severity });
      expect(fromObject.issues.map(strip)).toEqual(fromFile.map(strip));
      expect(fromObject.issues.every((i) => i.file === '<object>' && i.line === 0 && i.column === 0)).toBe(true);
    }
  });

  it('gives the same hash as the file', async () => {
    const fromFile = await loadPolicy(fixture('valid.json'));
    const fromObject = validatePolicyObject(JSON.parse(readFileSync(fixture('valid.json'), 'utf8')));
    if (!fromFile.ok || !fromObject.ok) throw new Error('expected valid');
    expect(fromObject.policy.sha256).toBe(fromFile.policy.sha256);
    expect(fromObject.policy.sources).toEqual(['<object>']);
  });

  it('resolves extends relative to baseDir and reports base issues in the base file', () => {
    const doc = JSON.parse(readFileSync(fixture('product.json'), 'utf8')) as Record<string, unknown>;
    const ok = validatePolicyObject(doc, { baseDir: FIXTURES });
    expect(ok.ok).toBe(true);
    const missing = validatePolicyObject({ ...doc, extends: 'nope.json' }, { baseDir: FIXTURES, file: 'inline' });
    if (missing.ok) throw new Error('expected invalid');
    expect(missing.issues.map((i) => [i.file, i.pointer, i.message])).toEqual([
      ['inline', '/extends', 'cannot read the base policy `nope.json`: no such file'],
    ]);
    const dup = validatePolicyObject({ ...doc, rules: [{ id: 'block-minors', description: 'x', when: { score: 'sexual', gte: 0.5 }, effect: { action: 'warn' } }] }, { baseDir: FIXTURES });
    if (dup.ok) throw new Error('expected invalid');
    expect(dup.issues[0]?.message).toContain(`${fixture('org-base.json')}:31:13`);
  });

  it('requires what neither the policy nor its base provides', () => {
    const result = validatePolicyObject({ extends: 'org-base.json', id: 'p', revision: '1', targets: { extra: { provider: 'openai' } } }, { baseDir: FIXTURES });
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues.map((i) => [i.pointer, i.message])).toEqual([
      ['/targets/extra', 'missing required property `model` (neither this policy nor the policies it extends define it)'],
    ]);
  });
});
