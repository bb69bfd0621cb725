// bench:classify — the embedded classifier's throughput and latency next to the npm packages
// `obscenity` and `leo-profanity` on the same texts in the same run, and the cache hit path.
// Texts: the OpenAI moderation dev set when ../shared/data is present (mean ~650 characters),
// otherwise generated texts of the same mean length.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import leo from 'leo-profanity';
import { getDefaultEmbeddedClassifier } from '../src/classifiers/embedded/index.js';
import { withCache } from '../src/classifiers/decorators/index.js';
import { fmt, median, percentile, printTable } from './bench-utils.js';
import { sampleTexts } from './sample-texts.js';

const RUNS = Number(process.env.RUNS ?? 21);
// SAFEROUTE_DATA names the data folder when it is not ../shared/data beside the repository (a git worktree).
const dataFile = process.env['SAFEROUTE_DATA']
  ? pathToFileURL(join(process.env['SAFEROUTE_DATA'], 'dev/openai_mod_dev.jsonl'))
  : new URL('../../shared/data/dev/openai_mod_dev.jsonl', import.meta.url);
const texts = existsSync(dataFile)
  ? readFileSync(dataFile, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : sampleTexts(650, 841);
const meanChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
console.log(
  `${texts.length} texts, mean ${Math.round(meanChars)} characters (${existsSync(dataFile) ? 'openai_mod_dev.jsonl' : 'generated'}); ` +
    `medians of ${RUNS} interleaved rounds; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
);

const embedded = getDefaultEmbeddedClassifier();
const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

type Fn = (t: string) => unknown;
interface Run {
  rate: number;
  /** Texts per second of the process's CPU time: what a busy machine's waits for a core do not count. */
  cpuRate: number;
  p50: number;
  p99: number;
}
/** One pass over every text: texts per second and per-text latency percentiles (ms). */
async function pass(fn: Fn, async: boolean): Promise<Run> {
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const t of texts) {
    const s = performance.now();
    if (async) await fn(t);
    else fn(t);
    lat.push(performance.now() - s);
  }
  const rate = texts.length / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const cpuRate = texts.length / ((cpu.user + cpu.system) / 1e6);
  lat.sort((a, b) => a - b);
  return { rate, cpuRate, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}
const summarise = (runs: Run[]): Run => ({
  rate: median(runs.map((r) => r.rate)),
  cpuRate: median(runs.map((r) => r.cpuRate)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
});

const input = (text: string) => ({ text, stage: 'input' as const });
const contenders: Array<{ fn: Fn; async: boolean; runs: Run[] }> = [
  { fn: (t) => embedded.classify(input(t)), async: true, runs: [] },
  { fn: (t) => obscenity.getAllMatches(t), async: false, runs: [] },
  { fn: (t) => leo.check(t), async: false, runs: [] },
];
for (const c of contenders) await pass(c.fn, c.async); // warm-up
// Rounds interleave the contenders, so a slow spell of a shared machine hits all of them alike;
// the ratios are medians of the per-round ratios.
for (let round = 0; round < RUNS; round++) for (const c of contenders) c.runs.push(await pass(c.fn, c.async));
const [emb, obs, leoR] = contenders.map((c) => summarise(c.runs)) as [Run, Run, Run];
const ratio = (other: Run[]): number => median(contenders[0]!.runs.map((r, i) => r.rate / other[i]!.rate));
const cpuRatio = (other: Run[]): number => median(contenders[0]!.runs.map((r, i) => r.cpuRate / other[i]!.cpuRate));

const rows = [
  ['saferoute embedded (lexicon + linear + pii, all categories)', Math.round(emb.rate), fmt(emb.p50 * 1000, 1), fmt(emb.p99 * 1000, 1), '1.00×', Math.round(emb.cpuRate), '1.00×'],
  ['obscenity (profanity only)', Math.round(obs.rate), fmt(obs.p50 * 1000, 1), fmt(obs.p99 * 1000, 1), `${fmt(ratio(contenders[1]!.runs), 2)}×`, Math.round(obs.cpuRate), `${fmt(cpuRatio(contenders[1]!.runs), 2)}×`],
  ['leo-profanity (profanity only)', Math.round(leoR.rate), fmt(leoR.p50 * 1000, 1), fmt(leoR.p99 * 1000, 1), `${fmt(ratio(contenders[2]!.runs), 2)}×`, Math.round(leoR.cpuRate), `${fmt(cpuRatio(contenders[2]!.runs), 2)}×`],
];
// Texts per CPU second: on a machine other jobs share, the wall-clock rate and p99 include the
// waits for a core; CPU time counts only this process's work (GC threads included).
printTable(['classifier', 'texts/s', 'p50 µs', 'p99 µs', 'embedded ÷ this (median per round)', 'texts/CPU s', 'embedded ÷ this, CPU'], rows);

// Cache: every text once (misses), then again (hits).
const cached = withCache(embedded, { max: 10_000, ttlMs: 600_000 });
for (const t of texts) await cached.classify(input(t));
const hitRuns: Run[] = [];
for (let round = 0; round < RUNS; round++) hitRuns.push(await pass((t) => cached.classify(input(t)), true));
const hit = summarise(hitRuns);
const miss = emb;
console.log('\ncache (withCache, lru-cache): hit vs the uncached call it replaces');
printTable(
  ['path', 'texts/s', 'p50 µs', 'p99 µs'],
  [
    ['cache hit', Math.round(hit.rate), fmt(hit.p50 * 1000, 2), fmt(hit.p99 * 1000, 2)],
    ['uncached embedded', Math.round(miss.rate), fmt(miss.p50 * 1000, 1), fmt(miss.p99 * 1000, 1)],
  ],
);
console.log(`hits ${cached.stats().hits}, misses ${cached.stats().misses}`);
