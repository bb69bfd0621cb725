import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createSeededRandom, shuffleInPlace } from '../../src/util/seeded-random.js';

export interface DatasetPolicy {
  /** Not used for the linear model (no head among its labels). */
  skip?: boolean;
  /** Keep at most this many rows (a seeded random sample, label proportions kept on average). */
  maxRows?: number;
  /** Total sample weight of the dataset is capped here, so no one source drowns the others. */
  maxWeight?: number;
  /** Multiplies the row weight after the cap (>1 favours a source that is closer to real traffic). */
  rowWeight?: number;
  /**
   * Multiplies the row weight for the named heads only: a source can matter more for what it is
   * there to teach without pulling the other heads it carries labels for.
   */
  headWeight?: Readonly<Record<string, number>>;
  /** Rows whose labels are all 0 by construction: used to report false-positive rates. */
  benign?: boolean;
  /**
   * Rows that open with the same `TEMPLATE_PREFIX` characters (case and white space folded) are
   * one template filled in with different goals: together they weigh at most this many rows, so
   * a template repeated hundreds of times does not outweigh everything else it resembles.
   */
  templateCap?: number;
  /**
   * Heads this source teaches through another of its labels: `{ harassment: 'toxic' }` reads the
   * row's `toxic` label as its `harassment` label (a proxy, usually down-weighted by `headWeight`).
   */
  labelFrom?: Readonly<Record<string, string>>;
}

/** How many leading characters make a template (see `DatasetPolicy.templateCap`). */
export const TEMPLATE_PREFIX = 64;

export interface TrainingRow {
  dataset: string;
  id: string;
  text: string;
  /** -1 unknown, 0 negative, 1 positive, per head. */
  labels: Int8Array;
  /** Rows sharing a group always land in the same fold (a goal and its jailbreak variants). */
  group: string;
  /** Dataset-level weight before per-head class balancing. */
  weight: number;
}

export interface TrainingFile {
  file: string;
  sha256: string;
  rows: number;
  rowsUsed: number;
  weightPerRow: number;
}

export function findDataFiles(dataDir: string): string[] {
  const dir = existsSync(join(dataDir, 'dev')) ? join(dataDir, 'dev') : dataDir;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadTrainingData(
  files: readonly string[],
  heads: readonly string[],
  policies: Readonly<Record<string, DatasetPolicy>>,
  defaultMaxWeight: number,
  seed: number,
): { rows: TrainingRow[]; files: TrainingFile[] } {
  const rows: TrainingRow[] = [];
  const out: TrainingFile[] = [];
  for (const path of files) {
    const bytes = readFileSync(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dataset = basename(path, '.jsonl');
    const policy = policies[dataset] ?? {};
    const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const parsed: TrainingRow[] = [];
    lines.forEach((line, i) => {
      let raw: { id?: unknown; text?: unknown; labels?: unknown; meta?: unknown };
      try {
        raw = JSON.parse(line);
      } catch (cause) {
        throw new Error(`${path}:${i + 1}: not JSON`, { cause });
      }
      if (typeof raw.text !== 'string' || typeof raw.labels !== 'object' || raw.labels === null) {
        throw new Error(`${path}:${i + 1}: a row needs \`text\` and \`labels\``);
      }
      const labels = new Int8Array(heads.length).fill(-1);
      let any = false;
      heads.forEach((h, j) => {
        const v = (raw.labels as Record<string, unknown>)[policy.labelFrom?.[h] ?? h];
        if (v === 0 || v === 1) {
          labels[j] = v;
          any = true;
        }
      });
      if (!any) return;
      const meta = (raw.meta ?? {}) as Record<string, unknown>;
      const groupText = typeof meta['goal'] === 'string' ? meta['goal'] : raw.text;
      parsed.push({
        dataset,
        id: typeof raw.id === 'string' ? raw.id : `${dataset}:${i}`,
        text: raw.text,
        labels,
        group: groupText.toLowerCase().replace(/\s+/g, ' ').trim(),
        weight: 1,
      });
    });
    let used = policy.skip ? [] : parsed;
    if (policy.maxRows != null && used.length > policy.maxRows) {
      const order = Int32Array.from(used.keys());
      shuffleInPlace(order, createSeededRandom(seed ^ hashString(dataset)));
      const keep = Array.from(order.subarray(0, policy.maxRows)).sort((a, b) => a - b);
      used = keep.map((k) => used[k]!);
    }
    const maxWeight = policy.maxWeight ?? defaultMaxWeight;
    const weightPerRow = used.length > 0 ? Math.min(1, maxWeight / used.length) * (policy.rowWeight ?? 1) : 0;
    const templateSize = new Map<string, number>();
    if (policy.templateCap != null) for (const r of used) templateSize.set(templateOf(r.text), (templateSize.get(templateOf(r.text)) ?? 0) + 1);
    for (const r of used) {
      const size = policy.templateCap != null ? templateSize.get(templateOf(r.text))! : 1;
      r.weight = size > policy.templateCap! ? (weightPerRow * policy.templateCap!) / size : weightPerRow;
      rows.push(r);
    }
    out.push({ file: basename(path), sha256, rows: lines.length, rowsUsed: used.length, weightPerRow: round(weightPerRow, 6) });
  }
  return { rows, files: out };
}

function templateOf(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, TEMPLATE_PREFIX);
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
