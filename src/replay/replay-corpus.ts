import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DecisionAuditBody } from '../audit/audit-event.js';
import { InputError } from '../errors.js';
import type { DecisionInput } from '../decision/decision-input.js';
import type { PolicyRuntime } from '../decision/policy-runtime.js';
import { requestFromFacts, subjectFromFacts } from '../decision/decision-facts.js';
import { createReplayEngine } from './replay-engine.js';
import { prepareReplayPolicy } from './replay-policy.js';
import { ReplayAccumulator, type ReplaySummary } from './replay-summary.js';

export interface ReplayCorpusOptions {
  /** The candidate policy with its classifiers: every text row is classified again. */
  runtime: PolicyRuntime;
  /** The policy the rows are compared against (for rows that are inputs, not audit records). */
  old?: PolicyRuntime;
  sample?: number;
  tenant?: string;
  reclassify?: boolean;
  /** Parses a `saferoute check --file` line. */
  parseInput: (value: unknown) => { label?: string; input: DecisionInput } | { error: string };
  onProgress?: (rows: number) => void;
}

/**
 * Replays a JSON Lines corpus. A line is either a recorded decision (as `saferoute audit query
 * --format jsonl` prints them), replayed like a log's record, or an input as `saferoute check
 * --file` reads it, decided under both the old policy (`old`) and the new one, classified afresh.
 */
export async function replayCorpus(path: string, options: ReplayCorpusOptions): Promise<ReplaySummary> {
  const acc = new ReplayAccumulator(options.sample ?? 5);
  const next = prepareReplayPolicy(options.runtime.policy);
  const engine = createReplayEngine({
    next,
    acc,
    filter: { tenant: options.tenant },
    reclassify: options.reclassify ?? true,
    archived: async () => undefined,
    decideText: (record: DecisionAuditBody) => {
      const subject = subjectFromFacts(record.facts?.subject);
      return options.runtime.decide({
        text: record.text?.mode === 'full' ? record.text.value : '',
        stage: record.stage,
        ...(subject ? { subject } : {}),
        ...(record.facts ? { request: requestFromFacts(record.facts.request) } : {}),
        ...(record.facts?.request.servedTarget != null ? { servedTarget: record.facts.request.servedTarget } : {}),
        now: record.decidedAt,
      });
    },
  });
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${path}:${n}: not JSON: ${(err as Error).message}`);
    }
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'decision') {
      const waiting = engine.handle(value as DecisionAuditBody, line);
      if (waiting) await waiting;
    } else {
      const parsed = options.parseInput(value);
      if ('error' in parsed) throw new InputError(`${path}:${n}: ${parsed.error}`);
      if (!options.old) throw new InputError(`${path}:${n}: this row is an input, not a recorded decision: give the policy to compare with as \`--old OLD.json\``);
      if (options.tenant !== undefined && parsed.input.request?.tenant !== options.tenant) continue;
      const id = parsed.label ?? `line ${n}`;
      const input = { ...parsed.input, now: parsed.input.now ?? new Date() };
      const [was, now] = await Promise.all([options.old.decide(input), options.runtime.decide(input)]);
      acc.seen(was.decidedAt);
      acc.replayed(id, 'text', was, was.determiningRules, now, now.determiningRules);
    }
    if (n % 1000 === 0) options.onProgress?.(n);
  }
  return acc.summary();
}
