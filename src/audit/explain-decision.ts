import type { DecisionAuditEvent } from './audit-event.js';
import { readAuditRecords } from './read-audit-records.js';
import { readArchivedPolicy, type ArchiveLookup } from './policy-archive.js';
import type { AuditLogSource } from './verify-audit-log.js';
import { evaluateBasis } from '../decision/decide-on-basis.js';
import type { RuleTrace } from '../decision/decision.js';
import type { ResolvedRule } from '../policy/policy.js';
import { lookupJurisdiction, mergeRequirements, type EffectiveRequirements } from '../policy/requirements.js';
import { subjectFromFacts } from '../decision/decision-facts.js';

/** A recorded decision explained by the policy that made it, as archived beside the log. */
export interface DecisionExplanation {
  record: DecisionAuditEvent;
  /** The stored line, verbatim. */
  line: string;
  archive: { found: true; where?: string } | { found: false; reason: Extract<ArchiveLookup, { ok: false }>['reason']; where: string };
  /** The archived policy's determining and matched rules, as written there (`defaults.*` and `targets.*.onUnmet` entries are not rules). */
  determining: ResolvedRule[];
  matched: ResolvedRule[];
  /** The requirements the target had to meet (target, determining rules, jurisdiction row and age floor, strictest wins). */
  requirements?: { target: string; effective: EffectiveRequirements; jurisdictionRow: string };
  /** Each rule's conditions with the values the facts held (records with facts only). */
  trace?: RuleTrace[];
  /** Whether deciding again from the facts under the archived policy gives the recorded verdict (records with facts only). */
  consistent?: boolean;
}

/** Finds a decision by id and explains it; `undefined` when no decision has that id. */
export async function explainDecision(source: AuditLogSource, decisionId: string): Promise<DecisionExplanation | undefined> {
  let found: { event: DecisionAuditEvent; line: string } | undefined;
  for await (const rec of readAuditRecords(source, { decisionId })) {
    if (rec.event.kind === 'decision' && rec.event.decisionId === decisionId) {
      found = { event: rec.event, line: rec.line };
      break;
    }
  }
  if (!found) return undefined;
  const record = found.event;
  const lookup = await readArchivedPolicy(source, record.policy.sha256);
  if (!lookup.ok) return { record, line: found.line, archive: { found: false, reason: lookup.reason, where: lookup.where }, determining: [], matched: [] };
  const policy = lookup.policy;
  const doc = policy.document;
  const byId = new Map(doc.rules.map((r) => [r.id, r]));
  const rulesOf = (ids: readonly string[]): ResolvedRule[] => ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as ResolvedRule] : []));
  const explanation: DecisionExplanation = {
    record,
    line: found.line,
    archive: { found: true },
    determining: rulesOf(record.determiningRules),
    matched: rulesOf(record.matchedRules),
  };
  const target = record.stage === 'input' ? (record.unmet[0]?.target ?? record.target) : undefined;
  const facts = record.facts;
  if (target !== undefined && doc.targets[target]) {
    const subject = subjectFromFacts(facts?.subject);
    const jurisdiction = lookupJurisdiction(doc.jurisdictions, subject?.jurisdiction, {
      unknown: doc.defaults.unknownJurisdiction,
      rejected: subject?.jurisdictionRejected,
    });
    const ruleReqs = explanation.determining.map((r) => (r.effect.action === 'route' && r.effect.target === target ? r.effect.requires : undefined));
    explanation.requirements = {
      target,
      effective: mergeRequirements([doc.targets[target]?.requirements, ...ruleReqs], jurisdiction.rule, doc.ageFloor),
      jurisdictionRow: record.evidence.jurisdiction?.row ?? jurisdiction.row,
    };
  }
  if (facts) {
    const again = evaluateBasis(policy, { stage: record.stage, decidedAt: new Date(record.decidedAt), facts }, true);
    if (again.trace) explanation.trace = again.trace;
    explanation.consistent = again.outcome === record.outcome && (again.target ?? null) === (record.target ?? null) && sameList(again.determiningRules, record.determiningRules);
  }
  return explanation;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
