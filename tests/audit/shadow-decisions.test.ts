import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createAuditRecorder } from '../../src/audit/create-audit-recorder.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import type { DecisionAuditEvent } from '../../src/audit/audit-event.js';
import { writeAuditReport } from '../../src/audit/audit-report.js';
import { queryAuditLog } from '../../src/audit/query-audit-log.js';
import type { EvaluablePolicy } from '../../src/policy/evaluate-policy.js';
import { ADULT, NOW, defaultClassifiers, testPolicy } from '../guard/guard-fixtures.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { TEST_HMAC_KEYS } from './fixtures.js';
import { tempDir } from './helpers.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });
const env = { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };

/** A stricter candidate: adult content is blocked instead of routed to the restricted model. */
function candidate(): EvaluablePolicy {
  const live = testPolicy(UP);
  return testPolicy(UP, {
    revision: 'candidate',
    rules: live.document.rules.map((r) => (r.id === 'adult' ? { ...r, effect: { action: 'block' as const, reason: 'adult_not_allowed', message: 'prohibited' } } : r)),
  });
}

let dir: string;
let cleanup: () => Promise<void>;
let live: DecisionAuditEvent[];
let shadow: DecisionAuditEvent[];
const shadowPolicy = candidate();
const cli = (argv: string[]) => runCliInProcess(argv, { cwd: dir, env });

/**
 * Three live decisions (one blocked) and, beside each, the candidate's (two blocked): counted
 * together, the log would show three blocks in six "decisions" where traffic saw one in three.
 */
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-shadow-decisions-'));
  const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'gw' });
  const audit = createAuditRecorder({ sink, keys: TEST_HMAC_KEYS });
  const core = await createGuardCore({ policy: testPolicy(UP), classifiers: defaultClassifiers().resolver, audit, clock: () => NOW, shadow: [shadowPolicy] });
  await core.checkInput(ask('[[adult]] story'), { subject: ADULT });
  await core.checkInput(ask('hello'), {});
  await core.checkInput(ask('[[adult]] again'), {});
  await sink.close();
  const records: DecisionAuditEvent[] = [];
  for await (const { event } of readAuditRecords({ dir: join(dir, 'log') })) if (event.kind === 'decision') records.push(event);
  live = records.filter((r) => r.shadow !== true);
  shadow = records.filter((r) => r.shadow === true);
});

afterAll(async () => cleanup());

