/**
 * One gateway instance for the consent concurrency test: 250 operations on one subject and scope
 * (grants, withdrawals, decisions reading the state as of their start), 8 at a time, then one
 * `markUsed` per shared single-use key. One JSON line per operation on standard output; times are
 * wall-clock milliseconds (`Date.now()`), comparable across processes.
 *
 *   args: URL SCHEMA INSTANCE KEYS
 */
import { createPgConsentStore } from '../../src/subjects/consent/pg-consent-store.js';
import { createPgReplayStore } from '../../src/subjects/attestation/pg-replay-store.js';

const [url, schema, instance, keyCount] = process.argv.slice(2) as [string, string, string, string];
// The wall clock, which every process reads alike. (performance.timeOrigin + performance.now() has
// finer steps, but each process fixes its origin once at start; on a loaded machine two origins can
// disagree by more than the gaps the test reasons about.) Ties in milliseconds count as uncertain.
const now = (): number => Date.now();
const store = createPgConsentStore({ connectionString: url, schema, max: 8, pseudonymKey: 'consent-concurrency-key-0123456789' });
const replay = createPgReplayStore({ connectionString: url, schema, max: 4 });
const out: string[] = [];
let next = 0;
const OPS = 250;

async function worker(): Promise<void> {
  while (next < OPS) {
    const i = next++;
    const kind = i % 10 === 0 ? 'grant' : i % 10 === 5 ? 'withdraw' : 'decide';
    const start = now();
    if (kind === 'decide') {
      const at = new Date(Math.floor(start));
      const status = await store.stateAt('subject-1', 'adult-content', at);
      out.push(JSON.stringify({ kind, instance, start, at: at.toISOString(), end: now(), state: status.state }));
    } else {
      const record = await store.append({
        subjectId: 'subject-1',
        scope: 'adult-content',
        version: '1.0.0',
        state: kind === 'grant' ? 'given' : 'withdrawn',
        collectionMethod: 'api',
        ...(kind === 'grant' ? { noticeId: 'notice-1', noticeSha256: 'a'.repeat(64) } : {}),
      });
      out.push(JSON.stringify({ kind, instance, start, end: now(), recordId: record.recordId, at: record.at }));
    }
  }
}
await Promise.all(Array.from({ length: 8 }, () => worker()));
// Every instance tries every single-use key at once: across instances, exactly one may win each.
const wins = await Promise.all(Array.from({ length: Number(keyCount) }, (_, k) => replay.markUsed(`jti-${k}`, 60_000)));
out.push(JSON.stringify({ kind: 'replay', instance, wins: wins.flatMap((w, k) => (w ? [k] : [])) }));
await store.close();
await replay.close();
process.stdout.write(out.join('\n') + '\n');
