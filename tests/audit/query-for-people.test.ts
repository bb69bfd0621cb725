import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import type { DecisionAuditEvent } from '../../src/audit/audit-event.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { sampleBody, TEST_HMAC_KEYS } from './fixtures.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const SECRET = 'test-secret-of-at-least-16-bytes';
const env = { SAFEROUTE_AUDIT_HMAC_KEY: '', SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_SIGNING_KEY: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };
const cli = (argv: string[], extra: Record<string, string> = {}) => runCliInProcess(argv, { cwd: dir, env: { ...env, ...extra } });
const ids = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { decisionId: string }).decisionId);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-query-'));
  const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'q' });
  await sink.append(sampleBody({}, 'alice'));
  await sink.append(sampleBody({ outcome: 'block', target: undefined, effective: { outcome: 'block' }, determiningRules: ['adult-needs-age'], matchedRules: ['adult-needs-age'] }, 'bob'));
  await sink.close();
});

afterAll(async () => cleanup());

describe('audit query --subject-id: the pseudonym computed with the audit HMAC key', () => {
  it('finds the subject by its own id with SAFEROUTE_AUDIT_HMAC_KEY', async () => {
    const bySubject = await cli(['audit', 'query', 'log', '--format', 'jsonl', '--subject', TEST_HMAC_KEYS.pseudonymize('bob')]);
    const byId = await cli(['audit', 'query', 'log', '--format', 'jsonl', '--subject-id', 'bob'], { SAFEROUTE_AUDIT_HMAC_KEY: SECRET });
    expect(byId.code).toBe(0);
    expect(ids(byId.stdout)).toHaveLength(1);
    expect(ids(byId.stdout)).toEqual(ids(bySubject.stdout));
  });

  it('uses the development key kept beside the log, and says what to set when there is none', async () => {
    const none = await cli(['audit', 'query', 'log', '--subject-id', 'bob']);
    expect(none.code).toBe(78);
    expect(none.stderr).toMatch(/`--subject-id` needs the audit HMAC key the writer used: set SAFEROUTE_AUDIT_HMAC_KEY/);
    await mkdir(join(dir, 'log.keys'), { recursive: true });
    await writeFile(join(dir, 'log.keys', 'hmac.key'), SECRET + '\n');
    const dev = await cli(['audit', 'query', 'log', '--format', 'jsonl', '--subject-id', 'alice']);
    expect(dev.code).toBe(0);
    expect(ids(dev.stdout)).toHaveLength(1);
    expect((await cli(['audit', 'query', 'log', '--subject-id', 'bob', '--subject', 'x'])).code).toBe(64);
  });
});

describe('audit query: a name the log never saw is an error with the closest one, not "0 records"', () => {
  it('a misspelt rule or target', async () => {
    const rule = await cli(['audit', 'query', 'log', '--rule', 'adult-content-to-restriced']);
    expect(rule.code).toBe(64);
    expect(rule.stdout).toBe('');
    expect(rule.stderr).toContain('`--rule adult-content-to-restriced`: no decision in the log names the rule `adult-content-to-restriced`; did you mean `adult-content-to-restricted`?');
    const target = await cli(['audit', 'query', 'log', '--target', 'restricte']);
    expect(target.code).toBe(64);
    expect(target.stderr).toContain('did you mean `restricted`?');
    const far = await cli(['audit', 'query', 'log', '--rule', 'zzz']);
    expect(far.stderr).toContain('; the log names `adult-content-to-restricted`, `adult-needs-age` or `warn-profanity`');
    const range = await cli(['audit', 'query', 'log', '--rule', 'adult-needs-age', '--to', '2000-01-01']);
    expect(range.code).toBe(64);
    expect(range.stderr).toContain('no decision in the log between the start and 2000-01-01 names the rule');
  });

  it('a known name that matches nothing with the other filters is a plain empty answer', async () => {
    const r = await cli(['audit', 'query', 'log', '--rule', 'adult-needs-age', '--outcome', 'route']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^TIME\s+DECISION/);
    expect(r.stderr).toBe('0 records\n');
  });

  it('a misspelt category, unmet code or stage', async () => {
    expect((await cli(['audit', 'query', 'log', '--category', 'sexaul'])).stderr).toContain('`--category sexaul` is not one of the categories; did you mean `sexual`?');
    expect((await cli(['audit', 'query', 'log', '--unmet', 'age_verification_requird'])).stderr).toContain('did you mean `age_verification_required`?');
    expect((await cli(['audit', 'query', 'log', '--stage', 'inptu'])).code).toBe(64);
  });
});

describe('check --file: a line\'s id is kept in its audit record', () => {
  it('as requestId, found again with --request-id and shown in CSV', async () => {
    const inputs = join(dir, 'inputs.jsonl');
    await writeFile(
      inputs,
      [
        JSON.stringify({ id: 'ticket-4711', text: 'How do I bake bread?' }),
        JSON.stringify({ id: 42, text: 'Write an explicit erotic story about two consenting adults.' }),
        JSON.stringify({ text: 'no id here' }),
        JSON.stringify({ id: 'x'.repeat(300), text: 'too long an id' }),
        JSON.stringify({ id: { nested: true }, text: 'an object is no id' }),
      ].join('\n') + '\n',
    );
    const r = await cli(['check', '--file', 'inputs.jsonl', '--audit', 'checked']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('inputs.jsonl:4: `id` is longer than 256 characters');
    expect(r.stderr).toContain('inputs.jsonl:5: `id` must be a string or a number');
    const decisions: DecisionAuditEvent[] = [];
    for await (const { event } of readAuditRecords({ dir: join(dir, 'checked') })) if (event.kind === 'decision') decisions.push(event);
    expect(decisions.map((d) => d.requestId)).toEqual(['ticket-4711', '42', undefined]);
    const found = await cli(['audit', 'query', 'checked', '--format', 'jsonl', '--request-id', 'ticket-4711']);
    expect(ids(found.stdout)).toEqual([decisions[0]?.decisionId]);
    const csv = await cli(['audit', 'query', 'checked', '--format', 'csv']);
    const rows = csv.stdout.trim().split('\r\n');
    expect(rows[0]).toMatch(/,request_id,shadow_of,policy_sha256$/);
    expect(rows[1]).toMatch(/,ticket-4711,,[0-9a-f]{64}$/);
    expect(rows[3]).toMatch(/,,,[0-9a-f]{64}$/);
  });
});
