import type { Outcome } from '../decision/decision.js';

/** A decision's verdict as the transition table reads it. */
export interface Verdict {
  outcome: Outcome;
  target?: string | undefined;
}

const routeLabels = new Map<string, string>();

export function verdictLabel(v: Verdict): string {
  if (v.outcome !== 'route') return 'block';
  const target = v.target ?? '?';
  let label = routeLabels.get(target);
  if (label === undefined) {
    label = `route ${target}`;
    if (routeLabels.size < 1024) routeLabels.set(target, label);
  }
  return label;
}

/** One row of the transition table: old verdict → new verdict. */
export interface Transition {
  from: string;
  to: string;
  count: number;
  /** Determining rules of the recorded decisions (why they were `from`), with counts. */
  was: [string, number][];
  /** Determining rules of the new decisions (why they are `to` now), with counts. */
  now: [string, number][];
  /** The first decision ids of this transition. */
  sample: string[];
}

/** Records that were read but not re-decided, by reason. */
export interface Unreplayed {
  reason: string;
  /** What could not be re-evaluated, in words. */
  note: string;
  count: number;
  sample: string[];
}

/** What a replay found; plain data, so worker threads can hand it over and it merges. */
export interface ReplaySummary {
  /** Decision records in range (shadow decisions excluded). */
  records: number;
  fromFacts: number;
  fromText: number;
  changed: number;
  transitions: Transition[];
  unreplayed: Unreplayed[];
  /** Replayed, but with a caveat (scores kept although the classifiers changed…), by kind. */
  notes: Unreplayed[];
  first?: string;
  last?: string;
}

interface TransitionAcc {
  from: string;
  to: string;
  count: number;
  was: Map<string, number>;
  now: Map<string, number>;
  sample: string[];
}

/** Accumulates replayed records into a summary, keeping `sampleSize` ids per row. */
export class ReplayAccumulator {
  records = 0;
  fromFacts = 0;
  fromText = 0;
  changed = 0;
  first: string | undefined;
  last: string | undefined;
  private readonly rows = new Map<string, TransitionAcc>();
  private readonly skipped = new Map<string, Unreplayed>();
  private readonly noted = new Map<string, Unreplayed>();

  constructor(readonly sampleSize: number) {}

  seen(ts: string): void {
    this.records++;
    if (this.first === undefined || ts < this.first) this.first = ts;
    if (this.last === undefined || ts > this.last) this.last = ts;
  }

  replayed(decisionId: string, via: 'facts' | 'text', old: Verdict, wasRules: readonly string[], now: Verdict, nowRules: readonly string[]): void {
    if (via === 'facts') this.fromFacts++;
    else this.fromText++;
    const from = verdictLabel(old);
    const to = verdictLabel(now);
    const key = `${from}\u0000${to}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { from, to, count: 0, was: new Map(), now: new Map(), sample: [] };
      this.rows.set(key, row);
    }
    row.count++;
    if (from !== to) {
      this.changed++;
      // Rules are counted for changed rows only: for an unchanged row they explain nothing new.
      for (const r of wasRules) row.was.set(r, (row.was.get(r) ?? 0) + 1);
      for (const r of nowRules) row.now.set(r, (row.now.get(r) ?? 0) + 1);
    }
    if (row.sample.length < this.sampleSize) row.sample.push(decisionId);
  }

  unreplayed(decisionId: string, reason: string, note: string): void {
    add(this.skipped, decisionId, reason, note, this.sampleSize);
  }

  note(decisionId: string, kind: string, note: string): void {
    add(this.noted, decisionId, kind, note, this.sampleSize);
  }

  summary(): ReplaySummary {
    const transitions = [...this.rows.values()]
      .map((r) => ({ from: r.from, to: r.to, count: r.count, was: sortedCounts(r.was), now: sortedCounts(r.now), sample: r.sample }))
      .sort((a, b) => Number(a.from === a.to) - Number(b.from === b.to) || b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1));
    const out: ReplaySummary = {
      records: this.records,
      fromFacts: this.fromFacts,
      fromText: this.fromText,
      changed: this.changed,
      transitions,
      unreplayed: [...this.skipped.values()].sort((a, b) => b.count - a.count),
      notes: [...this.noted.values()].sort((a, b) => b.count - a.count),
    };
    if (this.first !== undefined) out.first = this.first;
    if (this.last !== undefined) out.last = this.last;
    return out;
  }
}

/** Adds the summaries of parts of a log (worker threads) together. */
export function mergeSummaries(parts: readonly ReplaySummary[], sampleSize: number): ReplaySummary {
  const acc = new ReplayAccumulator(sampleSize);
  const rows = new Map<string, TransitionAcc>();
  const skipped = new Map<string, Unreplayed>();
  const noted = new Map<string, Unreplayed>();
  let changed = 0;
  for (const p of parts) {
    acc.records += p.records;
    acc.fromFacts += p.fromFacts;
    acc.fromText += p.fromText;
    changed += p.changed;
    if (p.first !== undefined && (acc.first === undefined || p.first < acc.first)) acc.first = p.first;
    if (p.last !== undefined && (acc.last === undefined || p.last > acc.last)) acc.last = p.last;
    for (const t of p.transitions) {
      const key = `${t.from}\u0000${t.to}`;
      let row = rows.get(key);
      if (!row) {
        row = { from: t.from, to: t.to, count: 0, was: new Map(), now: new Map(), sample: [] };
        rows.set(key, row);
      }
      row.count += t.count;
      for (const [r, n] of t.was) row.was.set(r, (row.was.get(r) ?? 0) + n);
      for (const [r, n] of t.now) row.now.set(r, (row.now.get(r) ?? 0) + n);
      for (const id of t.sample) if (row.sample.length < sampleSize) row.sample.push(id);
    }
    for (const [into, from] of [
      [skipped, p.unreplayed],
      [noted, p.notes],
    ] as const) {
      for (const u of from) {
        const have = into.get(u.reason);
        if (!have) into.set(u.reason, { ...u, sample: u.sample.slice(0, sampleSize) });
        else {
          have.count += u.count;
          for (const id of u.sample) if (have.sample.length < sampleSize) have.sample.push(id);
        }
      }
    }
  }
  const merged = acc.summary();
  merged.changed = changed;
  merged.transitions = [...rows.values()]
    .map((r) => ({ from: r.from, to: r.to, count: r.count, was: sortedCounts(r.was), now: sortedCounts(r.now), sample: r.sample }))
    .sort((a, b) => Number(a.from === a.to) - Number(b.from === b.to) || b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1));
  merged.unreplayed = [...skipped.values()].sort((a, b) => b.count - a.count);
  merged.notes = [...noted.values()].sort((a, b) => b.count - a.count);
  return merged;
}

function add(into: Map<string, Unreplayed>, decisionId: string, reason: string, note: string, sampleSize: number): void {
  let u = into.get(reason);
  if (!u) {
    u = { reason, note, count: 0, sample: [] };
    into.set(reason, u);
  }
  u.count++;
  if (u.sample.length < sampleSize) u.sample.push(decisionId);
}

function sortedCounts(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
