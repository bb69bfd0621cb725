import { CATEGORIES, type Category, type Scores } from '../taxonomy/categories.js';
import type { AttributeValue, RequestAttributes } from '../policy/evaluate-condition.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { AgeMethod, AssuranceLevel, ConsentEvent, JurisdictionSource, SubjectContext } from '../subjects/subject-context.js';
import { consentStateAt } from '../subjects/consent/consent-state.js';
import { policyReads } from './policy-reads.js';

/**
 * Everything a policy reads to decide, besides the text: what `replay` re-decides with under
 * another policy. A privacy-reviewed set: request attributes (free metadata only for the keys the
 * deciding policy reads), blocklist hits by list id, the age evidence summary (never a birthdate
 * or a token), consent state per scope as judged at decision time, the jurisdiction as given and
 * its source, and the classifier scores. Never the subject id (the audit trail pseudonymises it).
 * Every object lists its keys in sorted order (the audit writer's fast canonical path).
 */
export interface DecisionFacts {
  /** Ids of the policy blocklists the text hit. */
  blocklistHits: string[];
  /** Present when a classifier failed: the categories it scores, and whether the blocklist matcher failed. */
  failed?: { blocklist: boolean; categories: Category[] };
  request: RequestFacts;
  /** Scores as classified (and given), before `onClassifierError: strictest` raised failed categories. */
  scores: Scores;
  /** Absent when the decision had no subject at all. */
  subject?: SubjectFacts;
}

export interface RequestFacts {
  app?: string;
  hasImages: boolean;
  /** The metadata keys the deciding policy reads that the request carried. */
  metadata?: Record<string, AttributeValue>;
  /** Every metadata key the deciding policy reads, present or not: a key outside it was not recorded. */
  metadataRead?: string[];
  model?: string;
  /** Output stage: the target whose model produced the text. */
  servedTarget?: string;
  tenant?: string;
}

export interface AgeFacts {
  attestationId?: string;
  expiresAt?: string;
  issuer?: string;
  level: AssuranceLevel;
  method: AgeMethod;
  /** The attestation's age-over threshold (never a birthdate). */
  over: number;
  verifiedAt: string;
}

/** One consent scope as judged at decision time (scopes with no event are absent: `none`). */
export interface ConsentFact {
  expiresAt?: string;
  recordId?: string;
  scope: string;
  /** When the state began; absent when the establishing event's time was unreadable. */
  since?: string;
  state: 'given' | 'withdrawn' | 'expired';
  version: string;
}

export interface SubjectFacts {
  age?: AgeFacts;
  /** Subject attributes the deciding policy reads that the subject carried. */
  attributes?: Record<string, AttributeValue>;
  attributesRead?: string[];
  consents: ConsentFact[];
  /** The jurisdiction as given (`code`, possibly malformed), where it came from, and where one was rejected. */
  jurisdiction?: { code?: string; rejected?: string; source?: JurisdictionSource };
  /** The first attestation the resolver rejected, when none was accepted. */
  rejectedAttestation?: { issuer?: string; reason: string };
}

/**
 * Longest client-supplied string kept where no condition compares it exactly (the requested model
 * is compared, but no model name is this long): a record's size is not the caller's to choose.
 */
const MAX_FACT_STRING = 256;

export interface BuildFactsInput {
  stage: 'input' | 'output';
  scores: Scores;
  blocklistHits: ReadonlySet<string> | readonly string[];
  failed?: { categories: Iterable<Category>; blocklist: boolean } | undefined;
  request?: RequestAttributes | undefined;
  subject?: SubjectContext | undefined;
  servedTarget?: string | undefined;
  now: Date;
}

/** The facts of one decision under `policy` (which free attributes to keep depends on what it reads). */
export function buildDecisionFacts(policy: EvaluablePolicy, input: BuildFactsInput): DecisionFacts {
  const reads = policyReads(policy);
  const facts = { blocklistHits: [...input.blocklistHits].sort() } as DecisionFacts;
  if (input.failed) facts.failed = { blocklist: input.failed.blocklist, categories: [...new Set(input.failed.categories)].sort() };
  facts.request = requestFacts(input.request ?? {}, reads.metadata, input.stage === 'output' ? input.servedTarget : undefined);
  facts.scores = sortedScores(input.scores);
  if (input.subject) facts.subject = subjectFacts(input.subject, reads.attributes, input.now);
  return facts;
}

function requestFacts(request: RequestAttributes, metadataKeys: readonly string[], servedTarget: string | undefined): RequestFacts {
  const out = {} as RequestFacts;
  if (request.app != null) out.app = request.app;
  out.hasImages = request.hasImages ?? false;
  if (metadataKeys.length > 0) {
    const picked = pick(request.metadata, metadataKeys);
    if (picked) out.metadata = picked;
    out.metadataRead = [...metadataKeys];
  }
  if (request.model != null) out.model = clip(request.model);
  if (servedTarget != null) out.servedTarget = servedTarget;
  if (request.tenant != null) out.tenant = request.tenant;
  return out;
}

