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
  /** The caller's id for the request (kept as given, up to 256 characters). */
  requestId?: string;
  keys: AuditHmacKeys;
  /** Marks a candidate policy's decision (never enforced), linked to the live decision it shadows. */
  shadowOf?: string;
}

/**
 * The audit body of a decision, before a writer chains it. Every object, the body included, is
 * built with its keys in canonical (sorted) order, which lets the writer skip sorting and
 * canonicalise each member with the native `JSON.stringify`. It keeps references to the age and consent evidence
 * (attestation id, issuer, method, level; consent record, scope, version, state) and never the raw
 * verification data (age threshold, verification and expiry times).
 */
/** Longer ids are cut: a record's size must not be the caller's to choose. */
export const MAX_REQUEST_ID_LENGTH = 256;

export function createAuditEvent(decision: Decision, options: CreateAuditEventOptions): DecisionAuditBody {
  const { keys } = options;
  const effective: DecisionAuditBody['effective'] = { outcome: decision.effective.outcome };
  if (decision.effective.target !== undefined) effective.target = decision.effective.target;
  // Assigned one by one, in sorted order, so that optional members keep their sorted place.
  const body = {
    // Messages may quote the text or an upstream body; codes are enough to explain a failure.
    classifierErrors: decision.classifierErrors.map((e) => ({ classifier: e.classifier, code: e.code })),
    decidedAt: decision.decidedAt,
    decisionId: decision.decisionId,
    determiningRules: [...decision.determiningRules],
    effective,
    evidence: evidenceOf(decision),
    facts: decision.facts,
    kind: 'decision',
    latencyMs: Number.isFinite(decision.latencyMs) ? Math.round(decision.latencyMs * 1000) / 1000 : -1,
    matchedRules: [...decision.matchedRules],
    mode: decision.mode,
    outcome: decision.outcome,
    policy: {
      id: decision.policy.id,
      revision: decision.policy.revision,
      sha256: decision.policy.sha256,
      ...(decision.policy.signedBy ? { signedBy: { signer: decision.policy.signedBy.signer, keyId: decision.policy.signedBy.keyId, signedAt: decision.policy.signedBy.signedAt } } : {}),
    },
  } as DecisionAuditBody;
  if (decision.reason !== undefined) body.reason = decision.reason;
  if (options.requestId != null) body.requestId = options.requestId.slice(0, MAX_REQUEST_ID_LENGTH);
  body.scores = finiteScores(decision.scores);
  if (options.shadowOf != null) {
    body.shadow = true;
    body.shadowOf = options.shadowOf;
  }
  body.stage = decision.stage;
  if (options.subjectId != null) {
    const pseudonym = keys.pseudonymize(options.subjectId);
    body.subject = keys.keyId !== undefined ? { keyId: keys.keyId, pseudonym } : { pseudonym };
  }
  if (decision.target !== undefined) body.target = decision.target;
  if (options.text != null) body.text = textOf(options.text, options.textMode ?? 'digest', decision, keys);
  body.unmet = decision.unmet.map((u) => (u.scope !== undefined ? { code: u.code, scope: u.scope, target: u.target } : { code: u.code, target: u.target }));
  body.warnings = [...decision.warnings];
  return body;
}

function textOf(text: string, mode: AuditTextMode, decision: Decision, keys: AuditHmacKeys): AuditText {
  switch (mode) {
    case 'full':
      return { mode: 'full', value: text };
    case 'redacted':
      return { mode: 'redacted', value: redactText(text, decision.evidence) };
    default:
      return keys.keyId !== undefined
        ? { alg: 'hmac-sha256', digest: keys.digestText(text), keyId: keys.keyId, mode: 'digest' }
        : { alg: 'hmac-sha256', digest: keys.digestText(text), mode: 'digest' };
  }
}

function evidenceOf(decision: Decision): AuditEvidence {
  const subject = decision.subject;
  if (!subject) return { consents: [] };
  const consents = subject.consents.map((c) =>
    c.recordId !== undefined
      ? { recordId: c.recordId, scope: c.scope, state: c.state, version: c.version }
      : { scope: c.scope, state: c.state, version: c.version },
  );
  const jurisdiction = { code: subject.jurisdiction.code, row: subject.jurisdiction.row, source: subject.jurisdiction.source };
  const { age } = subject;
  if (!age) return { consents, jurisdiction };
  const ref = {} as NonNullable<AuditEvidence['age']>;
  if (age.attestationId !== undefined) ref.attestationId = age.attestationId;
  if (age.issuer !== undefined) ref.issuer = age.issuer;
  ref.level = age.level;
  ref.method = age.method;
  return { age: ref, consents, jurisdiction };
}

function finiteScores(scores: Scores): Scores {
  const out: Scores = {};
  for (const category of (Object.keys(scores) as (keyof Scores)[]).sort()) {
    const score = scores[category];
    if (score != null && Number.isFinite(score)) out[category] = score;
  }
  return out;
}
