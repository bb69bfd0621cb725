import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { SaferouteError, UsageError } from '../../errors.js';
import { createScriptedClassifier } from '../../classifiers/decorators/scripted-classifier.js';
import { createClassifierRegistry } from '../../classifiers/registry.js';
import type { CommandContext } from '../command.js';
import { createEvalCommand, evalCommand } from './eval.js';
import { EXIT } from '../exit-codes.js';

let dir: string;

const capture = (tty = false) => {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; text: () => string };
  let buffer = '';
  stream.on('data', (c: Buffer) => (buffer += c.toString('utf8')));
  stream.isTTY = tty;
  stream.text = () => buffer;
  return stream;
};

const command = createEvalCommand({
  registry: () =>
    createClassifierRegistry({
      scripted: () => createScriptedClassifier({ id: 'scripted', categories: ['sexual', 'sexual/minors', 'hate', 'violence'] }),
    }),
});

async function run(argv: string[], options: { tty?: boolean } = {}) {
  const stdout = capture();
  const stderr = capture(options.tty);
  const ctx: CommandContext = { stdout, stderr, cwd: dir, env: {} };
  const code = await command.run(argv, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const lines = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-eval-cmd-'));
  await writeFile(
    join(dir, 'data.jsonl'),
    lines([
      { text: '[[scripted:sexual=0.9]]', labels: { sexual: 1, 'sexual/minors': 0 } },
      { text: '[[scripted:sexual=0.8]]', labels: { sexual: 0, 'sexual/minors': 0 } },
      { text: '[[scripted:sexual=0.7]]', labels: { sexual: 1 } },
      { text: '[[scripted:sexual=0.6]]', labels: { sexual: 1, toxic: 1, violance: 0 } },
      { text: '[[scripted:sexual=0.2]]', labels: { sexual: 0, 'sexual/minors': 0, pii: 0 } },
    ]),
  );
  await writeFile(
    join(dir, 'policy.json'),
    JSON.stringify({
      id: 'eval-test',
      revision: '1',
      targets: { sfw: { provider: 'none', model: 'none' }, restricted: { provider: 'none', model: 'none' } },
      rules: [
        { id: 'block-minors', description: 'minors', stage: 'both', when: { score: 'sexual/minors', gte: 0.3 }, effect: { action: 'block', reason: 'minors' } },
        { id: 'adult', description: 'adult', when: { score: 'sexual', gt: 0.65 }, effect: { action: 'route', target: 'restricted', precedence: 10 } },
        { id: 'adult-strong', description: 'adult', when: { score: 'sexual', gte: 0.9 }, effect: { action: 'warn' } },
      ],
      defaults: { route: 'sfw' },
    }),
  );
  await writeFile(join(dir, 'broken.jsonl'), lines([{ text: '[[scripted:sexual=0.9]]', labels: { sexual: 1 } }, '{not json', { text: 'b', labels: { sexual: 0 } }]));
});

