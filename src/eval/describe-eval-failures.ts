import type { EvalReport } from './run-eval.js';

/** Why rows failed, for people and for `--json`: one entry per error code, with its first message. */
export interface EvalFailureSummary {
  /** Every classified row failed: nothing was measured. */
  allFailed: boolean;
  failures: { code: string; count: number; message: string }[];
  /** The settings to check, when the classifier talks to a server (absent otherwise). */
  hint?: string;
}

/**
 * The settings the shipped registry (`defaultClassifierFactories`) reads for the remote classifiers
 * named in `spec` (`llama-guard`, `embedded>openai-moderation`, …).
 */
export function classifierSettingsHint(spec: string): string | undefined {
  const names = new Set(spec.split('>').map((p) => p.trim()));
  const hints: string[] = [];
  if (names.has('llama-guard')) {
    hints.push('llama-guard calls Ollama at SAFEROUTE_OLLAMA_HOST (default http://127.0.0.1:11434) with the model SAFEROUTE_LLAMA_GUARD_MODEL (default llama-guard3:8b): check that Ollama runs there and has pulled the model');
  }
  if (names.has('openai-moderation')) {
    hints.push('openai-moderation calls OPENAI_BASE_URL (default https://api.openai.com/v1) with the key in OPENAI_API_KEY: check both');
  }
  return hints.length > 0 ? hints.join('; ') : undefined;
}

/** Undefined when no row failed. */
export function summarizeEvalFailures(report: EvalReport, hint?: string): EvalFailureSummary | undefined {
  const failures = Object.entries(report.failed).map(([code, count]) => ({ code, count, message: report.failureMessages[code] ?? '' }));
  const total = failures.reduce((n, f) => n + f.count, 0);
  if (total === 0) return undefined;
  return { allFailed: report.rows > 0 && total >= report.rows, failures, ...(hint != null ? { hint } : {}) };
}

/** The summary as lines for standard error. */
export function formatEvalFailures(summary: EvalFailureSummary, classifierId: string): string {
  const lines = summary.failures.map((f) => `${f.count} row${f.count === 1 ? '' : 's'} failed (${f.code}); the first: ${f.message}`);
  if (summary.allFailed) lines.unshift(`every row failed: \`${classifierId}\` measured nothing`);
  if (summary.hint != null) lines.push(`hint: ${summary.hint}`);
  return lines.map((l) => `saferoute eval: ${l}\n`).join('');
}
