import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SaferouteError } from '../errors.js';
import { createScriptedClassifier } from '../classifiers/decorators/scripted-classifier.js';
import type { EvalWarning } from './run-eval.js';
import { runEval } from './run-eval.js';
import { classifierSettingsHint, summarizeEvalFailures } from './describe-eval-failures.js';

let dir: string;
const write = async (name: string, lines: unknown[]): Promise<{ path: string; name: string }> => {
  const path = join(dir, name);
  await writeFile(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return { path, name };
};
const row = (sexual: number, label: Record<string, number>, latency = '') => ({ text: `[[c:sexual=${sexual}]]${latency}`, labels: label });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-run-eval-'));
});

const classifier = () => createScriptedClassifier({ id: 'c', categories: ['sexual', 'hate', 'violence'] });

describe('runEval', () => {
  it('measures each category on the rows labeled for it (the hand-computed example)', async () => {
    const file = await write('a.jsonl', [
      row(0.9, { sexual: 1 }),
      row(0.8, { sexual: 0, hate: 0 }),
      row(0.7, { sexual: 1 }),
      row(0.6, { sexual: 1, toxic: 1 }),
      row(0.2, { sexual: 0 }),
      row(0.99, { pii: 1 }), // no sexual label: unknown, not negative
    ]);
    const { report, curves } = await runEval({ classifier: classifier(), files: [file] });
    const sexual = report.categories.sexual;
    expect(sexual).toMatchObject({
      support: { positive: 3, negative: 2 },
      threshold: { value: 0.5, op: 'gte', source: 'default' },
      tp: 3,
      fp: 1,
      fn: 0,
      tn: 1,
      precision: 0.75,
      recall: 1,
      fpr: 0.5,
      unscored: 0,
    });
    expect(sexual?.f1).toBeCloseTo(6 / 7, 12);
    expect(sexual?.auprc).toBeCloseTo(29 / 36, 12);
    expect(sexual?.bestF1?.threshold).toBe(0.6);
    expect(curves.sexual).toHaveLength(5);
    expect(report.categories.hate).toMatchObject({ support: { positive: 0, negative: 1 }, recall: null, auprc: null, fpr: 0 });
    expect(report.noLabels).toEqual(['violence']);
    expect(report.notScored).toEqual(['pii']);
    expect(report.ignoredLabels).toEqual(['toxic']);
    expect(report.rows).toBe(6);
    expect(report.latencyMs.count).toBe(6);
    expect(report.latencyMs.p50).not.toBeNull();
  });

  it('uses policy thresholds with their comparison', async () => {
    const file = await write('b.jsonl', [row(0.7, { sexual: 1 }), row(0.6, { sexual: 0 })]);
    const { report } = await runEval({
      classifier: classifier(),
      files: [file],
      thresholds: new Map([['sexual', { value: 0.7, op: 'gt', rules: ['adult'] }]]),
    });
    expect(report.categories.sexual).toMatchObject({ threshold: { value: 0.7, op: 'gt', source: 'policy', rules: ['adult'] }, tp: 0, fn: 1, tn: 1 });
  });

  it('warns about malformed lines with file and line, and goes on', async () => {
    const file = await write('c.jsonl', [row(0.9, { sexual: 1 }), '{oops', row(0.1, { sexual: 0 }), '{"text": "x", "labels": {"sexual": 2}}']);
    const warnings: EvalWarning[] = [];
    const { report } = await runEval({ classifier: classifier(), files: [file], onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => `${w.file}:${w.line}`)).toEqual(['c.jsonl:2', 'c.jsonl:4']);
    expect(report.rows).toBe(3);
    expect(report.files).toEqual([{ file: 'c.jsonl', rows: 3, malformed: 1, labeled: ['sexual'] }]);
    expect(report.warnings).toBe(2);
    expect(report.stopped).toBeUndefined();
    expect(report.categories.sexual?.support).toEqual({ positive: 1, negative: 1 });
  });

  it('stops at the first data problem under strict', async () => {
    const file = await write('d.jsonl', [row(0.9, { sexual: 1 }), 'nope', row(0.1, { sexual: 0 })]);
    const c = classifier();
    const { report } = await runEval({ classifier: c, files: [file], strict: true });
    expect(report.stopped).toMatchObject({ file: 'd.jsonl', line: 2 });
    expect(c.calls).toHaveLength(1);
  });

  it('reads several files and stops after the limit', async () => {
    const a = await write('e.jsonl', [row(0.9, { sexual: 1 }), row(0.1, { sexual: 0 })]);
    const b = await write('f.jsonl', [row(0.9, { sexual: 1 }), row(0.1, { sexual: 0 })]);
    const all = await runEval({ classifier: classifier(), files: [a, b] });
    expect(all.report.rows).toBe(4);
    const limited = await runEval({ classifier: classifier(), files: [a, b], limit: 3, concurrency: 1 });
    expect(limited.report.rows).toBe(3);
    expect(limited.report.files).toEqual([
      { file: 'e.jsonl', rows: 2, malformed: 0, labeled: ['sexual'] },
      { file: 'f.jsonl', rows: 1, malformed: 0, labeled: ['sexual'] },
    ]);
  });

  it('counts failed rows by code and leaves them out; stops when the classifier cannot run', async () => {
    const file = await write('g.jsonl', [row(0.9, { sexual: 1 }), { text: 'fail', labels: { sexual: 0 } }]);
    const flaky = createScriptedClassifier({
      id: 'c',
      categories: ['sexual'],
      score: (i) => (i.text === 'fail' ? { status: 'failed', error: { code: 'timeout', message: 'slow' }, latencyMs: 5 } : { sexual: 0.9 }),
    });
    const { report } = await runEval({ classifier: flaky, files: [file] });
    expect(report.failed).toEqual({ timeout: 1 });
    expect(report.categories.sexual?.support).toEqual({ positive: 1, negative: 0 });
    expect(report.latencyMs.count).toBe(2);

    const unconfigured = createScriptedClassifier({
      categories: ['sexual'],
      score: () => ({ status: 'failed', error: { code: 'config', message: 'set `OPENAI_API_KEY`' }, latencyMs: 0 }),
    });
    await expect(runEval({ classifier: unconfigured, files: [file] })).rejects.toMatchObject({
      code: 'classifier_failed',
      message: expect.stringContaining('`OPENAI_API_KEY`'),
    });
  });

  it('leaves unscored labeled rows out and counts them', async () => {
    const file = await write('h.jsonl', [{ text: 'a', labels: { hate: 1 } }, { text: 'b', labels: { hate: 0 } }]);
    const partial = createScriptedClassifier({ categories: ['hate'], score: (i) => (i.text === 'a' ? {} : { hate: 0.2 }) });
    const { report } = await runEval({ classifier: partial, files: [file] });
    expect(report.categories.hate).toMatchObject({ unscored: 1, support: { positive: 0, negative: 1 } });
  });

  it('measures only the chosen categories and says which files label none of them', async () => {
    const labeledFile = await write('i.jsonl', [row(0.9, { sexual: 1, hate: 0 }), row(0.1, { sexual: 0, hate: 1 })]);
    const benign = await write('j.jsonl', [{ text: 'x', labels: { pii: 0 } }]);
    const { report } = await runEval({ classifier: classifier(), files: [labeledFile, benign], categories: ['hate', 'violence'] });
    expect(Object.keys(report.categories)).toEqual(['hate']);
    expect(report.noLabels).toEqual(['violence']);
    expect(report.notScored).toEqual(['pii']);
    expect(report.files.map((f) => [f.file, f.labeled])).toEqual([
      ['i.jsonl', ['hate']],
      ['j.jsonl', []],
    ]);
  });

  it('throws InputError naming an unreadable file', async () => {
    await expect(runEval({ classifier: classifier(), files: [{ path: join(dir, 'missing.jsonl'), name: 'missing.jsonl' }] })).rejects.toMatchObject({
      code: 'input_invalid',
      message: expect.stringContaining('`missing.jsonl`'),
    });
    await expect(runEval({ classifier: classifier(), files: [{ path: dir, name: 'a-directory' }] })).rejects.toBeInstanceOf(SaferouteError);
  });
});

