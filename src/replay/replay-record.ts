import type { DecisionAuditBody } from '../audit/audit-event.js';
import { evaluateBasis } from '../decision/decide-on-basis.js';
import type { OldPolicyInfo, ReplayPolicy } from './replay-policy.js';
import type { ReplayAccumulator } from './replay-summary.js';

/** Why a record could not be re-decided from its facts, in the words the report prints. */
export const UNREPLAYED_NOTES = {
  no_facts:
    'recorded before decision facts existed: request attributes, subject (age, consent, jurisdiction) and blocklist hits are unknown, so no policy can be re-evaluated on them; only their scores were kept',
  metadata_not_recorded: 'the new policy reads request metadata the deciding policy did not, so it was never recorded',
  attributes_not_recorded: 'the new policy reads subject attributes the deciding policy did not, so they were never recorded',
  subject_id: 'the new policy tests the subject id, which the audit trail never records (only its pseudonym)',
  blocklist_changed: 'the new policy tests a blocklist whose terms differ from the deciding policy (or that policy is not archived), and the record keeps no text to match it again',
} as const;

export type UnreplayedReason = keyof typeof UNREPLAYED_NOTES;

/** The outcome of looking at one record: re-decided from facts, left for the text path, or not re-evaluable. */
export type RecordCheck = { kind: 'facts' } | { kind: 'text' } | { kind: 'unreplayed'; reason: UnreplayedReason; detail?: string };

/**
 * Can this record be re-decided from its facts under the new policy, and if not, does its text
 * help? Nothing is guessed: a fact the new policy reads that was never recorded leaves the record
 * out, counted with its reason.
 */
export function checkRecord(record: DecisionAuditBody, next: ReplayPolicy, old: OldPolicyInfo, reclassify: boolean): RecordCheck {
  const facts = record.facts;
  if (!facts) return { kind: 'unreplayed', reason: 'no_facts' };
  const { reads } = next;
  if (reads.metadata.length > 0) {
    const recorded = facts.request.metadataRead ?? [];
    const missing = reads.metadata.find((k) => !recorded.includes(k));
    if (missing !== undefined) return { kind: 'unreplayed', reason: 'metadata_not_recorded', detail: missing };
  }
  if (facts.subject) {
    if (reads.attributes.length > 0) {
      const recorded = facts.subject.attributesRead ?? [];
      const missing = reads.attributes.find((k) => !recorded.includes(k));
      if (missing !== undefined) return { kind: 'unreplayed', reason: 'attributes_not_recorded', detail: missing };
    }
    if (reads.subjectId) return { kind: 'unreplayed', reason: 'subject_id' };
  }
  const hasText = record.text?.mode === 'full';
  if (hasText && (reclassify || old.changedLists.length > 0 || old.classifiersChanged[record.stage] === true)) return { kind: 'text' };
  if (old.changedLists.length > 0) return { kind: 'unreplayed', reason: 'blocklist_changed', detail: old.changedLists.join(', ') };
  return { kind: 'facts' };
}

/** Re-decides a record from its facts and adds it to `acc`. */
export function replayFromFacts(record: DecisionAuditBody, next: ReplayPolicy, acc: ReplayAccumulator): void {
  const facts = record.facts;
  if (!facts) return;
  const again = evaluateBasis(next.policy, { stage: record.stage, decidedAt: new Date(record.decidedAt), facts });
  acc.replayed(record.decisionId, 'facts', record, record.determiningRules, again, again.determiningRules);
}

/** Notes for a record replayed with its recorded scores though the classifiers changed. */
export function noteScores(record: DecisionAuditBody, old: OldPolicyInfo, acc: ReplayAccumulator): void {
  const changed = old.classifiersChanged[record.stage];
  if (changed === true) acc.note(record.decisionId, 'classifiers_changed', `the new policy names other ${record.stage} classifiers: the recorded scores were kept (replay a log with \`audit.text: full\`, or a corpus, to classify again)`);
  else if (changed === undefined) acc.note(record.decisionId, 'policy_not_archived', 'the deciding policy is not in the archive: its classifiers and blocklists cannot be compared with the new policy\'s');
}
