/**
 * Trains the output-stage model: `npm run train:output [-- --data DIR --out DIR --cv-only --oof-out FILE]`
 * (also run by `npm run train`).
 *
 * Why a model of its own: at the output stage the question is not "is this topic harmful" but
 * "did the model comply". GPTFuzz's labelled answers (../shared/data, `meta.stage` "output") are
 * answers to harmful questions only: the harmful ones comply, the safe ones refuse, lecture or
 * drift. Scored by the input model, refusals mention the same harm as compliance, and the
 * input `unsafe` head ranked them at 0.64 AUPRC. One head, `unsafe`, over the same hashed
 * features as the input model, learns refusal and compliance phrasing ("I'm sorry, but I
 * cannot", "Step 1:", "Here is how"). The project's own answers in classifiers/train/data
 * (`responses_*.jsonl` rows that carry an `unsafe` label: harmless helpful answers, written by
 * benign-answer-rows.ts) keep a helpful answer to a harmless question from reading as compliance
 * with a harmful one.
 *
 * The embedded classifier takes `unsafe` from this head at the output stage only, then raises it
 * to the highest harm score as at the input stage. (Stacking it with the input model's `unsafe`
 * was measured too: 0.947 against 0.952 AUPRC out of fold, so it is not done.) Cross-validation
 * is grouped by question. Same data and seed give byte-identical files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFeatureHasher } from '../../src/classifiers/linear/feature-hasher.js';
import { featureTextReader } from '../../src/classifiers/linear/literal-idioms.js';
import { DEFAULT_FEATURE_SETTINGS } from '../../src/classifiers/linear/feature-settings.js';
import { encodeLinearModel } from '../../src/classifiers/linear/encode-linear-model.js';
import { CODEBOOK_SIZE } from '../../src/classifiers/linear/linear-model.js';
import { applyPlatt, fitPlatt } from '../../src/classifiers/linear/platt-calibration.js';
import { findDataFiles, hashString, round } from './load-training-data.js';
import { trainLogistic } from './logistic-trainer.js';
import { auprc } from './metrics.js';
import { quantizeWeights } from './quantize-weights.js';
import type { SparseMatrix } from './sparse-matrix.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repoRoot, '../shared/data') },
    'own-data': { type: 'string', default: join(repoRoot, 'classifiers/train/data') },
    out: { type: 'string', default: join(repoRoot, 'classifiers/models') },
    seed: { type: 'string', default: '20261205' },
    folds: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '8' },
    lr: { type: 'string', default: '0.2' },
    l2: { type: 'string', default: '0.01' },
    'oof-out': { type: 'string' },
    'cv-only': { type: 'boolean', default: false },
  },
});
const log = (msg: string): void => void process.stderr.write(`[train:output] ${msg}\n`);

export const OUTPUT_MANIFEST_FILE = 'output.manifest.json';
const OUTPUT_WEIGHTS_FILE = 'output.weights.bin';

interface Row {
  id: string;
  dataset: string;
  text: string;
  y: number;
  group: string;
}

// ---- data: every row labelled `unsafe` whose meta.stage is "output", plus own answer rows ----------
const rows: Row[] = [];
const files: Array<{ file: string; rows: number }> = [];
const readRows = (path: string, own: boolean): void => {
  const dataset = basename(path, '.jsonl');
  if (own && !dataset.startsWith('responses_')) return;
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { id: string; text: string; labels: Record<string, number>; meta?: Record<string, unknown> };
    const y = r.labels['unsafe'];
    if (y !== 0 && y !== 1) continue;
    if (!own && r.meta?.['stage'] !== 'output') continue;
    const question = r.meta?.['question'] ?? r.meta?.['goal'] ?? r.text;
    rows.push({ id: r.id, dataset, text: r.text, y, group: String(question).toLowerCase().trim() });
    n++;
  }
  if (n > 0) files.push({ file: basename(path), rows: n });
};
for (const f of findDataFiles(args.data)) readRows(f, false);
if (args['own-data'] !== '') for (const f of findDataFiles(args['own-data'])) readRows(f, true);
if (rows.length === 0) throw new Error(`no output-stage rows labelled \`unsafe\` under \`${args.data}\``);
const N = rows.length;
log(`${N} rows (${rows.filter((r) => r.y === 1).length} unsafe) from ${files.map((f) => `${f.file} ${f.rows}`).join(', ')}`);

// ---- features (the input model's settings: one hashing pass could serve both) -------------------
const features = DEFAULT_FEATURE_SETTINGS;
const hasher = createFeatureHasher(features);
// As inference reads it (harmless idioms in plain words when the settings say so).
const readFeatureText = featureTextReader(features);
const rowPtr = new Int32Array(N + 1);
const idx: number[] = [];
const val: number[] = [];
rows.forEach((r, i) => {
  const n = hasher.vectorize(readFeatureText(r.text));
  for (let k = 0; k < n; k++) {
    idx.push(hasher.indices[k]!);
    val.push(hasher.values[k]!);
  }
  rowPtr[i + 1] = idx.length;
});
const x: SparseMatrix = { rows: N, rowPtr, idx: Int32Array.from(idx), val: Float32Array.from(val) };
const labels = Int8Array.from(rows, (r) => r.y);
const seed = Number(args.seed);
const folds = Number(args.folds);
const trainer = { heads: 1, buckets: 2 ** features.bucketBits, epochs: Number(args.epochs), learningRate: Number(args.lr), l2: [Number(args.l2)] };

/** Dataset weight (each source at most as heavy as GPTFuzz), then class balance. */
function weightsFor(set: Int32Array): Float32Array {
  const perDataset = new Map<string, number>();
  for (const r of set) perDataset.set(rows[r]!.dataset, (perDataset.get(rows[r]!.dataset) ?? 0) + 1);
  const largest = Math.max(...perDataset.values());
  const w = new Float32Array(N);
  let pos = 0;
  let neg = 0;
  for (const r of set) {
    w[r] = Math.min(1, largest / perDataset.get(rows[r]!.dataset)!);
    if (rows[r]!.y === 1) pos += w[r]!;
    else neg += w[r]!;
  }
  const posMult = pos > 0 ? Math.max(1, neg / pos) : 1;
  for (const r of set) if (rows[r]!.y === 1) w[r]! *= posMult;
  return w;
}

