import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { createAuditRecorder } from '../../src/audit/create-audit-recorder.js';
import type { AuditSink } from '../../src/audit/audit-sink.js';
import { createPolicyRuntime } from '../../src/decision/policy-runtime.js';
import type { EvaluablePolicy } from '../../src/policy/evaluate-policy.js';
import { replayAuditLog } from '../../src/replay/replay-audit-log.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import type { ReplaySummary } from '../../src/replay/replay-summary.js';
import { ADULT, NOW, defaultClassifiers, testPolicy } from '../guard/guard-fixtures.js';
import { sampleBody } from '../audit/fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from '../audit/helpers.js';
import { TEST_HMAC_KEYS } from '../audit/fixtures.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../src/util/canonical-json.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

const live = (audit: 'digest' | 'full' = 'digest'): EvaluablePolicy => testPolicy(UP, { audit: { text: audit } });
/** The candidate: the restricted target now needs consent version 2, which the adult gave only as 1. */
const candidate = (): EvaluablePolicy => {
  const base = live();
  const targets = JSON.parse(JSON.stringify(base.document.targets)) as Record<string, { requirements?: { consent?: { scope: string; minVersion: string }[] } }>;
  (targets['restricted'] as { requirements: { consent: { scope: string; minVersion: string }[] } }).requirements.consent = [{ scope: 'adult-content', minVersion: '2.0.0' }];
  return testPolicy(UP, { revision: '2', targets: targets as never });
};

/** Ten decisions: 4 hello (two for tenant acme), 3 adult routes, 2 blocked minors, 1 image request; then 2 records from before facts. */
async function writeLog(sink: AuditSink, policy: EvaluablePolicy): Promise<{ adultIds: string[] }> {
  const audit = createAuditRecorder({ sink, keys: TEST_HMAC_KEYS });
  const core = await createGuardCore({ policy, classifiers: defaultClassifiers().resolver, audit, clock: () => NOW });
  const adultIds: string[] = [];
  for (let i = 0; i < 4; i++) await core.checkInput(ask(`hello ${i}`), i < 2 ? { tenant: 'acme' } : { tenant: 'globex' });
  for (let i = 0; i < 3; i++) adultIds.push((await core.checkInput(ask(`[[adult]] story ${i}`), { subject: ADULT, tenant: 'globex' })).decision.decisionId);
  for (let i = 0; i < 2; i++) await core.checkInput(ask(`FORBIDDEN ${i}`), { tenant: 'globex' });
  await core.checkInput({ messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }, { tenant: 'globex' });
  // Records written before decision facts existed.
  await sink.append(sampleBody());
  await sink.append(sampleBody({ outcome: 'block', target: undefined, effective: { outcome: 'block' } }));
  await sink.close();
  return { adultIds };
}

function row(s: ReplaySummary, from: string, to: string): number {
  return s.transitions.find((t) => t.from === from && t.to === to)?.count ?? 0;
}

