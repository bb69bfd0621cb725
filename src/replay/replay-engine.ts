import type { DecisionAuditBody } from '../audit/audit-event.js';
import type { Decision } from '../decision/decision.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { checkRecord, noteScores, replayFromFacts, UNREPLAYED_NOTES } from './replay-record.js';
import { compareWithOld, type OldPolicyInfo, type ReplayPolicy } from './replay-policy.js';
import type { ReplayAccumulator } from './replay-summary.js';

export interface ReplayFilter {
  /** Chain time (`ts`) bounds, in ms. */
  from?: number | undefined;
  to?: number | undefined;
  tenant?: string | undefined;
}

export interface ReplayEngineOptions {
  next: ReplayPolicy;
  acc: ReplayAccumulator;
  filter: ReplayFilter;
  reclassify: boolean;
  /** The deciding policy by sha256, from the log's archive. */
  archived: (sha256: string) => Promise<EvaluablePolicy | undefined>;
  /** Classifies a record's text again under the new policy; without it, such records go to `defer`. */
  decideText?: (record: DecisionAuditBody) => Promise<Decision>;
  defer?: (line: string) => void;
}

export interface ReplayEngine {
  /** Looks at one parsed record; returns a promise only when it must wait (an archive read, a classification). */
  handle(record: DecisionAuditBody & { ts?: string }, line?: string): void | Promise<void>;
  /** Re-decides a record another engine deferred for its text (already counted there). */
  handleText(record: DecisionAuditBody): Promise<void>;
}

/** The per-record loop shared by the file reader, the PostgreSQL reader, worker threads and corpora. */
export function createReplayEngine(o: ReplayEngineOptions): ReplayEngine {
  const { next, acc, filter } = o;
  const olds = new Map<string, OldPolicyInfo>();
  const oldInfo = async (sha: string): Promise<OldPolicyInfo> => {
    const info = compareWithOld(next, await o.archived(sha));
    olds.set(sha, info);
    return info;
  };

  const viaText = async (record: DecisionAuditBody): Promise<void> => {
    const d = await (o.decideText as NonNullable<typeof o.decideText>)(record);
    acc.replayed(record.decisionId, 'text', record, record.determiningRules, d, d.determiningRules);
    if (record.stage === 'output') acc.note(record.decisionId, 'output_without_prompt', 'output decisions were classified again without the prompt and the earlier part of a streamed answer, which the record does not keep');
  };

  const decideWith = (record: DecisionAuditBody, old: OldPolicyInfo, line: string | undefined): void | Promise<void> => {
    const check = checkRecord(record, next, old, o.reclassify);
    if (check.kind === 'facts') {
      replayFromFacts(record, next, acc);
      if (old.classifiersChanged[record.stage] !== false) noteScores(record, old, acc);
      return;
    }
    if (check.kind === 'text') {
      if (o.decideText) return viaText(record);
      o.defer?.(line ?? JSON.stringify(record));
      return;
    }
    const detail = check.detail !== undefined ? ` (${check.detail})` : '';
    acc.unreplayed(record.decisionId, check.reason + detail, UNREPLAYED_NOTES[check.reason] + detail);
  };

  return {
    handle(record, line) {
      if (record.kind !== 'decision' || record.shadow === true) return;
      if (filter.from !== undefined || filter.to !== undefined) {
        const ts = Date.parse(record.ts ?? record.decidedAt);
        if ((filter.from !== undefined && ts < filter.from) || (filter.to !== undefined && ts > filter.to)) return;
      }
      if (filter.tenant !== undefined && record.facts !== undefined && record.facts.request.tenant !== filter.tenant) return;
      acc.seen(record.ts ?? record.decidedAt);
      const old = olds.get(record.policy.sha256);
      if (old) return decideWith(record, old, line);
      return oldInfo(record.policy.sha256).then((info) => decideWith(record, info, line));
    },
    async handleText(record) {
      if (o.decideText) await viaText(record);
    },
  };
}

export { UNREPLAYED_NOTES };
