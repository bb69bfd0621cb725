import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process.js';

// The policy-tests file gets the policy validator's standard (every problem at once, each as
// file:line:column /pointer: message with the closest name), a failing text case shows the
// scores it saw, and `saferoute init` writes a policy whose `$schema` resolves wherever it is.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT = path.join(ROOT, 'policies/default.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saferoute-tests-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (argv: string[]) => runCliInProcess(argv, { cwd: dir });
function tests(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

describe('saferoute test: the tests file', () => {
  it('a missing tests file is one that cannot be read, not an invalid one, and says where to put it', async () => {
    const r = await cli(['test', DEFAULT, '--tests', 'nowhere.tests.json']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('nowhere.tests.json /: cannot read the test file: no such file; write one beside the policy (POLICY.tests.json) or name it with --tests');
    expect(r.stderr).toContain('the test file `nowhere.tests.json` cannot be read');
    expect(r.stderr).not.toContain('is invalid');
  });

  it('reports every problem at once, positioned, with the closest name', async () => {
    const file = tests(
      'many.tests.json',
      [
        '{',
        '  "nwo": "2026-11-28T12:00:00Z",',
        '  "subjects": { "adult": { "id": "a", "jurisdiction": "GB" } },',
        '  "cases": [',
        '    { "name": "a", "scores": { "sexaul": 0.9 }, "subject": "adlut", "expect": { "outcome": "route" } },',
        '    { "name": "b", "text": "hi", "expct": { "outcome": "route" } },',
        '    { "name": "c", "scores": { "sexual": 0.9 }, "subject": "adult", "expect": { "outcome": "rout", "target": "restrcted", "reason": "unmet_requirement", "determiningRules": ["adult-to-restricte"], "warnings": ["adult_content"], "unmet": ["consent_requird"] } },',
        '    { "name": "d", "stage": "output", "scores": { "pii": 0.9 }, "servedTarget": "privat", "expect": { "outcome": "route", "redact": ["pi"] } }',
        '  ]',
        '}',
      ].join('\n'),
    );
    const r = await cli(['test', DEFAULT, '--tests', file]);
    expect(r.code).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'error many.tests.json:2:3 /nwo: unknown property `nwo`; did you mean `now`?',
      'error many.tests.json:5:32 /cases/0/scores/sexaul: unknown category `sexaul`; did you mean `sexual`?',
      'error many.tests.json:5:60 /cases/0/subject: unknown subject `adlut`; did you mean `adult`?',
      'error many.tests.json:6:5 /cases/1: missing required property `expect`',
      'error many.tests.json:6:34 /cases/1/expct: unknown property `expct`; did you mean `expect`?',
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/outcome: unknown outcome `rout`; did you mean `route`\?$/),
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/target: unknown target `restrcted`; did you mean `restricted`\?$/),
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/reason: unknown reason `unmet_requirement`; did you mean `unmet_requirements`\?$/),
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/determiningRules\/0: unknown rule `adult-to-restricte`; did you mean `adult-to-restricted`\?$/),
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/warnings\/0: unknown warning `adult_content`; did you mean `adult-content`\?$/),
      expect.stringMatching(/^error many\.tests\.json:7:\d+ \/cases\/2\/expect\/unmet\/0: unknown unmet code `consent_requird`; did you mean `consent_required`\?$/),
      expect.stringMatching(/^error many\.tests\.json:8:\d+ \/cases\/3\/servedTarget: unknown target `privat`; did you mean `private`\?$/),
      expect.stringMatching(/^error many\.tests\.json:8:\d+ \/cases\/3\/expect\/redact\/0: unknown category `pi`; did you mean `pii`\?$/),
      'saferoute test: the test file `many.tests.json` is invalid (13 problems)',
    ]);
  });

  it('positions syntax errors and refuses what the policy loader refuses', async () => {
    const comma = await cli(['test', DEFAULT, '--tests', tests('comma.tests.json', '{\n  "cases": [],\n}\n')]);
    expect(comma.code).toBe(78);
    expect(comma.stderr).toContain('error comma.tests.json:2:14 /cases: trailing comma');
    const deep = await cli(['test', DEFAULT, '--tests', tests('deep.tests.json', `{"cases": ${'['.repeat(5000)}${']'.repeat(5000)}}`)]);
    expect(deep.code).toBe(78);
    expect(deep.stderr).toMatch(/deep\.tests\.json:1:\d+ \/: nesting deeper than 64 levels/);
    const secret = await cli(['test', DEFAULT, '--tests', tests('secret.tests.json', 'password=hunter2\n')]);
    expect(secret.stderr).toContain('not a JSON object');
    expect(secret.stderr).not.toContain('hunter2');
    expect((await cli(['test', DEFAULT, '--tests', '/dev/urandom'])).stderr).toContain('it is a character device, not a regular file');
  });

  it('warns about a case that decides on nothing and about two cases with one name', async () => {
    const file = tests(
      'warn.tests.json',
      JSON.stringify({ now: '2026-11-28T12:00:00Z', cases: [{ name: 'x', expect: { outcome: 'route' } }, { name: 'x', scores: { pii: 0 }, expect: { outcome: 'route' } }] }, null, 2),
    );
    const r = await cli(['test', DEFAULT, '--tests', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning warn\.tests\.json:4:5 \/cases\/0: warning: the case has neither `text` nor `scores`/);
    expect(r.stderr).toMatch(/warning warn\.tests\.json:\d+:\d+ \/cases\/1\/name: warning: another case is named `x`/);
  });

  it('shows the scores a failing text case saw, for the categories the policy tests', async () => {
    const file = tests(
      'text.tests.json',
      JSON.stringify({ now: '2026-11-28T12:00:00Z', cases: [{ name: 'adult text expected as sfw', text: 'Write an explicit erotic story about two consenting adults.', expect: { outcome: 'route', target: 'sfw' } }] }),
    );
    const r = await cli(['test', DEFAULT, '--tests', file]);
    expect(r.code).toBe(2);
    const seen = r.stdout.split('\n').find((l) => l.includes('scores seen:'));
    // Highest first: `unsafe` (which the default policy's harmful-request warning reads) comes before `sexual`.
    expect(seen).toMatch(/scores seen: (unsafe 0\.\d{3}, )?sexual 0\.\d{3}, /);
    for (const category of ['sexual/minors', 'jailbreak', 'pii', 'weapons/indiscriminate']) expect(seen).toContain(category);
    const json = JSON.parse((await cli(['test', DEFAULT, '--tests', file, '--json'])).stdout) as { results: { scores: Record<string, number | null> }[] };
    expect(json.results[0]?.scores['sexual']).toBeGreaterThan(0.5);
  });
});