describe('shadow decisions are not live traffic', () => {
  it('the log holds the live decisions and, linked to them, the candidate’s', () => {
    expect(live.map((d) => d.outcome)).toEqual(['route', 'route', 'block']);
    expect(shadow.map((d) => d.outcome)).toEqual(['block', 'route', 'block']);
    expect(shadow.map((d) => d.shadowOf)).toEqual(live.map((d) => d.decisionId));
  });

  it('the report counts live decisions only, and the shadow ones apart', async () => {
    const { aggregate } = await writeAuditReport({ dir: join(dir, 'log') }, { out: join(dir, 'lib.html'), unsigned: true });
    expect(aggregate.decisions).toBe(3);
    expect(aggregate.byEffectiveOutcome.get('block')).toBe(1);
    expect([...aggregate.byPolicy.values()].map((p) => p.revision)).toEqual(['1']);
    expect(aggregate.shadow?.decisions).toBe(3);
    expect(aggregate.shadow?.byEffectiveOutcome.get('block')).toBe(2);
    expect([...(aggregate.shadow?.byPolicy.values() ?? [])].map((p) => [p.revision, p.sha256, p.count, p.blocked])).toEqual([['candidate', shadowPolicy.sha256, 3, 2]]);
  });

  it('saferoute audit report: shadow decisions left out by default, shown apart with --shadow', async () => {
    const plain = await cli(['audit', 'report', 'log', '--unsigned', '--out', 'plain.html']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/: 3 live decisions \(3 shadow decisions not counted; --shadow shows them apart\); verification valid/);
    const html = await readFile(join(dir, 'plain.html'), 'utf8');
    expect(html).toMatch(/<dt>blocked \(effective\)<\/dt><dd>1 \(33\.3%\)<\/dd>/);
    expect(html).toMatch(/<dt>shadow decisions \(not counted\)<\/dt><dd>3<\/dd>/);
    expect(html).toContain('<dt>decisions in range</dt><dd>6 (3 live, 3 shadow)</dd>');
    expect(html).not.toContain('<section id="shadow">');
    expect(html).not.toContain('>candidate<');

    const withShadow = await cli(['audit', 'report', 'log', '--unsigned', '--shadow', '--out', 'shadow.html']);
    expect(withShadow.code, withShadow.stderr).toBe(0);
    expect(withShadow.stdout).toMatch(/: 3 live decisions \(and 3 shadow decisions, shown apart\)/);
    const shown = await readFile(join(dir, 'shadow.html'), 'utf8');
    // The live figures do not move; the candidate's are in their own section.
    expect(shown).toMatch(/<dt>blocked \(effective\)<\/dt><dd>1 \(33\.3%\)<\/dd>/);
    const section = shown.slice(shown.indexOf('<section id="shadow">'));
    expect(section).toMatch(/<dt>would have blocked<\/dt><dd>2 \(66\.7%\)<\/dd>/);
    expect(section).toMatch(/<td>guard-test<\/td><td class="nowrap">candidate<\/td>.*<td class="num">3<\/td><td class="num">2<\/td>/);
  });

  it('audit query --shadow include|exclude|only, shadow rows marked', async () => {
    const all = await cli(['audit', 'query', 'log']);
    expect(all.code, all.stderr).toBe(0);
    const rows = all.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => /\bblock \(shadow\)/.test(r))).toHaveLength(2);
    expect(rows.filter((r) => /\broute \(shadow\)/.test(r))).toHaveLength(1);
    expect(all.stderr).toContain('6 records (3 of them shadow decisions, never enforced)');

    const excluded = await cli(['audit', 'query', 'log', '--shadow', 'exclude', '--format', 'jsonl']);
    expect(excluded.stdout.trim().split('\n').map((l) => (JSON.parse(l) as DecisionAuditEvent).decisionId)).toEqual(live.map((d) => d.decisionId));
    const only = await cli(['audit', 'query', 'log', '--shadow', 'only', '--format', 'jsonl']);
    expect(only.stdout.trim().split('\n').map((l) => (JSON.parse(l) as DecisionAuditEvent).decisionId)).toEqual(shadow.map((d) => d.decisionId));
    // Live blocks only: the count an auditor asks for.
    const blocks = await cli(['audit', 'query', 'log', '--outcome', 'block', '--shadow=exclude', '--format', 'jsonl']);
    expect(blocks.stdout.trim().split('\n')).toHaveLength(1);
    // --all-kinds with only: writer start and stop records are not shadow decisions.
    const kinds = [];
    for await (const r of queryAuditLog({ dir: join(dir, 'log') }, { kinds: 'all', shadow: 'only' })) kinds.push(r.event.kind);
    expect(kinds).toEqual(['decision', 'decision', 'decision']);

    const bad = await cli(['audit', 'query', 'log', '--shadow', 'yes']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('`--shadow yes` must be include, exclude or only');
  });

  it('the CSV carries shadow_of and policy_sha256 after request_id', async () => {
    const csv = await cli(['audit', 'query', 'log', '--format', 'csv']);
    const [header, ...rows] = csv.stdout.trim().split('\r\n');
    expect(header).toMatch(/,request_id,shadow_of,policy_sha256$/);
    const byId = new Map(rows.map((r) => [r.split(',')[5], r]));
    for (const s of shadow) expect(byId.get(s.decisionId)).toMatch(new RegExp(`,${s.shadowOf},${shadowPolicy.sha256}$`));
    for (const l of live) expect(byId.get(l.decisionId)).toMatch(new RegExp(`,,${l.policy.sha256}$`));
  });
});
