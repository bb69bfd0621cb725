import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { Decision } from '../decision/decision.js';
import { canonicalJson } from '../util/canonical-json.js';
import { createAuditEvent } from './create-audit-event.js';
import { createAuditHmacKeys } from './audit-hmac-keys.js';
import { AuditConfigError } from './audit-error.js';

const keys = createAuditHmacKeys({ secret: 'an operator secret of 32 bytes!!', keyId: 'k2025' });

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    decisionId: '01900000-0000-7000-8000-000000000001',
    stage: 'input',
    outcome: 'block',
    effective: { outcome: 'block' },
    reason: 'unmet_requirements',
    determiningRules: ['adult-needs-age'],
    matchedRules: ['adult-needs-age'],
    unmet: [{ code: 'consent_outdated', target: 'restricted', detail: 'consent 1.0.0 is older than 2.0.0 (age 17)', scope: 'adult' }],
    warnings: [],
    scores: { sexual: 0.8, violence: 0 },
    evidence: [{ category: 'pii', start: 8, end: 23, match: 'email', source: 'pii' }],
    classifierErrors: [{ classifier: 'openai-moderation', code: 'timeout', message: 'upstream said: my secret prompt' }],
    subject: {
      jurisdiction: { code: 'KR', row: 'KR', source: 'attestation' },
      age: { over: 19, method: 'digital_id_wallet', level: 'strict', verifiedAt: '2025-01-02T03:04:05.000Z', issuer: 'wallet', attestationId: 'a-1' },
      consents: [{ scope: 'adult', version: '1.0.0', state: 'given', at: '2024-01-01T00:00:00.000Z', recordId: 'r-1' }],
    },
    policy: { id: 'p', revision: '7', sha256: 'f'.repeat(64) },
    mode: 'enforce',
    decidedAt: '2025-06-01T00:00:00.000Z',
    latencyMs: 1.23456,
    ...overrides,
  };
}

function withoutReasonOrSubject(d: Decision): Decision {
  const { reason: _r, subject: _s, ...rest } = d;
  return rest;
}

describe('createAuditEvent', () => {
  it('keeps references to age and consent evidence and never the raw verification data', () => {
    const body = createAuditEvent(decision(), { subjectId: 'alice@example.com', keys });
    expect(body.evidence).toEqual({
      jurisdiction: { code: 'KR', row: 'KR', source: 'attestation' },
      age: { attestationId: 'a-1', issuer: 'wallet', method: 'digital_id_wallet', level: 'strict' },
      consents: [{ recordId: 'r-1', scope: 'adult', version: '1.0.0', state: 'given' }],
    });
    const text = JSON.stringify(body);
    for (const raw of ['verifiedAt', '"over"', '2025-01-02T03:04:05', 'alice@example.com', 'detail', 'my secret prompt']) {
      expect(text).not.toContain(raw);
    }
    expect(body.unmet).toEqual([{ code: 'consent_outdated', target: 'restricted', scope: 'adult' }]);
    expect(body.classifierErrors).toEqual([{ classifier: 'openai-moderation', code: 'timeout' }]);
    expect(body.latencyMs).toBe(1.235);
  });

  it('stores the subject as an HMAC pseudonym that is stable per key and differs across keys', () => {
    const a = createAuditEvent(decision(), { subjectId: 'alice', keys });
    const b = createAuditEvent(decision(), { subjectId: 'alice', keys });
    const other = createAuditEvent(decision(), { subjectId: 'alice', keys: createAuditHmacKeys({ secret: 'another secret of 32 bytes......' }) });
    expect(a.subject).toEqual({ pseudonym: keys.pseudonymize('alice'), keyId: 'k2025' });
    expect(a.subject?.pseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(b.subject?.pseudonym).toBe(a.subject?.pseudonym);
    expect(other.subject?.pseudonym).not.toBe(a.subject?.pseudonym);
    // Not a plain hash and not the plain HMAC of the id with the secret: a derived subkey.
    expect(a.subject?.pseudonym).not.toBe(createHmac('sha256', 'an operator secret of 32 bytes!!').update('alice').digest('hex'));
  });

  it('stores a keyed digest of the text by default and says which mode it used', () => {
    const body = createAuditEvent(decision(), { text: 'write to bob@example.com now', keys });
    expect(body.text).toEqual({ mode: 'digest', alg: 'hmac-sha256', digest: keys.digestText('write to bob@example.com now'), keyId: 'k2025' });
    expect(body.text?.mode === 'digest' && body.text.digest).not.toBe(keys.pseudonymize('write to bob@example.com now'));
  });

  it('stores redacted or full text only when asked', () => {
    const redacted = createAuditEvent(decision(), { text: 'mail to bob@example.com or call +44 20 7946 0958', textMode: 'redacted', keys });
    expect(redacted.text).toEqual({ mode: 'redacted', value: 'mail to [pii] or call [number]' });
    const full = createAuditEvent(decision(), { text: 'hello', textMode: 'full', keys });
    expect(full.text).toEqual({ mode: 'full', value: 'hello' });
    expect(createAuditEvent(decision(), { keys }).text).toBeUndefined();
  });

  it('drops scores that are not finite numbers instead of failing the record', () => {
    const body = createAuditEvent(decision({ scores: { sexual: Number.NaN, hate: 0 } }), { keys });
    expect(body.scores).toEqual({ hate: 0 });
  });

  it('builds every object with its keys in canonical order, so one JSON.stringify is the canonical JSON', () => {
    const noKeyId = createAuditHmacKeys({ secret: 'an operator secret of 32 bytes!!' });
    const variants = [
      createAuditEvent(decision(), { subjectId: 'alice', text: 'hi', keys }),
      createAuditEvent({ ...withoutReasonOrSubject(decision()), target: 'sfw', effective: { outcome: 'route', target: 'sfw' } }, { keys: noKeyId, text: 'x' }),
      createAuditEvent(decision({ subject: { jurisdiction: { code: 'GB', row: '*', source: 'default' }, consents: [{ scope: 's', version: '1.0.0', state: 'none' }] } as never }), {
        subjectId: 'bob',
        text: 'hello',
        textMode: 'full',
        keys: noKeyId,
      }),
      createAuditEvent(decision({ unmet: [{ code: 'consent_required', target: 'restricted', detail: 'none' }] }), { keys }),
    ];
    for (const body of variants) expect(JSON.stringify(body)).toBe(canonicalJson(body));
  });

  it('refuses a short HMAC secret', () => {
    expect(() => createAuditHmacKeys({ secret: 'short' })).toThrow(AuditConfigError);
  });
});
