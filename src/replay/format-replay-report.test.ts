import { describe, expect, it } from 'vitest';
import { formatReplayReport } from './format-replay-report.js';
import type { ReplaySummary } from './replay-summary.js';

const heading = { source: '`audit`', policy: 'candidate@1 (sha256 abc)' };
const summary = (transitions: ReplaySummary['transitions']): ReplaySummary => ({
  records: transitions.reduce((n, t) => n + t.count, 0),
  fromFacts: transitions.reduce((n, t) => n + t.count, 0),
  fromText: 0,
  changed: transitions.filter((t) => t.from !== t.to).reduce((n, t) => n + t.count, 0),
  transitions,
  unreplayed: [],
  notes: [],
});
const same = { from: 'route sfw', to: 'route sfw', count: 15, was: [], now: [], sample: ['a'] } as ReplaySummary['transitions'][number];
const change = { from: 'route sfw', to: 'block', count: 5, was: [['the default route', 5]], now: [['block-jailbreak', 5]], sample: ['b'] } as ReplaySummary['transitions'][number];

describe('formatReplayReport', () => {
  it('prints no trailing padding, and the changed column only when something changed', () => {
    const unchanged = formatReplayReport(summary([same]), heading);
    const changed = formatReplayReport(summary([change, same]), heading);
    for (const text of [unchanged, changed]) for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
    expect(unchanged).toContain('recorded   new        decisions\n---------  ---------  ---------\nroute sfw  route sfw  15\n');
    expect(changed).toMatch(/route sfw\s+block\s+5\s+changed\nroute sfw\s+route sfw\s+15\n/);
  });
});
