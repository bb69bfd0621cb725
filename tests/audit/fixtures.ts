import type { Decision } from '../../src/decision/decision.js';
import { uuidv7 } from '../../src/util/uuidv7.js';
import { createAuditEvent } from '../../src/audit/create-audit-event.js';
import { createAuditHmacKeys } from '../../src/audit/audit-hmac-keys.js';
import type { DecisionAuditBody } from '../../src/audit/audit-event.js';

export const TEST_HMAC_KEYS = createAuditHmacKeys({ secret: 'test-secret-of-at-least-16-bytes', keyId: 'k1' });

/** Overrides may set optional fields to `undefined` to remove them. */
export type DecisionOverrides = { [K in keyof Decision]?: Decision[K] | undefined };

export function sampleDecision(overrides: DecisionOverrides = {}): Decision {
  const decision: Record<string, unknown> = {
    decisionId: uuidv7(),
    stage: 'input',
    outcome: 'route',
    target: 'restricted',
    effective: { outcome: 'route', target: 'restricted' },
    determiningRules: ['adult-content-to-restricted'],
    matchedRules: ['adult-content-to-restricted', 'warn-profanity'],
    unmet: [],
    warnings: ['sexual content'],
    scores: { sexual: 0.91, profanity: 0.4, 'sexual/minors': 0 },
    evidence: [{ category: 'sexual', start: 0, end: 4, match: 'nsfw', source: 'lexicon' }],
    classifierErrors: [],
    subject: {
      jurisdiction: { code: 'GB', row: 'GB', source: 'declared' },
      age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2025-01-01T00:00:00.000Z', issuer: 'https://idv.example', attestationId: 'att-123' },
      consents: [{ scope: 'adult-content', version: '2.1.0', state: 'given', at: '2025-01-01T00:00:00.000Z', recordId: 'c-9' }],
    },
    policy: { id: 'default', revision: 'r42', sha256: 'a'.repeat(64) },
    mode: 'enforce',
    decidedAt: new Date().toISOString(),
    latencyMs: 0.42,
    ...overrides,
  };
  for (const key of Object.keys(decision)) if (decision[key] === undefined) delete decision[key];
  return decision as unknown as Decision;
}

export function sampleBody(overrides: DecisionOverrides = {}, subjectId = 'user-1', text = 'nsfw story please'): DecisionAuditBody {
  return createAuditEvent(sampleDecision(overrides), { subjectId, text, keys: TEST_HMAC_KEYS });
}
