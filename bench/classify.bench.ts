// bench:classify — the embedded classifier's throughput and latency next to the npm packages
// `obscenity` and `leo-profanity` on the same texts in the same run, and the cache hit path.
// Texts: the OpenAI moderation dev set when ../shared/data is present (mean ~650 characters),
// otherwise generated texts of the same mean length.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import leo from 'leo-profanity';
import { getDefaultEmbeddedClassifier } from '../src/classifiers/embedded/index.js';
import { withCache } from '../src/classifiers/decorators/index.js';
import { fmt, median, percentile, printTable } from './bench-utils.js';
import { sampleTexts } from './sample-texts.js';

const RUNS = 5;
const dataFile = new URL('../../shared/data/dev/openai_mod_dev.jsonl', import.meta.url);
const texts = existsSync(dataFile)
  ? readFileSync(dataFile, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : sampleTexts(650, 841);
const meanChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
console.log(`${texts.length} texts, mean ${Math.round(meanChars)} characters (${existsSync(dataFile) ? 'openai_mod_dev.jsonl' : 'generated'}); medians of ${RUNS} runs\n`);

const embedded = getDefaultEmbeddedClassifier();
const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

type Fn = (t: string) => unknown;
async function measure(fn: Fn, async = false): Promise<{ rate: number; p50: number; p99: number }> {
  const rates: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const lat: number[] = [];
    const t0 = performance.now();
    for (const t of texts) {
      const s = performance.now();
      if (async) await fn(t);
      else fn(t);
      lat.push(performance.now() - s);
    }
    rates.push(texts.length / ((performance.now() - t0) / 1000));
    lat.sort((a, b) => a - b);
    p50s.push(percentile(lat, 50));
    p99s.push(percentile(lat, 99));
  }
  return { rate: median(rates), p50: median(p50s), p99: median(p99s) };
}

const input = (text: string) => ({ text, stage: 'input' as const });
await measure((t) => embedded.classify(input(t)), true); // warm-up
const emb = await measure((t) => embedded.classify(input(t)), true);
const obs = await measure((t) => obscenity.getAllMatches(t));
const leoR = await measure((t) => leo.check(t));

const rows = [
  ['saferoute embedded (lexicon + linear + pii, all categories)', Math.round(emb.rate), fmt(emb.p50 * 1000, 1), fmt(emb.p99 * 1000, 1), '1.00×'],
  ['obscenity (profanity only)', Math.round(obs.rate), fmt(obs.p50 * 1000, 1), fmt(obs.p99 * 1000, 1), `${fmt(emb.rate / obs.rate, 2)}×`],
  ['leo-profanity (profanity only)', Math.round(leoR.rate), fmt(leoR.p50 * 1000, 1), fmt(leoR.p99 * 1000, 1), `${fmt(emb.rate / leoR.rate, 2)}×`],
];
printTable(['classifier', 'texts/s', 'p50 µs', 'p99 µs', 'embedded ÷ this'], rows);

// Cache: every text once (misses), then again (hits).
const cached = withCache(embedded, { max: 10_000, ttlMs: 600_000 });
for (const t of texts) await cached.classify(input(t));
const hit = await measure((t) => cached.classify(input(t)), true);
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