function subjectFacts(subject: SubjectContext, attributeKeys: readonly string[], now: Date): SubjectFacts {
  const out = {} as SubjectFacts;
  const age = subject.age;
  if (age) {
    const a = {} as AgeFacts;
    if (age.attestationId != null) a.attestationId = age.attestationId;
    if (age.expiresAt != null) a.expiresAt = age.expiresAt;
    if (age.issuer != null) a.issuer = age.issuer;
    a.level = age.level;
    a.method = age.method;
    a.over = age.over;
    a.verifiedAt = age.verifiedAt;
    out.age = a;
  }
  if (attributeKeys.length > 0) {
    const picked = pick(subject.attributes, attributeKeys);
    if (picked) out.attributes = picked;
    out.attributesRead = [...attributeKeys];
  }
  out.consents = consentFacts(subject.consents ?? [], now);
  if (subject.jurisdiction != null || subject.jurisdictionSource != null || subject.jurisdictionRejected != null) {
    const j: NonNullable<SubjectFacts['jurisdiction']> = {};
    if (subject.jurisdiction != null) j.code = clip(subject.jurisdiction);
    if (subject.jurisdictionRejected != null) j.rejected = clip(subject.jurisdictionRejected);
    if (subject.jurisdictionSource != null) j.source = subject.jurisdictionSource;
    out.jurisdiction = j;
  }
  const rejected = subject.rejectedAttestations?.[0];
  if (!age && rejected) out.rejectedAttestation = rejected.issuer != null ? { issuer: rejected.issuer, reason: clip(rejected.reason) } : { reason: clip(rejected.reason) };
  return out;
}

/** The state of every scope the subject has events for, as of `now`, sorted by scope. */
function consentFacts(events: readonly ConsentEvent[], now: Date): ConsentFact[] {
  const scopes = [...new Set(events.map((e) => e.scope))].sort();
  const out: ConsentFact[] = [];
  for (const scope of scopes) {
    const status = consentStateAt(events, scope, now);
    if (status.state === 'none') continue;
    const c = {} as ConsentFact;
    if (status.state === 'given' && status.expiresAt != null) c.expiresAt = status.expiresAt;
    if (status.recordId != null) c.recordId = status.recordId;
    c.scope = scope;
    if (status.since != null) c.since = status.since;
    c.state = status.state;
    c.version = status.version ?? '';
    out.push(c);
  }
  return out;
}

/**
 * The subject a policy sees when it decides on facts: consent events that establish exactly the
 * recorded states (an event with an unreadable time where the original had one, so the strictest
 * reading applies the same way).
 */
export function subjectFromFacts(facts: SubjectFacts | undefined, subjectId?: string): SubjectContext | undefined {
  if (!facts) return subjectId != null ? { id: subjectId } : undefined;
  const subject: SubjectContext = {};
  if (subjectId != null) subject.id = subjectId;
  if (facts.jurisdiction?.code != null) subject.jurisdiction = facts.jurisdiction.code;
  if (facts.jurisdiction?.source != null) subject.jurisdictionSource = facts.jurisdiction.source;
  if (facts.jurisdiction?.rejected != null) subject.jurisdictionRejected = facts.jurisdiction.rejected;
  if (facts.age) subject.age = { ...facts.age };
  if (facts.rejectedAttestation) subject.rejectedAttestations = [{ ...facts.rejectedAttestation }];
  subject.consents = facts.consents.map((c) => {
    const event: ConsentEvent = { scope: c.scope, version: c.version, state: c.state, at: c.since ?? '' };
    if (c.expiresAt != null) event.expiresAt = c.expiresAt;
    if (c.recordId != null) event.recordId = c.recordId;
    return event;
  });
  if (facts.attributes) subject.attributes = { ...facts.attributes };
  return subject;
}

/** The request attributes a policy sees when it decides on facts. */
export function requestFromFacts(facts: RequestFacts): RequestAttributes {
  const request: RequestAttributes = { hasImages: facts.hasImages };
  if (facts.tenant != null) request.tenant = facts.tenant;
  if (facts.app != null) request.app = facts.app;
  if (facts.model != null) request.model = facts.model;
  if (facts.metadata) request.metadata = { ...facts.metadata };
  return request;
}

function pick(values: Readonly<Record<string, AttributeValue>> | undefined, keys: readonly string[]): Record<string, AttributeValue> | undefined {
  if (!values) return undefined;
  let out: Record<string, AttributeValue> | undefined;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(values, key)) continue;
    const v = values[key];
    if (v === undefined) continue;
    out ??= {};
    // defineProperty: a key such as `__proto__` stays a plain member.
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Every category in the order `sort()` puts them, once: scores are written in this order without sorting their keys per decision. */
const SORTED_CATEGORIES: readonly Category[] = [...CATEGORIES].sort();

/** The finite scores, keys in `sort()` order. */
export function sortedScores(scores: Scores): Scores {
  const out: Scores = {};
  let seen = 0;
  for (const k of SORTED_CATEGORIES) {
    const v = scores[k];
    if (v === undefined) continue;
    seen++;
    if (v != null && Number.isFinite(v)) out[k] = v;
  }
  // Only categories are expected; anything else (a key outside the taxonomy) takes the general way.
  if (seen !== Object.keys(scores).length) return sortedAnyScores(scores);
  return out;
}

function sortedAnyScores(scores: Scores): Scores {
  const out: Scores = {};
  for (const k of (Object.keys(scores) as Category[]).sort()) {
    const v = scores[k];
    if (v != null && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

function clip(s: string): string {
  return s.length > MAX_FACT_STRING ? s.slice(0, MAX_FACT_STRING) : s;
}
