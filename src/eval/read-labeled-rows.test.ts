import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabeledLine, readLabeledRows } from './read-labeled-rows.js';

describe('parseLabeledLine', () => {
  it('reads text, canonical labels and id; absent labels stay absent', () => {
    const row = parseLabeledLine('{"id":"a:1","text":"hi","labels":{"sexual":1,"hate":0,"toxic":1}}', 3);
    expect(row).toEqual({ kind: 'row', line: 3, id: 'a:1', text: 'hi', labels: { sexual: 1, hate: 0 }, otherLabels: ['toxic'], labelIssues: [], bytes: 0 });
  });

  it('accepts booleans, ignores null, flags other label values', () => {
    const row = parseLabeledLine('{"text":"x","labels":{"sexual":true,"hate":false,"violence":null,"pii":0.7}}', 1);
    expect(row).toMatchObject({ kind: 'row', labels: { sexual: 1, hate: 0 } });
    if (row.kind === 'row') expect(row.labelIssues).toEqual(['label `pii` is `0.7`, not 0 or 1; ignored']);
  });

  it.each([
    ['{"text": "unterminated', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['"text"', /not a JSON object/],
    ['{"labels": {}}', /`text` is missing/],
    ['{"text": 5}', /`text` is missing or not a string/],
    ['{"text": "x", "labels": [1]}', /`labels` is not an object/],
  ])('reports %j as malformed', (raw, message) => {
    const row = parseLabeledLine(raw, 9);
    expect(row.kind).toBe('malformed');
    if (row.kind === 'malformed') {
      expect(row.line).toBe(9);
      expect(row.message).toMatch(message);
    }
  });
});

describe('readLabeledRows', () => {
  it('streams a file line by line, skipping blank lines, with line numbers and byte sizes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-eval-'));
    const file = join(dir, 'data.jsonl');
    await writeFile(file, '{"text":"a","labels":{"hate":1}}\n\n   \nnot json\r\n{"text":"é"}\n');
    const lines = [];
    for await (const l of readLabeledRows(file)) lines.push(l);
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['row', 1],
      ['malformed', 4],
      ['row', 5],
    ]);
    expect(lines[2]?.bytes).toBe(Buffer.byteLength('{"text":"é"}') + 1);
  });
});
