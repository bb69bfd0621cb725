export { replayAuditLog } from './replay-audit-log.js';
export type { ReplayOptions } from './replay-audit-log.js';
export { replayCorpus } from './replay-corpus.js';
export type { ReplayCorpusOptions } from './replay-corpus.js';
export { replayShadow } from './replay-shadow.js';
export type { ShadowReplayOptions, ShadowComparison } from './replay-shadow.js';
export { formatReplayReport } from './format-replay-report.js';
export type { ReplaySummary, Transition, Unreplayed, Verdict } from './replay-summary.js';
