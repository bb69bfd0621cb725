import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy, validatePolicyObject } from '../../src/policy/load-policy.js';
import { formatPolicyIssue, type PolicyIssue } from '../../src/policy/policy-issue.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

// An adversarial review found policy files that crash the loader (exit 70), hang it, take tens of
// seconds, or make it print the contents of other files. Each case here must end quickly as
// ordinary issues (exit 1), and never quote a file that is not a policy.

const DEFAULT_POLICY = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
const SECRET = 'hunter2-SECRET-VALUE';
let dir: string;

const base = (): Record<string, unknown> => JSON.parse(readFileSync(DEFAULT_POLICY, 'utf8')) as Record<string, unknown>;
const write = (name: string, content: string | object): string => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};
const extending = (name: string, target: string): string => write(name, { ...base(), extends: target });

async function issuesOf(file: string): Promise<PolicyIssue[]> {
  const result = await loadPolicy(file);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}
const text = (issues: PolicyIssue[]): string => issues.map(formatPolicyIssue).join('\n');

/** `{"not": {"not": … {"score": "sexual", "gte": 0.5} …}}` */
function nestedNot(levels: number): string {
  return '{"not":'.repeat(levels) + '{"score":"sexual","gte":0.5}' + '}'.repeat(levels);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saferoute-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy loader limits', () => {
  it('thousands of nested `not`s are an issue with a position, not a stack overflow', async () => {
    const doc = base();
    const source = JSON.stringify(doc, null, 2).replace('"when": {\n        "score": "sexual/minors",\n        "gte": 0.3\n      }', `"when": ${nestedNot(5000)}`);
    expect(source).toContain('"not":{"not":');
    const file = write('deep-not.json', source);
    const issues = await issuesOf(file);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/nesting deeper than 64 levels/);
    expect(issues[0]?.line).toBeGreaterThan(1);
    expect(issues[0]?.column).toBeGreaterThan(1);

    const cli = await runCliInProcess(['validate', file]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/deep-not\.json:\d+:\d+ .*nesting deeper than 64 levels/);
    expect(cli.stderr).not.toMatch(/internal error|call stack/);
  });

  it('deeply nested arrays anywhere are refused the same way', async () => {
    const file = write('deep-array.json', JSON.stringify({ ...base(), description: 'x' }).replace('"description":"x"', `"description":${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    expect(text(await issuesOf(file))).toMatch(/deep-array\.json:1:\d+ .*nesting deeper than 64 levels/);
  });

  it('a deeply nested object given to validatePolicyObject is an issue, not a crash', () => {
    let when: unknown = { score: 'sexual', gte: 0.5 };
    for (let i = 0; i < 20_000; i++) when = { not: when };
    const doc = base();
    (doc['rules'] as { when: unknown }[])[0]!.when = when;
    const result = validatePolicyObject(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.message).join('\n')).toMatch(/nesting deeper than 64 levels/);
  });

  it('a property name of 10 MB is refused at once', async () => {
    const file = write('big-key.json', `{"${'a'.repeat(10_000_000)}": 1}`);
    const started = performance.now();
    const issues = await issuesOf(file);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(text(issues)).toMatch(/larger than 4 MiB/);
  });

  it('a property name of 3 MB (under the size cap) is refused before parsing, without echoing it', async () => {
    const file = write('long-key.json', `{"id": "x", "${'b'.repeat(3_000_000)}": 1}`);
    const started = performance.now();
    const issues = await issuesOf(file);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(issues).toHaveLength(1);
    expect(formatPolicyIssue(issues[0]!)).toMatch(/long-key\.json:1:13 \/: property name of 3000000 characters; at most 1024/);
    expect(formatPolicyIssue(issues[0]!).length).toBeLessThan(400);
  });

  it('a 1 MB unknown category name gets no slow did-you-mean', async () => {
    const doc = base();
    (doc['rules'] as { when: unknown }[])[0]!.when = { score: 'x'.repeat(60_000), gte: 0.5 };
    const started = performance.now();
    const result = validatePolicyObject(doc);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.ok).toBe(false);
  });

  it('`extends` to a FIFO is refused without blocking', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const file = extending('to-fifo.json', 'pipe.json');
    const issues = await issuesOf(file);
    expect(text(issues)).toMatch(/to-fifo\.json:\d+:\d+ \/extends: cannot read the base policy `pipe\.json`: it is a pipe \(FIFO\), not a regular file/);
    // The synchronous validator takes the same path.
    const sync = validatePolicyObject({ ...base(), extends: 'pipe.json' }, { baseDir: dir });
    expect(sync.ok).toBe(false);
  }, 10_000);

  it('`extends` to /dev/urandom, to a link to it, or to a directory is refused', async () => {
    expect(text(await issuesOf(extending('to-urandom.json', '/dev/urandom')))).toMatch(/`extends` must name a `\.json` file, not `\/dev\/urandom`/);
    symlinkSync('/dev/urandom', path.join(dir, 'random.json'));
    expect(text(await issuesOf(extending('to-random-link.json', 'random.json')))).toMatch(/`random\.json`: it is a character device, not a regular file/);
    mkdirSync(path.join(dir, 'folder.json'));
    expect(text(await issuesOf(extending('to-folder.json', 'folder.json')))).toMatch(/`folder\.json`: it is a directory/);
  }, 10_000);

  it('`extends` only reads `.json` files, and a `.json` link must lead to one', async () => {
    write('secret.txt', `password=${SECRET}\n`);
    const direct = text(await issuesOf(extending('to-txt.json', 'secret.txt')));
    expect(direct).toMatch(/`extends` must name a `\.json` file/);
    symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'disguised.json'));
    const linked = text(await issuesOf(extending('to-disguised.json', 'disguised.json')));
    expect(linked).toMatch(/a link to a file that is not named `\.json`/);
    expect(direct + linked).not.toContain(SECRET);
  });

  it('never quotes a base file that is not JSON, or JSON that is not a policy', async () => {
    write('not-json.json', `${SECRET}\n`);
    write('broken.json', `{"id": "x", "revision": "${SECRET}" "targets": {}}`);
    write('credentials.json', { apiKey: SECRET, [SECRET]: true });
    write('array.json', [SECRET]);
    for (const target of ['not-json.json', 'broken.json', 'credentials.json', 'array.json']) {
      const issues = await issuesOf(extending(`to-${target}`, target));
      expect(text(issues)).not.toContain(SECRET);
      expect(text(issues)).not.toContain('hunter2');
    }
    expect(text(await issuesOf(extending('to-credentials2.json', 'credentials.json')))).toMatch(/the base policy `credentials\.json` is not a saferoute policy/);
  });

  it('the policy file itself: not JSON is said without quoting it, too large is refused', async () => {
    const notJson = write('plain.json', `${SECRET}: yes\n`);
    const issues = await issuesOf(notJson);
    expect(text(issues)).toMatch(/not a JSON object/);
    expect(text(issues)).not.toContain(SECRET);
    const huge = write('huge.json', `{"description": "${'x'.repeat(5 * 1024 * 1024)}"}`);
    expect(text(await issuesOf(huge))).toMatch(/larger than 4 MiB/);
    expect(text(await issuesOf(dir))).toMatch(/it is a directory/);
  });

  it('`saferoute validate` and `test` named a device end at once instead of reading it forever', async () => {
    const validate = await runCliInProcess(['validate', '/dev/urandom']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('it is a character device, not a regular file');
    const test = await runCliInProcess(['test', '/dev/zero']);
    expect(test.code).toBe(78);
    expect(test.stderr).toContain('it is a character device, not a regular file');
  }, 10_000);

  it('issuers and JWKS files are read the same bounded way, never quoted', async () => {
    const token = 'e30.e30.sig';
    const device = await runCliInProcess(['attest', 'inspect', '--issuers', '/dev/urandom', token]);
    expect(device.code).toBe(78);
    expect(device.stderr).toContain('it is a character device, not a regular file');
    const secret = write('issuers-secret.json', `password=${SECRET}`);
    const notJson = await runCliInProcess(['attest', 'inspect', '--issuers', secret, token]);
    expect(notJson.stderr).toContain('it is not valid JSON');
    expect(notJson.stderr).not.toContain(SECRET);
    execFileSync('mkfifo', [path.join(dir, 'jwks-pipe.json')]);
    const issuers = write('issuers-fifo.json', { audience: 'a', issuers: [{ issuer: 'https://i', jwksFile: 'jwks-pipe.json' }] });
    const fifo = await runCliInProcess(['attest', 'inspect', '--issuers', issuers, token]);
    expect(fifo.code).toBe(78);
    expect(fifo.stderr).toContain('it is a pipe (FIFO), not a regular file');
  }, 10_000);

  it('a base policy with a typo is still reported field by field', async () => {
    const baseline = { ...base(), id: 'baseline', rulse: [] };
    write('baseline.json', baseline);
    const issues = await issuesOf(extending('product.json', 'baseline.json'));
    expect(text(issues)).toMatch(/baseline\.json:\d+:\d+ \/rulse: unknown property `rulse`/);
  });
});