describe('saferoute eval', () => {
  it('is named eval and documents its options', () => {
    expect(evalCommand.name).toBe('eval');
    for (const flag of ['--data', '--classifier', '--policy', '--json', '--svg', '--strict', '--limit']) expect(evalCommand.usage).toContain(flag);
  });

  it('prints the JSON report keyed by category', async () => {
    const { code, stdout } = await run(['--data', 'data.jsonl', '--classifier', 'scripted', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const sexual = report.categories.sexual;
    for (const key of ['precision', 'recall', 'f1', 'auprc', 'fpr', 'support']) expect(sexual).toHaveProperty(key);
    expect(sexual.support).toEqual({ positive: 3, negative: 2 });
    expect(sexual.precision).toBe(0.75);
    expect(sexual.auprc).toBeCloseTo(29 / 36, 10);
    expect(sexual.bestF1.threshold).toBe(0.6);
    expect(report.categories['sexual/minors'].support).toEqual({ positive: 0, negative: 3 });
    expect(report.noLabels).toEqual(['hate', 'violence']);
    expect(report.notScored).toEqual(['pii']);
    expect(report.latencyMs).toMatchObject({ count: 5 });
    expect(report.latencyMs.p50).toBeTypeOf('number');
    expect(report.latencyMs.p99).toBeTypeOf('number');
  });

  it('prints a readable table that says which categories have no labels', async () => {
    const { code, stdout } = await run(['--data', 'data.jsonl', '--classifier', 'scripted']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sexual\s+3\s+2\s+>=0\.50 default\s+0\.750\s+1\.000\s+0\.857\s+0\.857 @ 0\.600\s+0\.806\s+0\.500$/m);
    expect(stdout).toContain('no labels in the data for: hate, violence');
    expect(stdout).toContain('labels ignored (not canonical categories): toxic, violance (did you mean violence?)');
    expect(stdout).toMatch(/latency \(reported by the classifier\): p50 .+, p99 .+ over 5 rows/);
  });

  it('takes thresholds from a policy', async () => {
    const { code, stdout } = await run(['--data', 'data.jsonl', '--classifier', 'scripted', '--policy', 'policy.json', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.categories['sexual/minors'].threshold).toEqual({ value: 0.3, op: 'gte', source: 'policy', rules: ['block-minors'] });
    expect(report.categories.sexual.threshold).toEqual({ value: 0.65, op: 'gt', source: 'policy', rules: ['adult'] });
    // at > 0.65: 0.9, 0.8, 0.7 are positive predictions → TP 2, FP 1, FN 1
    expect(report.categories.sexual).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
  });

  it('warns about a malformed line with file:line and goes on', async () => {
    const { code, stdout, stderr } = await run(['--data', 'broken.jsonl', '--classifier', 'scripted', '--json']);
    expect(code).toBe(0);
    expect(stderr).toContain('warning: broken.jsonl:2: not JSON');
    expect(JSON.parse(stdout).rows).toBe(2);
  });

  it('stops with exit 1 under --strict', async () => {
    const { code, stdout, stderr } = await run(['--data', 'broken.jsonl', '--classifier', 'scripted', '--strict']);
    expect(code).toBe(1);
    // Once, with the cause and what to do; no table of the rows read before the stop.
    expect(stderr.match(/broken\.jsonl:2/g)).toHaveLength(1);
    expect(stderr).toMatch(/stopped at broken\.jsonl:2 \(--strict\): .+; fix the line, or drop --strict to skip such lines/);
    expect(stdout).toBe('');
  });

  it('honours --limit across files', async () => {
    const { stdout } = await run(['--data', 'data.jsonl', '--data', 'broken.jsonl', '--classifier', 'scripted', '--limit', '6', '--json']);
    const report = JSON.parse(stdout);
    expect(report.rows).toBe(6);
    expect(report.files).toEqual([
      { file: 'data.jsonl', rows: 5, malformed: 0, labeled: ['sexual', 'sexual/minors'] },
      { file: 'broken.jsonl', rows: 1, malformed: 0, labeled: ['sexual'] },
    ]);
  });

  it('measures only --category, and says when it has no labels', async () => {
    const { stdout } = await run(['--data', 'data.jsonl', '--classifier', 'scripted', '--category', 'sexual/minors', '--category', 'hate']);
    expect(stdout).toMatch(/^sexual\/minors\s+0\s+3/m);
    expect(stdout).not.toMatch(/^sexual\s/m);
    expect(stdout).toContain('no labels in the data for: hate');
  });

  it('lists what the classifier scores for a --category that is no category at all', async () => {
    await expect(run(['--data', 'data.jsonl', '--classifier', 'scripted', '--category', 'toxic'])).rejects.toThrow(
      'unknown category `toxic`; `scripted` scores `sexual`, `sexual/minors`, `hate`, `violence`',
    );
    await expect(run(['--data', 'data.jsonl', '--classifier', 'scripted', '--category', 'violance'])).rejects.toThrow('did you mean `violence`?');
  });

  it('writes the precision–recall curves as SVG when asked', async () => {
    const { code } = await run(['--data', 'data.jsonl', '--classifier', 'scripted', '--svg', 'curves.svg']);
    expect(code).toBe(0);
    const svg = await readFile(join(dir, 'curves.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('sexual (AP 0.806)');
  });

  it('draws a progress bar only on a terminal', async () => {
    expect((await run(['--data', 'data.jsonl', '--classifier', 'scripted'], { tty: false })).stderr).toBe('');
    // The first report is drawn at once (throttling starts after it).
    expect((await run(['--data', 'data.jsonl', '--classifier', 'scripted'], { tty: true })).stderr).toMatch(/\r\[[#.]+\]\s+\d+%/);
  });

  it.each([
    [[], /at least one `--data/],
    [['--data', 'data.jsonl', '--limit', '0'], /`--limit` takes a whole number/],
    [['--data', 'data.jsonl', '--limit', '2.5'], /`--limit` takes a whole number/],
    [['--data', 'data.jsonl', '--stage', 'middle'], /`--stage` must be/],
    [['--data', 'data.jsonl', '--bogus'], /unknown option/i],
    [['data.jsonl'], /unexpected argument `data.jsonl`/],
    [['--data', 'data.jsonl', '--classifier', 'scripted', '--category', 'sexuall'], /unknown category `sexuall`; did you mean `sexual`\?/],
    [['--data', 'data.jsonl', '--classifier', 'scripted', '--category', 'pii'], /`scripted` does not score `pii`/],
  ])('rejects %j as a usage error', async (argv, message) => {
    await expect(run(argv as string[])).rejects.toSatisfy((e: unknown) => e instanceof UsageError && message.test((e as Error).message));
  });

  it('names an unknown classifier with a did-you-mean', async () => {
    await expect(run(['--data', 'data.jsonl', '--classifier', 'scriptd'])).rejects.toMatchObject({
      code: 'classifier_unknown',
      message: expect.stringContaining('did you mean `scripted`?'),
    });
  });

  it('reports an unreadable data file as invalid input', async () => {
    const error = await run(['--data', 'nope.jsonl', '--classifier', 'scripted']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SaferouteError);
    expect(error).toMatchObject({ code: 'input_invalid', message: expect.stringContaining('`nope.jsonl`') });
  });
});

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The shipped registry, configured from `env`, as `saferoute eval` runs it. */
async function runShipped(argv: string[], env: Record<string, string>) {
  const stdout = capture();
  const stderr = capture();
  const code = await evalCommand.run(argv, { stdout, stderr, cwd: dir, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('saferoute eval when the classifier cannot be reached', () => {
  it('llama-guard: prints the cause and SAFEROUTE_OLLAMA_HOST, and exits 78 when every row failed', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const r = await runShipped(['--data', 'data.jsonl', '--classifier', 'llama-guard'], { SAFEROUTE_OLLAMA_HOST: host });
    expect(r.code).toBe(EXIT.config);
    expect(r.stdout).toBe('classifier `llama-guard`: nothing measured, failed rows: 5 (upstream_error 5)\n');
    expect(r.stderr).toContain('every row failed');
    expect(r.stderr).toContain(`5 rows failed (upstream_error); the first: cannot reach ollama at \`${host}\``);
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(r.stderr).toContain('SAFEROUTE_OLLAMA_HOST');
  });

  it('openai-moderation under --json: valid JSON with the failure summary, OPENAI_BASE_URL in the hint, exit 78', async () => {
    const base = `http://127.0.0.1:${await closedPort()}/v1`;
    const r = await runShipped(['--data', 'data.jsonl', '--classifier', 'openai-moderation', '--json'], {
      OPENAI_API_KEY: 'sk-test-eval-key',
      OPENAI_BASE_URL: base,
    });
    expect(r.code).toBe(EXIT.config);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      rows: 5,
      failed: { upstream_error: 5 },
      failureMessages: { upstream_error: expect.stringContaining(`\`${base}\``) },
      failureSummary: {
        allFailed: true,
        failures: [{ code: 'upstream_error', count: 5, message: expect.stringContaining('ECONNREFUSED') }],
        hint: expect.stringMatching(/OPENAI_BASE_URL.*OPENAI_API_KEY/),
      },
    });
    expect(r.stdout + r.stderr).not.toContain('sk-test-eval-key');
    expect(r.stderr).toContain(`cannot reach openai moderation at \`${base}\``);
  }, 20_000);

  it('some rows failed: says why on standard error but exits 0, and the usage documents exit 78', async () => {
    let n = 0;
    const flaky = createEvalCommand({
      registry: () =>
        createClassifierRegistry({
          flaky: () =>
            createScriptedClassifier({
              id: 'flaky',
              categories: ['sexual'],
              score: () => ((n += 1) % 2 === 0 ? { status: 'failed', error: { code: 'timeout', message: `call ${n} timed out` }, latencyMs: 1 } : { sexual: 0.9 }),
            }),
        }),
    });
    const stdout = capture();
    const stderr = capture();
    const code = await flaky.run(['--data', 'data.jsonl', '--classifier', 'flaky', '--concurrency', '1'], { stdout, stderr, cwd: dir, env: {} });
    expect(code).toBe(EXIT.ok);
    expect(stderr.text()).toContain('2 rows failed (timeout); the first: call 2 timed out');
    expect(stderr.text()).not.toContain('every row failed');
    expect(evalCommand.usage.replace(/\s+/g, ' ')).toContain('78 configuration problem (unknown classifier, invalid policy, missing API key) or every row failed');
  });
});

describe('saferoute eval on data the shipped model was trained on', () => {
  const trainingFile = new URL('../../../classifiers/train/data/requests_everyday.jsonl', import.meta.url).pathname;
  const rowsOf = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter(Boolean).length;

  it('says the figures are in-sample, on standard error and in the JSON report', async () => {
    const table = await runShipped(['--data', trainingFile, '--classifier', 'embedded', '--category', 'unsafe'], {});
    expect(table.code).toBe(EXIT.ok);
    const rows = await rowsOf(trainingFile);
    expect(table.stderr).toMatch(new RegExp(`note: the linear model was trained on .*requests_everyday\\.jsonl \\(${rows} rows\\): figures on it are in-sample`));
    const json = await runShipped(['--data', trainingFile, '--data', 'data.jsonl', '--classifier', 'linear', '--category', 'sexual', '--json'], {});
    expect((JSON.parse(json.stdout) as { inSample?: unknown }).inSample).toEqual([{ file: trainingFile, trainingFile: 'requests_everyday.jsonl', rowsUsed: rows }]);
  });

  it('says nothing for other data or a classifier without the linear model', async () => {
    expect((await runShipped(['--data', 'data.jsonl', '--classifier', 'embedded'], {})).stderr).not.toContain('in-sample');
    expect((await runShipped(['--data', trainingFile, '--classifier', 'lexicon', '--category', 'sexual'], {})).stderr).not.toContain('in-sample');
  });
});
