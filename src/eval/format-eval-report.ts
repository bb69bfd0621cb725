import { CATEGORIES, type Category } from '../taxonomy/categories.js';
import { didYouMean } from '../policy/did-you-mean.js';
import type { CategoryReport, EvalReport } from './run-eval.js';

/** The report as a table for people: one row per category, then latency and what was left out. */
export function formatEvalReport(report: EvalReport): string {
  const out: string[] = [];
  const fileCount = report.files.length;
  out.push(
    `classifier \`${report.classifier.id}\` (${report.classifier.version}) on ${report.rows} rows from ${fileCount} file${fileCount === 1 ? '' : 's'}, stage ${report.stage}`,
  );
  const entries = Object.entries(report.categories) as [Category, CategoryReport][];
  if (entries.length > 0) {
    const fromPolicy = entries.some(([, c]) => c.threshold.source === 'policy');
    out.push(
      fromPolicy
        ? 'threshold: the lowest `gte`/`gt` on the category in the policy rules (policy), else 0.5 (default)'
        : 'threshold: 0.5 (no policy given, or the policy does not compare these categories)',
      '',
    );
    const headers = ['category', 'pos', 'neg', 'threshold', 'precision', 'recall', 'f1', 'best f1 @ threshold', 'auprc', 'fpr'];
    const rows = entries.map(([category, c]) => [
      category,
      String(c.support.positive),
      String(c.support.negative),
      `${c.threshold.op === 'gt' ? '>' : '>='}${num(c.threshold.value, 2)} ${c.threshold.source}`,
      num(c.precision),
      num(c.recall),
      num(c.f1),
      c.bestF1 ? `${num(c.bestF1.f1)} @ ${num(c.bestF1.threshold)}` : '—',
      num(c.auprc),
      num(c.fpr),
    ]);
    out.push(table(headers, rows));
  } else {
    out.push('', 'no category could be measured: no row carries a label for a category this classifier scores');
  }
  out.push('');
  const l = report.latencyMs;
  out.push(`latency (reported by the classifier): p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, mean ${ms(l.mean)} over ${l.count} rows`);
  const failedTotal = Object.values(report.failed).reduce((a, b) => a + b, 0);
  if (failedTotal > 0) {
    const byCode = Object.entries(report.failed).map(([code, n]) => `${code} ${n}`).join(', ');
    out.push(`failed rows: ${failedTotal} (${byCode}), left out of the metrics`);
  }
  const unscored = entries.filter(([, c]) => c.unscored > 0).map(([cat, c]) => `${cat} ${c.unscored}`);
  if (unscored.length > 0) out.push(`labeled rows without a score from the classifier (left out): ${unscored.join(', ')}`);
  if (report.noLabels.length > 0) out.push(`no labels in the data for: ${report.noLabels.join(', ')}`);
  if (report.files.length > 1) {
    const unlabeled = report.files.filter((f) => f.labeled.length === 0).map((f) => f.file);
    if (unlabeled.length > 0) out.push(`files with no labels for any measured category: ${unlabeled.join(', ')}`);
  }
  if (report.notScored.length > 0) out.push(`labeled in the data but not scored by this classifier: ${report.notScored.join(', ')}`);
  if (report.ignoredLabels.length > 0) {
    const named = report.ignoredLabels.map((l) => {
      const close = didYouMean(l, CATEGORIES);
      return close ? `${l} (did you mean ${close}?)` : l;
    });
    out.push(`labels ignored (not canonical categories): ${named.join(', ')}`);
  }
  const malformed = report.files.filter((f) => f.malformed > 0).map((f) => `${f.file} ${f.malformed}`);
  if (malformed.length > 0) out.push(`malformed lines skipped: ${malformed.join(', ')}`);
  if (report.stopped) out.push(`stopped (--strict) at ${report.stopped.file}:${report.stopped.line}: ${report.stopped.message}`);
  return out.join('\n') + '\n';
}

function num(value: number | null, digits = 3): string {
  return value == null ? '—' : value.toFixed(digits);
}

function ms(value: number | null): string {
  if (value == null) return '—';
  return value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(2)} ms`;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text left, numbers right, so decimals line up.
  const cell = (s: string, i: number): string => (i === 0 || i === 3 ? s.padEnd(widths[i] ?? 0) : s.padStart(widths[i] ?? 0));
  const line = (r: string[]): string => r.map(cell).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
