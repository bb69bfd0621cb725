import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isCategory, type Category } from '../taxonomy/categories.js';

export type LabeledLine =
  | {
      kind: 'row';
      line: number;
      id?: string;
      text: string;
      /** Canonical categories with a 0/1 label; an absent category is unknown, not negative. */
      labels: Partial<Record<Category, 0 | 1>>;
      /** Label keys that are not canonical categories (e.g. `toxic`), ignored. */
      otherLabels: string[];
      /** Problems with single labels; the row itself is usable. */
      labelIssues: string[];
      bytes: number;
    }
  | { kind: 'malformed'; line: number; message: string; bytes: number };

/**
 * Reads a labeled JSONL file (`{"text": "...", "labels": {"sexual": 1}}` per line) one line at
 * a time, never holding the file in memory. Blank lines are skipped; a line that is not a JSON
 * object with a string `text` comes back `malformed` with why, for the caller to warn or stop.
 * `bytes` is the line's size on disk, for progress. Throws only when the file cannot be read.
 */
export async function* readLabeledRows(path: string): AsyncGenerator<LabeledLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const bytes = Buffer.byteLength(raw) + 1;
    if (raw.trim() === '') continue;
    yield parseLabeledLine(raw, line, bytes);
  }
}

export function parseLabeledLine(raw: string, line: number, bytes = 0): LabeledLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { kind: 'malformed', line, message: `not JSON (${(error as Error).message})`, bytes };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', line, message: 'not a JSON object', bytes };
  }
  const row = value as Record<string, unknown>;
  if (typeof row.text !== 'string') return { kind: 'malformed', line, message: '`text` is missing or not a string', bytes };
  const labels: Partial<Record<Category, 0 | 1>> = {};
  const otherLabels: string[] = [];
  const labelIssues: string[] = [];
  if (row.labels !== undefined && row.labels !== null) {
    if (typeof row.labels !== 'object' || Array.isArray(row.labels)) {
      return { kind: 'malformed', line, message: '`labels` is not an object', bytes };
    }
    for (const [key, v] of Object.entries(row.labels as Record<string, unknown>)) {
      if (!isCategory(key)) {
        otherLabels.push(key);
        continue;
      }
      if (v === 1 || v === true) labels[key] = 1;
      else if (v === 0 || v === false) labels[key] = 0;
      else if (v !== null) labelIssues.push(`label \`${key}\` is \`${JSON.stringify(v)}\`, not 0 or 1; ignored`);
    }
  }
  const out: LabeledLine = { kind: 'row', line, text: row.text, labels, otherLabels, labelIssues, bytes };
  if (typeof row.id === 'string') out.id = row.id;
  return out;
}
