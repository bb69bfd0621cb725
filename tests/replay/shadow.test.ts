import { describe, expect, it } from 'vitest';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createAuditRecorder } from '../../src/audit/create-audit-recorder.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import type { DecisionAuditEvent } from '../../src/audit/audit-event.js';
import { replayShadow } from '../../src/replay/replay-shadow.js';
import { replayAuditLog } from '../../src/replay/replay-audit-log.js';
import type { EvaluablePolicy } from '../../src/policy/evaluate-policy.js';
import { ADULT, NOW, defaultClassifiers, testPolicy } from '../guard/guard-fixtures.js';
import { TEST_HMAC_KEYS } from '../audit/fixtures.js';
import { tempDir } from '../audit/helpers.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

/** The candidate sends adult content to the private target instead, with no requirements. */
function candidate(): EvaluablePolicy {
  const live = testPolicy(UP);
  return testPolicy(UP, {
    revision: 'candidate',
    rules: live.document.rules.map((r) => (r.id === 'adult' ? { ...r, effect: { action: 'route' as const, target: 'private', precedence: 90 } } : r)),
  });
}

describe('shadow policies', () => {
  it('decide beside the live policy, are never enforced, and are recorded linked to the live decision', async () => {
    const { dir, cleanup } = await tempDir('saferoute-shadow-');
    try {
      const sink = await createFileAuditSink({ dir, writerId: 'gw' });
      const audit = createAuditRecorder({ sink, keys: TEST_HMAC_KEYS });
      const shadowPolicy = candidate();
      const { resolver, marker } = defaultClassifiers();
      const core = await createGuardCore({ policy: testPolicy(UP), classifiers: resolver, audit, clock: () => NOW, shadow: [shadowPolicy] });
      const adult = await core.checkInput(ask('[[adult]] story'), { subject: ADULT });
      const hello = await core.checkInput(ask('hello'), {});
      const blocked = await core.checkInput(ask('[[adult]] again'), {});
      const out = await core.checkOutput({ text: 'Mail me at jane@example.com' }, hello, { servedTarget: 'sfw' });
      await sink.close();
      // Live decisions are the live policy's: the candidate would have routed these to `private`.
      expect(adult.target).toBe('restricted');
      expect(blocked.blocked?.reason).toBe('unmet_requirements');
      expect(out.redacted).toEqual(['pii']);
      // Same classifiers: the candidate decided on the live scores, nothing was classified twice.
      expect(marker.seen.filter((i) => i.stage === 'input')).toHaveLength(3);

      const records: DecisionAuditEvent[] = [];
      for await (const { event } of readAuditRecords({ dir })) if (event.kind === 'decision') records.push(event);
      const liveRecords = records.filter((r) => r.shadow !== true);
      const shadowRecords = records.filter((r) => r.shadow === true);
      expect(liveRecords).toHaveLength(4);
      expect(shadowRecords).toHaveLength(4);
      for (const s of shadowRecords) {
        expect(s.policy.sha256).toBe(shadowPolicy.sha256);
        expect(liveRecords.map((r) => r.decisionId)).toContain(s.shadowOf);
      }
      const ofAdult = shadowRecords.find((s) => s.shadowOf === adult.decision.decisionId);
      expect(ofAdult).toMatchObject({ outcome: 'route', target: 'private', determiningRules: ['adult'] });
      expect((await readdir(join(dir, 'policies'))).sort()).toEqual([testPolicy(UP).sha256, shadowPolicy.sha256].sort().map((s) => `${s}.json`));

      // replay --shadow: live against candidate, from the records alone.
      const [comparison, ...others] = await replayShadow({ dir });
      expect(others).toEqual([]);
      expect(comparison?.sha256).toBe(shadowPolicy.sha256);
      const t = comparison?.summary.transitions ?? [];
      expect(t.find((x) => x.from === 'route restricted')).toMatchObject({ to: 'route private', count: 1, sample: [adult.decision.decisionId] });
      expect(t.find((x) => x.from === 'block')).toMatchObject({ to: 'route private', count: 1 });
      expect(comparison?.summary.changed).toBe(2);

      // A plain replay leaves shadow decisions out: they were never live.
      expect((await replayAuditLog({ dir }, { policy: testPolicy(UP) })).records).toBe(4);

      const cli = await runCliInProcess(['replay', '--shadow', dir]);
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.stdout).toContain('candidate guard-test@candidate');
      expect(cli.stdout).toMatch(/route restricted\s+route private\s+1\s+changed/);
    } finally {
      await cleanup();
    }
  });
});
