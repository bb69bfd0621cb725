import type { Outcome, Stage, UnmetCode } from '../decision/decision.js';
import type { Scores } from '../taxonomy/categories.js';
import type { DecisionFacts } from '../decision/decision-facts.js';
import type { AgeMethod, AssuranceLevel, ConsentState, JurisdictionSource } from '../subjects/subject-context.js';

export const AUDIT_EVENT_VERSION = 1;

/** The `prev` of the first record of a writer that has no earlier epoch. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditFailurePolicy = 'fail-closed' | 'continue';
export type AuditTextMode = 'digest' | 'redacted' | 'full';

export type AuditText =
  | { mode: 'digest'; alg: 'hmac-sha256'; digest: string; keyId?: string }
  | { mode: 'redacted'; value: string }
  | { mode: 'full'; value: string };

/** References to the age and consent evidence a decision relied on; never the raw verification data. */
export interface AuditEvidence {
  jurisdiction?: { code: string; row: string; source: JurisdictionSource };
  age?: { attestationId?: string; issuer?: string; method: AgeMethod; level: AssuranceLevel };
  consents: { recordId?: string; scope: string; version: string; state: ConsentState | 'none' }[];
}

export interface DecisionAuditBody {
  kind: 'decision';
  decisionId: string;
  decidedAt: string;
  stage: Stage;
  outcome: Outcome;
  target?: string;
  effective: { outcome: Outcome; target?: string };
  reason?: string;
  /**
   * The caller's id for the request this decision answered (a `check --file` line's `id`, an
   * HTTP request id), so an auditor can find the record from the caller's side. Absent in
   * records written before it existed.
   */
  requestId?: string;
  mode: 'enforce' | 'monitor';
  /** `signedBy`: who signed the deciding policy, when it was loaded under `requireSignedPolicies`. */
  policy: { id: string; revision: string; sha256: string; signedBy?: { signer: string; keyId: string; signedAt: string } };
  determiningRules: string[];
  matchedRules: string[];
  scores: Scores;
  unmet: { code: UnmetCode; target: string; scope?: string }[];
  warnings: string[];
  evidence: AuditEvidence;
  classifierErrors: { classifier: string; code: string }[];
  latencyMs: number;
  subject?: { pseudonym: string; keyId?: string };
  text?: AuditText;
  /**
   * What the policy read besides the text, for `saferoute replay` (see `DecisionFacts`). Absent in
   * records written before it existed: those replay only where their scores suffice.
   */
  facts?: DecisionFacts;
  /** A candidate policy's decision, never enforced (the guard's `shadow` option). */
  shadow?: true;
  /** For a shadow decision: the id of the live decision it shadows. */
  shadowOf?: string;
}

/** Where the previous epoch of this writer ended, as found on start. */
export interface PreviousEpochHead {
  epoch: number;
  seq: number;
  hash: string;
  ts: string;
  /** The previous epoch ended with an incomplete line (a crash mid-write); it was left untouched. */
  tornTail?: boolean;
}

export interface WriterStartBody {
  kind: 'writer-start';
  sink: 'file' | 'pg';
  failurePolicy: AuditFailurePolicy;
  /** The head of the previous epoch; `null` when this writer has no earlier epoch. */
  previous: PreviousEpochHead | null;
  /** Set when an earlier epoch exists but no readable record was found in it. */
  previousUnreadable?: { epoch: number; reason: string };
  host: string;
  pid: number;
  checkpointKeyId?: string;
}

export interface WriterStopBody {
  kind: 'writer-stop';
  reason: 'close';
  /** Records this epoch holds, this one included. */
  records: number;
}

/** `continue` mode only: records that could not be made durable and are not in the log. */
export interface LostRecordsBody {
  kind: 'lost';
  count: number;
  since: string;
  until: string;
  reason: string;
}

export type AuditEventBody = DecisionAuditBody | WriterStartBody | WriterStopBody | LostRecordsBody;
export type AuditEventKind = AuditEventBody['kind'];

/** The fields the writer adds when it chains a body. */
export interface AuditChainFields {
  v: 1;
  writer: string;
  epoch: number;
  seq: number;
  ts: string;
  prev: string;
  /** Set when the wall clock was behind the chain's last timestamp by this many ms (`ts` was held). */
  clockSkewMs?: number;
  hash: string;
}

/** One record of the log: a body chained by its writer. */
export type AuditEvent = AuditEventBody & AuditChainFields;
export type DecisionAuditEvent = DecisionAuditBody & AuditChainFields;

export const CHAIN_FIELD_NAMES: readonly string[] = ['v', 'writer', 'epoch', 'seq', 'ts', 'prev', 'clockSkewMs', 'hash'];
