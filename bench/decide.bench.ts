// bench:decide — decide() latency with the lexicon classifier and the default policy, and the
// lexicon matcher's throughput next to the npm package `obscenity` on the same texts, same run.
import { performance } from 'node:perf_hooks';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { loadPolicy } from '../src/policy/load-policy.js';
import { shippedPolicyPath } from '../src/policy/shipped-policies.js';
import { createPolicyRuntime } from '../src/decision/policy-runtime.js';
import { getDefaultLexiconClassifier } from '../src/classifiers/lexicon/index.js';
import type { Classifier } from '../src/classifiers/classifier.js';
import { fmt, median, percentile, printTable, throughput } from './bench-utils.js';
import { sampleTexts } from './sample-texts.js';

const RUNS = 5;
const SIZES = [100, 1000, 10_000];

const loaded = await loadPolicy(shippedPolicyPath('default'));
if (!loaded.ok) throw new Error('default policy invalid');
const lexicon = getDefaultLexiconClassifier();
const runtime = createPolicyRuntime(loaded.policy, { get: (): Classifier => lexicon });
const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

console.log(`decide() with the lexicon classifier and policies/default.json; medians of ${RUNS} runs\n`);
const latencyRows: (string | number)[][] = [];
const ratioRows: (string | number)[][] = [];
for (const size of SIZES) {
  const texts = sampleTexts(size, 200);
  const iterations = size >= 10_000 ? 1000 : 5000;
  const p50s: number[] = [];
  const p99s: number[] = [];
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const lat: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      const s = performance.now();
      await runtime.decide({ text: texts[i % texts.length] as string });
      lat.push(performance.now() - s);
    }
    const elapsed = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    p50s.push(percentile(lat, 50));
    p99s.push(percentile(lat, 99));
    rates.push(iterations / elapsed);
  }
  latencyRows.push([`${size} B`, Math.round(median(rates)), fmt(median(p50s)), fmt(median(p99s))]);

  const rounds = size >= 10_000 ? 5 : 25;
  const lexRates: number[] = [];
  const obsRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    lexRates.push(throughput(texts, rounds, (t) => lexicon.scan(t)));
    obsRates.push(throughput(texts, rounds, (t) => obscenity.getAllMatches(t)));
  }
  const lex = median(lexRates);
  const obs = median(obsRates);
  ratioRows.push([`${size} B`, Math.round(lex), Math.round(obs), `${fmt(lex / obs, 1)}×`]);
}
printTable(['prompt size', 'decisions/s', 'p50 ms', 'p99 ms'], latencyRows);
console.log('\nlexicon matcher vs obscenity (RegExpMatcher, englishDataset + englishRecommendedTransformers), texts/s');
printTable(['prompt size', 'saferoute lexicon', 'obscenity', 'ratio'], ratioRows);