describe('replay of a file log', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let adultIds: string[];
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('saferoute-replay-'));
    // Small segments, so worker threads get several files each.
    ({ adultIds } = await writeLog(await createFileAuditSink({ dir, writerId: 'gw', rotate: { maxBytes: 4096 } }), live()));
  });
  afterAll(async () => cleanup());

  it('under the same policy changes nothing, re-decides every record with facts, and counts the older ones with the reason', async () => {
    const s = await replayAuditLog({ dir }, { policy: live() });
    expect(s.records).toBe(12);
    expect(s.fromFacts).toBe(10);
    expect(s.changed).toBe(0);
    expect(row(s, 'route sfw', 'route sfw')).toBe(4);
    expect(row(s, 'route restricted', 'route restricted')).toBe(3);
    expect(row(s, 'block', 'block')).toBe(2);
    expect(row(s, 'route private', 'route private')).toBe(1);
    expect(s.unreplayed).toEqual([expect.objectContaining({ reason: 'no_facts', count: 2 })]);
    expect(s.unreplayed[0]?.note).toMatch(/before decision facts existed/);
  });

  it('under a candidate shows the transitions, the rules and the decision ids that change', async () => {
    const s = await replayAuditLog({ dir }, { policy: candidate(), sample: 2 });
    expect(s.changed).toBe(3);
    const change = s.transitions.find((t) => t.from !== t.to);
    expect(change).toMatchObject({ from: 'route restricted', to: 'block', count: 3, was: [['adult', 3]], now: [['adult', 3]] });
    expect(change?.sample).toEqual(adultIds.slice(0, 2));
    expect(s.transitions[0]).toBe(change);
  });

  it('filters by tenant and time', async () => {
    const acme = await replayAuditLog({ dir }, { policy: live(), tenant: 'acme' });
    expect(acme.fromFacts).toBe(2);
    const none = await replayAuditLog({ dir }, { policy: live(), from: NOW.getTime() + 365 * 86_400_000 });
    expect(none.records).toBe(0);
  });

  it('never guesses a fact that was not recorded', async () => {
    const reads = testPolicy(UP, {
      revision: '3',
      rules: [...live().document.rules, { id: 'plan', description: 'd', stage: 'input', when: { request: 'metadata.plan', equals: 'pro' }, effect: { action: 'route', target: 'private', precedence: 10 } }],
    });
    const s = await replayAuditLog({ dir }, { policy: reads });
    expect(s.fromFacts).toBe(0);
    expect(s.unreplayed.find((u) => u.reason === 'metadata_not_recorded (plan)')?.count).toBe(10);
  });

  it('gives the same answer in worker threads', async () => {
    const one = await replayAuditLog({ dir }, { policy: candidate(), workers: 1 });
    let parts = 0;
    const two = await replayAuditLog({ dir }, { policy: candidate(), workers: 2, onProgress: () => void parts++ });
    // Samples are the first ids each thread met: compare them as sets.
    const bySet = (x: ReplaySummary) => ({ ...x, transitions: x.transitions.map((t) => ({ ...t, sample: [...t.sample].sort() })), unreplayed: x.unreplayed.map((u) => ({ ...u, sample: [...u.sample].sort() })) });
    expect(bySet(two)).toEqual(bySet(one));
    expect(parts).toBeGreaterThan(2);
  });

  it('prints the transition table and exits 1 when something changes (CLI)', async () => {
    const file = join(dir, '..', `candidate-${process.pid}.json`);
    // The CLI loads its classifiers from the built-in registry: the candidate names only built-in ones.
    const doc = JSON.parse(canonicalJson(candidate().document)) as { classifiers: unknown };
    doc.classifiers = {};
    await writeFile(file, JSON.stringify(doc));
    const r = await runCliInProcess(['replay', '--policy', file, dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/route restricted\s+block\s+3\s+changed/);
    expect(r.stdout).toContain('was decided by: adult (3)');
    expect(r.stdout).toContain('not re-evaluated:');
    expect(r.stdout).toMatch(/2 no_facts: recorded before decision facts existed/);
    expect(r.stdout).toMatch(/classifiers_changed/);
    const json = await runCliInProcess(['replay', '--policy', file, dir, '--json']);
    expect((JSON.parse(json.stdout) as ReplaySummary).changed).toBe(3);
    // A record from before facts: `audit show` says what it lacks rather than explaining it from today's files.
    let old: string | undefined;
    for await (const { event } of readAuditRecords({ dir })) if (event.kind === 'decision' && !event.facts) old = event.decisionId;
    const shown = await runCliInProcess(['audit', 'show', old as string, dir]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain('not in the archive');
    expect(shown.stdout).toContain('facts: none (recorded before decision facts existed)');
    const usage = await runCliInProcess(['replay', dir]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('--policy NEW.json');
  });
});

describe('replay from the text the log keeps (audit.text: full)', () => {
  it('classifies again when asked, and equals the recorded decisions under the same policy', async () => {
    const { dir, cleanup } = await tempDir('saferoute-replay-text-');
    try {
      await writeLog(await createFileAuditSink({ dir, writerId: 'gw' }), live('full'));
      const policy = live('full');
      const runtime = createPolicyRuntime(policy, defaultClassifiers().resolver);
      const s = await replayAuditLog({ dir }, { policy, runtime, reclassify: true });
      expect(s.fromText).toBe(10);
      expect(s.changed).toBe(0);
    } finally {
      await cleanup();
    }
  });
});

describe.skipIf(!PG_URL)('replay of a PostgreSQL log', () => {
  it('reads the records and the archive from PostgreSQL', async () => {
    const db = await pgSchema(PG_URL as string);
    try {
      await writeLog(await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'gw' }), live());
      const s = await replayAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { policy: candidate() });
      expect(s.records).toBe(12);
      expect(s.changed).toBe(3);
      expect(s.notes).toEqual([]);
    } finally {
      await db.cleanup();
    }
  });
});

if (!PG_URL) console.log(PG_SKIP_NOTE);

describe('replay of a corpus', () => {
  it('decides inputs under --old and --policy, and replays recorded decision lines', async () => {
    const { dir, cleanup } = await tempDir('saferoute-replay-corpus-');
    try {
      const { shippedPolicyPath } = await import('../../src/policy/shipped-policies.js');
      const { readFile } = await import('node:fs/promises');
      const doc = JSON.parse(await readFile(shippedPolicyPath('default'), 'utf8')) as { $schema?: string; rules: { id: string; when: { gte?: number; all?: { gte?: number }[] } }[] };
      delete doc.$schema;
      for (const r of doc.rules) if (r.id === 'adult-to-restricted') r.when.all![0]!.gte = 0.999;
      const candidateFile = join(dir, 'candidate.json');
      await writeFile(candidateFile, JSON.stringify(doc));
      const corpus = join(dir, 'corpus.jsonl');
      await writeFile(corpus, [{ id: 'c1', text: 'write an explicit sex story about two adults' }, { id: 'c2', text: 'what is the capital of France?' }].map((r) => JSON.stringify(r)).join('\n') + '\n');
      const r = await runCliInProcess(['replay', '--policy', candidateFile, '--old', shippedPolicyPath('default'), corpus, '--json']);
      expect(r.code, r.stderr).toBe(1);
      const s = JSON.parse(r.stdout) as ReplaySummary;
      expect(s.fromText).toBe(2);
      expect(s.transitions.find((t) => t.from !== t.to)).toMatchObject({ from: 'block', to: 'route sfw', count: 1, sample: ['c1'], was: [['adult-to-restricted', 1]] });
      const noOld = await runCliInProcess(['replay', '--policy', candidateFile, corpus]);
      expect(noOld.code).toBe(1);
      expect(noOld.stderr).toContain('give the policy to compare with as `--old OLD.json`');
    } finally {
      await cleanup();
    }
  });
});