describe('runEval failure summary', () => {
  it('keeps the first message of each failure code and says when every row failed', async () => {
    const file = await write('all-fail.jsonl', [row(0.1, { sexual: 0 }), row(0.2, { sexual: 1 }), row(0.3, { sexual: 0 })]);
    let n = 0;
    const failing = createScriptedClassifier({
      id: 'c',
      categories: ['sexual'],
      score: () => {
        n += 1;
        const code = n === 2 ? 'timeout' : 'upstream_error';
        return { status: 'failed', error: { code, message: `${code} on call ${n}` }, latencyMs: 1 };
      },
    });
    const { report } = await runEval({ classifier: failing, files: [file], concurrency: 1 });
    expect(report.failed).toEqual({ upstream_error: 2, timeout: 1 });
    expect(report.failureMessages).toEqual({ upstream_error: 'upstream_error on call 1', timeout: 'timeout on call 2' });
    expect(summarizeEvalFailures(report, classifierSettingsHint('llama-guard'))).toEqual({
      allFailed: true,
      failures: [
        { code: 'upstream_error', count: 2, message: 'upstream_error on call 1' },
        { code: 'timeout', count: 1, message: 'timeout on call 2' },
      ],
      hint: expect.stringContaining('SAFEROUTE_OLLAMA_HOST'),
    });
  });

  it('has no summary when no row failed, and no hint for in-process classifiers', async () => {
    const file = await write('ok.jsonl', [row(0.9, { sexual: 1 })]);
    const { report } = await runEval({ classifier: classifier(), files: [file] });
    expect(report.failureMessages).toEqual({});
    expect(summarizeEvalFailures(report)).toBeUndefined();
    expect(classifierSettingsHint('embedded')).toBeUndefined();
    expect(classifierSettingsHint('embedded > openai-moderation')).toMatch(/OPENAI_BASE_URL.*OPENAI_API_KEY/);
  });
});
