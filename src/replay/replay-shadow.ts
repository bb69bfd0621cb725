import type { DecisionAuditBody } from '../audit/audit-event.js';
import { readAuditRecords } from '../audit/read-audit-records.js';
import type { AuditLogSource } from '../audit/verify-audit-log.js';
import { ReplayAccumulator, type ReplaySummary, type Verdict } from './replay-summary.js';

export interface ShadowReplayOptions {
  from?: number | undefined;
  to?: number | undefined;
  tenant?: string | undefined;
  sample?: number;
  onProgress?: (done: number, total: number | undefined) => void;
}

/** One candidate policy's shadow decisions against the live ones they shadow. */
export interface ShadowComparison {
  /** `id@revision (sha256 …)` of the candidate. */
  policy: string;
  sha256: string;
  summary: ReplaySummary;
}

interface Live extends Verdict {
  rules: string[];
}

const ORPHAN_NOTE = 'the live decision it shadows is not in the range read (or was not recorded): widen --from/--to';

/**
 * Live against candidate from the shadow decisions the guard recorded (its `shadow` option): no
 * classification, no re-evaluation — both verdicts were decided on the same request at the time.
 */
export async function replayShadow(source: AuditLogSource, options: ShadowReplayOptions = {}): Promise<ShadowComparison[]> {
  const sample = options.sample ?? 5;
  const live = new Map<string, Live>();
  const pending = new Map<string, DecisionAuditBody[]>();
  const candidates = new Map<string, { policy: string; acc: ReplayAccumulator }>();
  const compare = (shadow: DecisionAuditBody, was: Live): void => {
    const key = shadow.policy.sha256;
    let c = candidates.get(key);
    if (!c) {
      c = { policy: `${shadow.policy.id}@${shadow.policy.revision} (sha256 ${key.slice(0, 12)})`, acc: new ReplayAccumulator(sample) };
      candidates.set(key, c);
    }
    c.acc.seen(shadow.decidedAt);
    c.acc.replayed(shadow.shadowOf ?? shadow.decisionId, 'facts', was, was.rules, shadow, shadow.determiningRules);
  };
  let n = 0;
  const range = { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) };
  for await (const { event } of readAuditRecords(source, range)) {
    if (++n % 10_000 === 0) options.onProgress?.(n, undefined);
    if (event.kind !== 'decision') continue;
    if (options.tenant !== undefined && event.facts?.request.tenant !== options.tenant) continue;
    if (event.shadow !== true) {
      const v: Live = { outcome: event.outcome, target: event.target, rules: event.determiningRules };
      const waiting = pending.get(event.decisionId);
      if (waiting) {
        pending.delete(event.decisionId);
        for (const s of waiting) compare(s, v);
      }
      live.set(event.decisionId, v);
      continue;
    }
    const of = event.shadowOf;
    const was = of !== undefined ? live.get(of) : undefined;
    if (was) compare(event, was);
    else if (of !== undefined) pending.set(of, [...(pending.get(of) ?? []), event]);
  }
  // Shadows whose live decision never appeared (outside the range, or lost).
  for (const list of pending.values()) {
    for (const s of list) {
      const key = s.policy.sha256;
      let c = candidates.get(key);
      if (!c) {
        c = { policy: `${s.policy.id}@${s.policy.revision} (sha256 ${key.slice(0, 12)})`, acc: new ReplayAccumulator(sample) };
        candidates.set(key, c);
      }
      c.acc.seen(s.decidedAt);
      c.acc.unreplayed(s.decisionId, 'live_missing', ORPHAN_NOTE);
    }
  }
  return [...candidates.entries()].map(([sha256, c]) => ({ policy: c.policy, sha256, summary: c.acc.summary() }));
}
