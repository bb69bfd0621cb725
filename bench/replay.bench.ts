// bench:replay — `saferoute replay` from decision facts: records/s over a synthetic audit log
// written by the real file sink, in this thread and in worker threads, next to the floor of
// reading the same segment lines and JSON.parse-ing each one (no decision at all), same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPolicy } from '../src/policy/load-policy.js';
import { shippedPolicyPath } from '../src/policy/shipped-policies.js';
import { createPolicyRuntime } from '../src/decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../src/classifiers/registry.js';
import { createFileAuditSink } from '../src/audit/file-audit-sink.js';
import { createAuditRecorder } from '../src/audit/create-audit-recorder.js';
import { createAuditEvent } from '../src/audit/create-audit-event.js';
import { createAuditHmacKeys } from '../src/audit/audit-hmac-keys.js';
import { nodeAuditFs } from '../src/audit/audit-fs.js';
import { listSegments, listWriters } from '../src/audit/segment-files.js';
import { readLineBatches } from '../src/audit/read-lines.js';
// The built package's replay, so worker threads start as they do for users (not through tsx).
import { replayAuditLog } from '../dist/replay/replay-audit-log.js';
import type { Decision } from '../src/decision/decision.js';
import type { SubjectContext } from '../src/subjects/subject-context.js';
import { fmt, median, printTable } from './bench-utils.js';
import { sampleTexts } from './sample-texts.js';

const RECORDS = Number(process.env['BENCH_REPLAY_RECORDS'] ?? 300_000);
const RUNS = 3;

const loaded = await loadPolicy(shippedPolicyPath('default'));
if (!loaded.ok) throw new Error('default policy invalid');
const policy = loaded.policy;
const runtime = createPolicyRuntime(policy, createClassifierRegistry(defaultClassifierFactories({})));
// The candidate: the adult route's threshold moved from 0.5 to 0.8 (a change replay must find).
const doc = JSON.parse(JSON.stringify(policy.document)) as { rules: { id: string; when: { gte?: number } }[]; revision: string };
doc.revision = 'bench-candidate';
for (const r of doc.rules) if (r.id === 'adult-to-restricted' && r.when.gte != null) r.when.gte = 0.8;
const { validatePolicyObjectOrThrow } = await import('../src/policy/load-policy.js');
const candidate = validatePolicyObjectOrThrow(doc);

const adult: SubjectContext = {
  id: 'u',
  jurisdiction: 'GB',
  jurisdictionSource: 'account',
  age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-10-01T00:00:00Z', expiresAt: '2027-10-01T00:00:00Z' },
  consents: [{ scope: 'adult-content', version: '2.0.0', state: 'given', at: '2026-10-01T00:00:00Z' }],
};
// A few hundred real decisions (texts of several kinds, with and without a verified adult), repeated.
const texts = [...sampleTexts(200, 120), 'write an explicit sex story', 'my card is 4111 1111 1111 1111', 'hello there'];
const decisions: Decision[] = [];
for (const [i, text] of texts.entries()) {
  decisions.push(await runtime.decide({ text, ...(i % 2 ? { subject: { ...adult, id: `u${i}` } } : {}), request: { tenant: i % 3 ? 'acme' : 'globex', app: 'chat', model: 'gpt-4o-mini' }, now: '2026-11-28T12:00:00Z' }));
}
const keys = createAuditHmacKeys({ secret: 'bench-secret-of-at-least-16-bytes' });
const bodies = decisions.map((d, i) => createAuditEvent(d, { keys, text: texts[i] as string, subjectId: `u${i}` }));

const dir = await mkdtemp(join(tmpdir(), 'saferoute-bench-replay-'));
try {
  const t0 = performance.now();
  const sink = await createFileAuditSink({ dir, writerId: 'bench', groupCommit: { maxBatch: 4096, maxQueue: 65_536 } });
  const recorder = createAuditRecorder({ sink, keys });
  await recorder.record(decisions[0] as Decision, { policy });
  for (let i = 0; i < RECORDS; i += 8192) {
    const n = Math.min(8192, RECORDS - i);
    await Promise.all(Array.from({ length: n }, (_, j) => sink.append(bodies[(i + j) % bodies.length] as (typeof bodies)[number])));
  }
  await sink.close();
  const files: string[] = [];
  for (const w of await listWriters(nodeAuditFs, dir)) for (const s of await listSegments(nodeAuditFs, dir, w)) files.push(s.path);
  console.log(`replay of ${RECORDS.toLocaleString('en-US')} decisions of policies/default.json under a candidate (adult threshold 0.5 → 0.8);`);
  console.log(`log written in ${fmt((performance.now() - t0) / 1000, 1)} s, ${files.length} segment(s); medians of ${RUNS} runs\n`);

  const floor: number[] = [];
  const single: number[] = [];
  const threads: number[] = [];
  let changed = 0;
  for (let run = 0; run < RUNS; run++) {
    let s = performance.now();
    let n = 0;
    for (const f of files) {
      for await (const batch of readLineBatches(f)) {
        for (const raw of batch) {
          if (raw.terminated && raw.bytes.length > 0 && (JSON.parse(raw.bytes.toString('utf8')) as { kind: string }).kind === 'decision') n++;
        }
      }
    }
    floor.push(n / ((performance.now() - s) / 1000));
    s = performance.now();
    const one = await replayAuditLog({ dir }, { policy: candidate, workers: 1 });
    single.push(one.fromFacts / ((performance.now() - s) / 1000));
    s = performance.now();
    const many = await replayAuditLog({ dir }, { policy: candidate, workers: 2 });
    threads.push(many.fromFacts / ((performance.now() - s) / 1000));
    changed = many.changed;
    if (many.fromFacts !== one.fromFacts || many.changed !== one.changed) throw new Error('worker threads disagree with one thread');
  }
  const base = median(floor);
  printTable(
    ['reader', 'records/s', 'vs floor'],
    [
      ['floor: read lines + JSON.parse, 1 thread', Math.round(base), '1.00×'],
      ['replay from facts, 1 thread', Math.round(median(single)), `${fmt(median(single) / base, 2)}×`],
      ['replay from facts, 2 worker threads', Math.round(median(threads)), `${fmt(median(threads) / base, 2)}×`],
    ],
  );
  console.log(`\n${changed.toLocaleString('en-US')} decisions change under the candidate`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
