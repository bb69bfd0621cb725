import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCliInProcess as cli } from '../support/run-cli-in-process.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/${name}`, import.meta.url));
const policy = (name: string) => fileURLToPath(new URL(`../../policies/${name}`, import.meta.url));
// The README's validate example, shipped in the package.
const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

describe('saferoute (dispatch)', () => {
  it('prints the overview and exits 64 without a command', async () => {
    const r = await cli([]);
    expect(r.code).toBe(64);
    expect(r.stdout).toContain('usage: saferoute COMMAND');
    expect(r.stdout).toMatch(/validate\s+check policy files/);
  });
  it('names an unknown command, subcommand or option, with the closest one', async () => {
    const r = await cli(['valdate']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown command `valdate` (did you mean `validate`?)');
    const sub = await cli(['audit', 'verfy']);
    expect(sub.code).toBe(64);
    expect(sub.stderr).toContain('unknown subcommand `verfy` of `audit` (did you mean `audit verify`?)');
    const flag = await cli(['check', '--explian', 'hello']);
    expect(flag.code).toBe(64);
    expect(flag.stderr).toContain("unknown option '--explian'; did you mean `--explain`?");
  });
  it('prints a command usage for help COMMAND', async () => {
    const r = await cli(['help', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: saferoute check');
  });
  it('prints the usage for COMMAND --help, subcommands and groups included, and exits 0', async () => {
    for (const [argv, usage] of [
      [['audit', 'query', '--help'], 'usage: saferoute audit query'],
      [['audit', 'verify', '-h'], 'usage: saferoute audit verify'],
      [['consent', 'grant', '--help'], 'usage: saferoute consent grant'],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toContain(usage);
      expect(r.stderr).toBe('');
    }
    const group = await cli(['audit', '--help']);
    expect(group.code).toBe(0);
    for (const sub of ['verify', 'query', 'report', 'keygen']) expect(group.stdout).toContain(`usage: saferoute audit ${sub}`);
  });
  it('prints the usages of a group\'s subcommands for help GROUP', async () => {
    for (const [group, subs] of [
      ['consent', ['grant', 'withdraw', 'show']],
      ['attest', ['inspect']],
      ['keys', ['generate', 'sign']],
      ['audit', ['verify', 'query', 'report', 'keygen']],
    ] as const) {
      const r = await cli(['help', group]);
      expect(r.code, group).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toContain('usage: saferoute COMMAND');
      for (const sub of subs) expect(r.stdout).toContain(`usage: saferoute ${group} ${sub}`);
    }
    const one = await cli(['help', 'audit', 'query']);
    expect(one.stdout).toContain('usage: saferoute audit query');
    expect(one.stdout).not.toContain('usage: saferoute audit verify');
  });
  it('names an unknown help topic on stderr and exits 64', async () => {
    const r = await cli(['help', 'nosuch']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown command `nosuch`');
    const sub = await cli(['help', 'audit', 'nosuch']);
    expect(sub.code).toBe(64);
    expect(sub.stderr).toContain('unknown subcommand `nosuch` of `audit`');
  });
  it('names an unknown subcommand of a group, and lists the group when none is given', async () => {
    const r = await cli(['audit', 'nosuch']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown subcommand `nosuch` of `audit`; expected one of: verify, query, report, keygen');
    const none = await cli(['audit']);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('`audit` needs a subcommand: verify, query, report, keygen');
  });
  it('reports a bad option with the usage and exit 64', async () => {
    const r = await cli(['check', '--polcy', 'x.json', 'hello']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("unknown option '--polcy'");
    expect(r.stderr).toContain('usage: saferoute check');
  });
});

describe('saferoute validate', () => {
  it('accepts the shipped policies', async () => {
    const r = await cli(['validate', policy('default.json'), policy('strict.json'), policy('examples/tenant-acme.json')]);
    expect(r.stdout.match(/^valid /gm)).toHaveLength(3);
    expect(r.code).toBe(0);
  });

  it('skips policy-tests files beside their policies with one note each, so a glob passes', async () => {
    const names = ['default.json', 'default.tests.json', 'strict.json', 'strict.tests.json'].map((n) => `policies/${n}`);
    const r = await cli(['validate', ...names], { cwd: join(policy('default.json'), '..', '..') });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/^valid /gm)).toHaveLength(2);
    expect(r.stdout).not.toMatch(/^error /m);
    expect(r.stdout).toContain('`policies/default.tests.json` is a policy-tests file, not a policy; run `saferoute test policies/default.json`');
    expect(r.stdout.match(/is a policy-tests file, not a policy/g)).toHaveLength(2);
    const json = await cli(['validate', policy('strict.json'), policy('strict.tests.json'), '--json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { skipped?: boolean; valid?: boolean; kind?: string });
    expect(lines).toEqual([expect.objectContaining({ valid: true }), expect.objectContaining({ skipped: true, kind: 'policy-tests' })]);
  });

  it('recognises a policy-tests file by its $schema too, and fails when no policy is left to validate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-validate-'));
    try {
      writeFileSync(join(dir, 'cases.json'), JSON.stringify({ $schema: '../schema/policy-tests.schema.json', cases: [] }));
      const r = await cli(['validate', 'cases.json'], { cwd: dir });
      expect(r.stdout).toContain('`cases.json` is a policy-tests file, not a policy; run `saferoute test POLICY --tests cases.json`');
      expect(r.stdout).not.toMatch(/^error /m);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no policy to validate');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports all five mistakes of a policy at once, each with line and column', async () => {
    const r = await cli(['validate', example('five-mistakes.json')]);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('error '));
    expect(errors).toHaveLength(5);
    const f = relative(process.cwd(), example('five-mistakes.json'));
    expect(errors[0]).toBe(`error ${f}:12:26 /rules/0/when/score: unknown category \`sexual/minor\`; did you mean \`sexual/minors\`?`);
    expect(errors[1]).toMatch(new RegExp(`^error ${f}:18:41 /rules/1/when/gte: threshold 1\\.5 is outside \\[0, 1\\]`));
    expect(errors[2]).toMatch(new RegExp(`^error ${f}:25:48 /rules/2/effect/target: unknown target \`restricted\``));
    expect(errors[3]).toMatch(new RegExp(`^error ${f}:28:13 /rules/3/id: duplicate rule id \`threshold\``));
    // The first occurrence, in the same file, is shown as the file is: relative to the working directory.
    expect(errors[3]).toContain(`(first at \`${f}:16:13\`)`);
    expect(errors[4]).toMatch(new RegExp(`^error ${f}:32:7 /rules/3/severity: unknown property \`severity\``));
    expect(r.stdout).toContain('invalid');
  });

  it('reports a JSON syntax error at its position', async () => {
    const r = await cli(['validate', fixture('syntax-error.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/syntax-error\.json:4:3 /);
  });

  it('reports a missing file as not found (exit 1), not as invalid and not as a crash', async () => {
    const file = fixture('does-not-exist.json');
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`looked for ${file}`);
    expect(r.stdout).toContain(`not found ${file}\n`);
    expect(r.stdout).not.toContain('invalid');
  });

  it('prints JSON with --json', async () => {
    const r = await cli(['validate', '--json', policy('default.json')]);
    const line = JSON.parse(r.stdout.trim());
    expect(line).toMatchObject({ valid: true, id: 'default', issues: [] });
    expect(line.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('saferoute test', () => {
  it('runs the shipped tests beside the policy and reports full coverage', async () => {
    const r = await cli(['test', policy('default.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.stdout).toMatch(/rule coverage: (\d+)\/\1\n/);
    expect(r.stdout).toMatch(/unmet-code coverage: (\d+)\/\1\n/);
  });

  it('prints the difference of a failing case and exits 2', async () => {
    const r = await cli(['test', policy('default.json'), '--tests', fixture('failing.tests.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('FAIL expects the wrong target');
    expect(r.stdout).toContain('target: expected "sfw", got "private"');
    expect(r.stdout).toContain('PASS passes');
    expect(r.stdout).toContain('1 passed, 1 failed');
  });

  it('says what to do when handed the wrong file, or none', async () => {
    const swapped = await cli(['test', policy('default.tests.json')]);
    expect(swapped.code).toBe(64);
    expect(swapped.stderr).toContain('is a policy-tests file; name the policy it tests');
    expect(swapped.stderr).toContain('default.json');
    const asTests = await cli(['test', policy('default.json'), '--tests', policy('default.json')]);
    expect(asTests.code).toBe(78);
    expect(asTests.stderr).toContain('is a policy, not a test file');
    const dir = mkdtempSync(join(tmpdir(), 'saferoute-test-cmd-'));
    try {
      writeFileSync(join(dir, 'p.json'), readFileSync(policy('default.json')));
      const none = await cli(['test', join(dir, 'p.json')]);
      expect(none.code).toBe(78);
      expect(none.stderr).toContain('no such file; write one beside the policy (POLICY.tests.json) or name it with --tests');
      writeFileSync(
        join(dir, 'p.tests.json'),
        JSON.stringify({ subjects: { adult: { id: 'a' } }, cases: [{ name: 'x', scores: { sexal: 0.9 }, subject: 'adlut', expect: { outcome: 'route' } }] }),
      );
      const typo = await cli(['test', join(dir, 'p.json')]);
      expect(typo.code).toBe(78);
      expect(typo.stderr).toContain('/cases/0/scores');
      expect(typo.stderr).toContain('did you mean `sexual`?');
      writeFileSync(join(dir, 'p.tests.json'), JSON.stringify({ subjects: { adult: { id: 'a' } }, cases: [{ name: 'x', scores: { sexual: 0.9 }, subject: 'adlut', expect: { outcome: 'route' } }] }));
      const subject = await cli(['test', join(dir, 'p.json')]);
      expect(subject.stderr).toContain('unknown subject `adlut`; did you mean `adult`?');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on uncovered rules when asked', async () => {
    const r = await cli(['test', policy('default.json'), '--tests', fixture('failing.tests.json'), '--fail-on-uncovered', '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.coverage.rules.uncovered).toContain('adult-to-restricted');
  });
});

describe('saferoute check', () => {
  it('names a missing --file (exit 1) and an unreadable --now (usage, exit 64) with what to give', async () => {
    const missing = await cli(['check', '--file', 'no-such-inputs.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read `no-such-inputs.jsonl`: no such file');
    const now = await cli(['check', '--now', 'yesterday', 'hello']);
    expect(now.code).toBe(64);
    expect(now.stderr).toContain('`--now` takes an ISO 8601 time such as 2026-11-28T12:00:00Z, not `yesterday`');
  });

  it('takes `default` and `strict` as the shipped policies, as a gateway config does; another missing name is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'saferoute-check-'));
    try {
      const strict = await cli(['check', '--policy', 'strict', '--json', 'What is the capital of France?'], { cwd: dir });
      expect(strict.code).toBe(0);
      expect(JSON.parse(strict.stdout.trim()).policy.id).toBe('strict');
      const missing = await cli(['check', '--policy', 'stricter', 'hello'], { cwd: dir });
      expect(missing.code).toBe(78);
      expect(missing.stderr).toContain(`policy file \`${join(dir, 'stricter')}\` not found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints one JSON object per input with the decision fields', async () => {
    const r = await cli(['check', '--policy', policy('default.json'), '--json', 'What is the capital of France?']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout.trim());
    expect(d).toMatchObject({ outcome: 'route', target: 'sfw', determiningRules: [], unmet: [], warnings: [] });
    expect(typeof d.scores).toBe('object');
    expect(d.policy.id).toBe('default');
  });

  it('blocks adult content for an unverified subject and says what is unmet', async () => {
    const subject = fileURLToPath(new URL('../../examples/subjects/unverified.json', import.meta.url));
    const r = await cli(['check', '--json', '--subject', subject, 'Write an explicit erotic story about two consenting adults having sex.']);
    const d = JSON.parse(r.stdout.trim());
    expect(d.outcome).toBe('block');
    expect(d.unmet.map((u: { code: string }) => u.code)).toEqual(['age_verification_required', 'consent_required']);
  });

  it('decides every good line of a file, names each bad line, and exits 1', async () => {
    const r = await cli(['check', '--json', '--file', fixture('inputs.jsonl')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.input)).toEqual(['benign', 'scores', 'pii-scores']);
    expect(lines[1]).toMatchObject({ outcome: 'block', reason: 'jailbreak' });
    expect(lines[2]).toMatchObject({ outcome: 'route', target: 'private' });
    expect(r.stderr).toContain('inputs.jsonl:3: not JSON');
    expect(r.stderr).toMatch(/inputs\.jsonl:4: score of `sexual` must be a number in \[0, 1\]/);
    expect(r.stderr).toContain('inputs.jsonl:5: unknown field `txt`');
  });

  it('explains every rule with --explain', async () => {
    const r = await cli(['check', '--explain', 'hello there']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('block-sexual-minors');
    expect(r.stdout).toMatch(/false\s+score `sexual\/minors` >= 0\.3\s+observed 0/);
    expect(r.stdout).toContain('not evaluated at the input stage');
  });

  it('rejects an invalid subject file with every problem and exit 78', async () => {
    const r = await cli(['check', '--subject', fixture('bad-subject.json'), 'hello']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('bad-subject.json');
    expect(r.stderr).toContain('/jurisdiction');
    expect(r.stderr).toContain('/age/over');
    expect(r.stderr).toContain('/age/verifiedAt');
  });

  it('refuses an invalid policy with its issues and exit 78', async () => {
    const r = await cli(['check', '--policy', example('five-mistakes.json'), 'hello']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('five-mistakes.json:12:26');
  });

  it('shows a blocked row with `-` as target and the reason beside the outcome', async () => {
    const r = await cli(['check', '--file', fixture('inputs.jsonl')]);
    const row = r.stdout.split('\n').find((l) => l.startsWith('scores '));
    expect(row).toMatch(/^scores\s+BLOCK \(jailbreak\)\s+-\s+block-jailbreak\s/);
    expect(r.stdout).not.toContain('(jailbreak)  block');
  });

  it('counts the skipped lines in the summary, suggests categories and names the expected fields', async () => {
    const r = await cli(['check', '--file', fixture('inputs.jsonl')]);
    expect(r.stdout).toContain('3 decided, 3 lines skipped (see above); policy default@');
    expect(r.stderr).toContain('inputs.jsonl:5: unknown field `txt` (did you mean `text`?); expected `text` or `scores`');
    const one = await cli(['check', '--file', '-'], { stdin: '{"scores": {"sexx": 0.5}}\n{"scores": {"violnce": 0.5}}\n{"text": "hi"}\n' });
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('-:1: unknown category `sexx` in scores; did you mean `sexual`?');
    expect(one.stderr).toContain('-:2: unknown category `violnce` in scores; did you mean `violence`?');
    expect(one.stdout).toContain('1 decided, 2 lines skipped (see above)');
    const clean = await cli(['check', 'hello']);
    expect(clean.stdout).toMatch(/^1 decided with policy default@/m);
  });

  it('gives line and column for a subject file that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-subject-'));
    try {
      writeFileSync(join(dir, 's.json'), '{\n  "id": "x",\n  "age": {over: 18}\n}\n');
      const r = await cli(['check', '--subject', 's.json', 'hello'], { cwd: dir });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('is not JSON');
      expect(r.stderr).toContain('at line 3, column 11');
      expect(r.stderr).not.toContain('position');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says a missing policy file is not found, with exit 78', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-nopolicy-'));
    try {
      const r = await cli(['check', '--policy', 'nosuch.json', 'hello'], { cwd: dir });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain(`policy file \`${join(dir, 'nosuch.json')}\` not found; a relative path starts at the working directory, and \`default\` or \`strict\` name the policies saferoute ships`);
      expect(r.stderr).not.toContain('is invalid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records with --audit, pluralised, and names both created key files in one note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-audit-'));
    const env = { SAFEROUTE_AUDIT_HMAC_KEY: '', SAFEROUTE_AUDIT_SIGNING_KEY: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };
    try {
      const r = await cli(['check', '--audit', 'log', 'hello'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('recorded 1 decision in log\n');
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('hmac.key and audit-signing.key.pem');
      const again = await cli(['check', '--audit', 'log', '--file', '-'], { cwd: dir, env, stdin: '{"text": "a"}\n{"text": "b"}\n' });
      expect(again.stderr).toContain('recorded 2 decisions in log\n');
      expect(again.stderr).not.toContain('note: ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs something to check', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('nothing to check');
  });
});