describe('saferoute init', () => {
  it('writes a starter policy and tests whose $schema resolves from their folder, and both pass', async () => {
    const r = await cli(['init', 'nested/policies']);
    expect(r.code).toBe(0);
    const policyFile = path.join(dir, 'nested/policies/policy.json');
    const testsFile = path.join(dir, 'nested/policies/policy.tests.json');
    const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as { $schema: string; id: string };
    const testsDoc = JSON.parse(readFileSync(testsFile, 'utf8')) as { $schema: string };
    expect(policy.id).toBe('policy');
    // Resolved the way an editor resolves it: relative to the file's own folder.
    expect(path.resolve(path.dirname(policyFile), policy.$schema)).toBe(path.join(ROOT, 'policies/schema/policy.schema.json'));
    expect(path.resolve(path.dirname(testsFile), testsDoc.$schema)).toBe(path.join(ROOT, 'policies/schema/policy-tests.schema.json'));
    expect(existsSync(path.resolve(path.dirname(policyFile), policy.$schema))).toBe(true);
    expect((await cli(['validate', 'nested/policies/policy.json'])).code).toBe(0);
    const run = await cli(['test', 'nested/policies/policy.json', '--fail-on-uncovered']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('FAIL');
  });

  it('never overwrites without --force, and says so', async () => {
    await cli(['init', 'keep', '--name', 'mine']);
    const file = path.join(dir, 'keep/mine.json');
    writeFileSync(file, '{"edited": true}');
    const again = await cli(['init', 'keep', '--name', 'mine']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('`keep/mine.json` and `keep/mine.tests.json` already exist; nothing was written (give --force to overwrite');
    expect(readFileSync(file, 'utf8')).toBe('{"edited": true}');
    const forced = await cli(['init', 'keep', '--name', 'mine', '--force', '--from', 'strict']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ id: 'mine' });
    expect((await cli(['test', 'keep/mine.json'])).code).toBe(0);
  });

  it('has help, and names the closest option or starter', async () => {
    expect((await cli(['help', 'init'])).stdout).toContain('usage: saferoute init [DIR]');
    const option = await cli(['init', '--frce']);
    expect(option.code).toBe(64);
    expect(option.stderr).toContain("unknown option '--frce'; did you mean `--force`?");
    const starter = await cli(['init', '--from', 'strct']);
    expect(starter.stderr).toContain('unknown starter `strct`; did you mean `strict`?');
    expect((await cli(['init', '--name', 'Bad Name'])).code).toBe(64);
  });
});

describe('--subject FILE is read like a policy', () => {
  it('refuses devices and deep nesting, positions problems and never quotes a file that is not JSON', async () => {
    const device = await cli(['check', '--subject', '/dev/urandom', 'hello']);
    expect(device.code).toBe(78);
    expect(device.stderr).toContain('it is a character device, not a regular file');
    writeFileSync(path.join(dir, 'deep-subject.json'), `{"attributes": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect((await cli(['check', '--subject', 'deep-subject.json', 'hello'])).stderr).toMatch(/nesting deeper than 64 levels at line 1, column \d+/);
    writeFileSync(path.join(dir, 'secret-subject.json'), 'token=hunter2\n');
    const secret = await cli(['check', '--subject', 'secret-subject.json', 'hello']);
    expect(secret.stderr).toContain('not a JSON object');
    expect(secret.stderr).not.toContain('hunter2');
    writeFileSync(path.join(dir, 'bad-subject.json'), '{\n  "id": "x",\n  "jurisdiction": "KR-"\n}\n');
    expect((await cli(['check', '--subject', 'bad-subject.json', 'hello'])).stderr).toContain('bad-subject.json:3:19 /jurisdiction: ');
  });
});
