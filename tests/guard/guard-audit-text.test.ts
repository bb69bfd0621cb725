import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditHmacKeys } from '../../src/audit/audit-hmac-keys.js';
import type { AuditSink } from '../../src/audit/audit-sink.js';
import type { DecisionAuditBody } from '../../src/audit/audit-event.js';
import { createAuditRecorder } from '../../src/audit/create-audit-recorder.js';
import { createAuditRecorderFromEnv } from '../../src/audit/create-audit-recorder-from-env.js';
import { verifyAuditLog } from '../../src/audit/index.js';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { NOW, defaultClassifiers, testPolicy } from './guard-fixtures.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };

function capturingSink(): AuditSink & { bodies: DecisionAuditBody[] } {
  const bodies: DecisionAuditBody[] = [];
  return {
    bodies,
    writerId: 'test',
    failurePolicy: 'fail-closed',
    append: async (body) => {
      bodies.push(body);
      return { durable: true, seq: bodies.length, hash: 'h' } as never;
    },
    health: () => ({ status: 'ok', sink: 'file', writer: 'test', epoch: 1, failurePolicy: 'fail-closed', queued: 0, lostRecords: 0 }),
    close: async () => undefined,
  };
}

describe('the policy decides what the guard keeps of the text', () => {
  for (const mode of ['digest', 'redacted', 'full'] as const) {
    it(`audit.text ${mode}`, async () => {
      const sink = capturingSink();
      const core = await createGuardCore({
        policy: testPolicy(UP, { audit: { text: mode } }),
        classifiers: defaultClassifiers().resolver,
        audit: createAuditRecorder({ sink, keys: createAuditHmacKeys({ secret: 'guard-audit-text-secret-0123' }) }),
        clock: () => NOW,
      });
      const check = await core.checkInput('please mail jane@example.com', { requestId: 'req-7' });
      expect(check.decision.auditText).toBe(mode);
      const text = sink.bodies[0]?.text as { mode: string; value?: string; digest?: string };
      expect(text.mode).toBe(mode);
      if (mode === 'full') expect(text.value).toBe('please mail jane@example.com');
      if (mode === 'redacted') expect(text.value).not.toContain('jane@example.com');
      if (mode === 'digest') expect(text.value).toBeUndefined();
      expect(sink.bodies[0]?.requestId).toBe('req-7');
    });
  }
});

describe('createAuditRecorderFromEnv', () => {
  it('opens a signed, witnessed file log from the environment that verifies after close', async () => {
    const root = await mkdtemp(join(tmpdir(), 'saferoute-recorder-env-'));
    try {
      const notes: string[] = [];
      const recorder = await createAuditRecorderFromEnv({
        dir: 'audit',
        cwd: root,
        env: { SAFEROUTE_AUDIT_WITNESS: join(root, 'witness') },
        writerId: 'gateway-1',
        onNote: (m) => notes.push(m),
      });
      const core = await createGuardCore({ policy: testPolicy(UP), classifiers: defaultClassifiers().resolver, audit: recorder, clock: () => NOW });
      await core.checkInput('hello', {});
      await core.checkInput('FORBIDDEN', {});
      expect(recorder.count).toBe(2);
      await recorder.close();
      expect(notes.join(' ')).toMatch(/created development audit keys/);
      expect(await readdir(join(root, 'audit.keys'))).toContain('audit-signing.pub.pem');
      const report = await verifyAuditLog({ dir: join(root, 'audit') }, { publicKey: await readFile(recorder.publicKeyPath, 'utf8') });
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.counts.records).toBeGreaterThanOrEqual(2);
      expect(report.checkpoints.signaturesVerified).toBeGreaterThan(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
