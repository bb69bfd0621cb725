import { performance } from 'node:perf_hooks';
import { createSeededRandom } from '../src/util/seeded-random.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

/** Runs `fn` over every text `rounds` times and returns texts per second. */
export function throughput(texts: readonly string[], rounds: number, fn: (t: string) => unknown): number {
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) for (const t of texts) { fn(t); n++; }
  return n / ((performance.now() - t0) / 1000);
}

/** A deterministic pseudo-random generator, so every run benchmarks the same texts. */
export const seededRandom = createSeededRandom;

export function fmt(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const w = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [i, r] of cells.entries()) {
    console.log(r.map((c, j) => (j === 0 ? c.padEnd(w[j] ?? 0) : c.padStart(w[j] ?? 0))).join('  '));
    if (i === 0) console.log(w.map((x) => '-'.repeat(x)).join('  '));
  }
}
