import type { Decision } from '../decision/decision.js';
import type { Scores } from '../taxonomy/categories.js';
import type { AuditEvidence, AuditText, AuditTextMode, DecisionAuditBody } from './audit-event.js';
import type { AuditHmacKeys } from './audit-hmac-keys.js';
import { redactText } from './redact-text.js';

export interface CreateAuditEventOptions {
  /** The subject's identifier; stored only as an HMAC pseudonym. */
  subjectId?: string;
  /** The classified text; stored per `textMode`. */
  text?: string;
  /** The policy's `audit.text`; `digest` unless the policy asks for more. */
  textMode?: AuditTextMode;
  keys: AuditHmacKeys;
}

/**
 * The audit body of a decision, before a writer chains it. Nested objects are built with their
 * keys in canonical order, which lets the writer canonicalise them with the native serialiser. It keeps references to the age and
 * consent evidence (attestation id, issuer, method, level; consent record, scope, version, state)
 * and never the raw verification data (age threshold, verification and expiry times).
 */
export function createAuditEvent(decision: Decision, options: CreateAuditEventOptions): DecisionAuditBody {
  const { keys } = options;
  const body: DecisionAuditBody = {
    kind: 'decision',
    decisionId: decision.decisionId,
    decidedAt: decision.decidedAt,
    stage: decision.stage,
    outcome: decision.outcome,
    ...(decision.target !== undefined ? { target: decision.target } : {}),
    effective: {
      outcome: decision.effective.outcome,
      ...(decision.effective.target !== undefined ? { target: decision.effective.target } : {}),
    },
    ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    mode: decision.mode,
    policy: { id: decision.policy.id, revision: decision.policy.revision, sha256: decision.policy.sha256 },
    determiningRules: [...decision.determiningRules],
    matchedRules: [...decision.matchedRules],
    scores: finiteScores(decision.scores),
    unmet: decision.unmet.map((u) => ({ code: u.code, ...(u.scope !== undefined ? { scope: u.scope } : {}), target: u.target })),
    warnings: [...decision.warnings],
    evidence: evidenceOf(decision),
    // Messages may quote the text or an upstream body; codes are enough to explain a failure.
    classifierErrors: decision.classifierErrors.map((e) => ({ classifier: e.classifier, code: e.code })),
    latencyMs: Number.isFinite(decision.latencyMs) ? Math.round(decision.latencyMs * 1000) / 1000 : -1,
  };
  if (options.subjectId != null) {
    body.subject = { ...(keys.keyId !== undefined ? { keyId: keys.keyId } : {}), pseudonym: keys.pseudonymize(options.subjectId) };
  }
  if (options.text != null) body.text = textOf(options.text, options.textMode ?? 'digest', decision, keys);
  return body;
}

function textOf(text: string, mode: AuditTextMode, decision: Decision, keys: AuditHmacKeys): AuditText {
  switch (mode) {
    case 'full':
      return { mode: 'full', value: text };
    case 'redacted':
      return { mode: 'redacted', value: redactText(text, decision.evidence) };
    default:
      return { alg: 'hmac-sha256', digest: keys.digestText(text), ...(keys.keyId !== undefined ? { keyId: keys.keyId } : {}), mode: 'digest' };
  }
}

function evidenceOf(decision: Decision): AuditEvidence {
  const subject = decision.subject;
  if (!subject) return { consents: [] };
  const { age } = subject;
  return {
    ...(age
      ? {
          age: {
            ...(age.attestationId !== undefined ? { attestationId: age.attestationId } : {}),
            ...(age.issuer !== undefined ? { issuer: age.issuer } : {}),
            level: age.level,
            method: age.method,
          },
        }
      : {}),
    consents: subject.consents.map((c) => ({
      ...(c.recordId !== undefined ? { recordId: c.recordId } : {}),
      scope: c.scope,
      state: c.state,
      version: c.version,
    })),
    jurisdiction: { code: subject.jurisdiction.code, row: subject.jurisdiction.row, source: subject.jurisdiction.source },
  };
}

function finiteScores(scores: Scores): Scores {
  const out: Scores = {};
  for (const category of (Object.keys(scores) as (keyof Scores)[]).sort()) {
    const score = scores[category];
    if (score != null && Number.isFinite(score)) out[category] = score;
  }
  return out;
}