function logitOf(codebooks: Float32Array, codes: Uint8Array, bias: number, r: number): number {
  let z = bias;
  for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) z += x.val[k]! * codebooks[codes[x.idx[k]!]!]!;
  return z;
}

// ---- cross-validation, grouped by question ---------------------------------------------------------
const foldOf = Int32Array.from(rows, (r) => (hashString(`${seed}:${r.group}`) >>> 0) % folds);
const oof = new Float64Array(N);
for (let f = 0; f < folds; f++) {
  const train = Int32Array.from(rows.keys()).filter((r) => foldOf[r] !== f);
  const model = trainLogistic(x, labels, weightsFor(train), train, { ...trainer, seed: seed + f + 1 });
  const q = quantizeWeights(model.weights, 1);
  for (let r = 0; r < N; r++) if (foldOf[r] === f) oof[r] = logitOf(q.codebooks, q.codes, model.biases[0]!, r);
}
const calibration = fitPlatt(oof, Float64Array.from(rows, (r) => r.y), new Float64Array(N).fill(1));
const oofProb = Float64Array.from(oof, (z) => applyPlatt(calibration, z));

const perDataset: Record<string, unknown> = {};
for (const d of [...new Set(rows.map((r) => r.dataset))].sort()) {
  const sel = Int32Array.from(rows.keys()).filter((r) => rows[r]!.dataset === d);
  const ys = Float64Array.from(sel, (r) => rows[r]!.y);
  const mixed = ys.some((v) => v === 1) && ys.some((v) => v === 0);
  perDataset[d] = {
    rows: sel.length,
    ...(mixed
      ? { auprc: round(auprc(Float64Array.from(sel, (r) => oofProb[r]!), ys)) }
      : { meanScore: round(Float64Array.from(sel, (r) => oofProb[r]!).reduce((a, b) => a + b, 0) / sel.length) }),
  };
  log(`${d}: ${JSON.stringify(perDataset[d])}`);
}

if (args['oof-out']) {
  writeFileSync(args['oof-out'], rows.map((r, i) => JSON.stringify({ id: r.id, dataset: r.dataset, stage: 'output', unsafe: oofProb[i] })).join('\n') + '\n');
  log(`out-of-fold output-stage scores written to ${args['oof-out']}`);
}
if (args['cv-only']) process.exit(0);

// ---- final model ------------------------------------------------------------------------------------
const all = Int32Array.from(rows.keys());
const final = trainLogistic(x, labels, weightsFor(all), all, { ...trainer, seed });
const q = quantizeWeights(final.weights, 1);
if (q.codebooks.length !== CODEBOOK_SIZE) throw new Error('one head expected');
const { manifest, weights } = encodeLinearModel({
  features,
  heads: [{ category: 'unsafe', bias: final.biases[0]!, calibration, threshold: 0.5 }],
  codebooks: q.codebooks,
  codes: q.codes,
  weightsFile: OUTPUT_WEIGHTS_FILE,
  training: {
    script: 'classifiers/train/train-output-model.ts',
    seed,
    files,
    rows: N,
    optimizer: { method: 'adagrad-sgd', epochs: trainer.epochs, learningRate: trainer.learningRate, l2: trainer.l2[0] },
    stage: 'output: the embedded classifier takes `unsafe` from this head at the output stage, then raises it to the highest harm score',
  },
  metrics: { method: `${folds}-fold cross-validation grouped by question; out-of-fold, quantised, Platt-calibrated`, datasets: perDataset },
});
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, OUTPUT_WEIGHTS_FILE), weights);
writeFileSync(join(args.out, OUTPUT_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
log(`wrote ${OUTPUT_WEIGHTS_FILE} (${weights.byteLength} bytes) and ${OUTPUT_MANIFEST_FILE}`);
