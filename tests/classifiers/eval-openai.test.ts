import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval.js';
import type { CommandContext } from '../../src/cli/command.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

let server: FakeOpenAIServer;
let dir: string;
const KEY = 'sk-eval-e2e-key';

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'saferoute-eval-openai-'));
  const rows = Array.from({ length: 40 }, (_, i) => {
    const positive = i % 4 === 0;
    return { text: `row ${i} [[sexual=${positive ? 0.9 : 0.05},hate=0.1]]`, labels: { sexual: positive ? 1 : 0, unsafe: positive ? 1 : 0 } };
  });
  await writeFile(join(dir, 'mod.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});
afterAll(() => server.close());

const run = async (argv: string[], env: Record<string, string>) => {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ctx: CommandContext = { stdout, stderr, cwd: dir, env };
  const code = await evalCommand.run(argv, ctx).catch((e: unknown) => e);
  return { code, out, err };
};

describe('saferoute eval --classifier openai-moderation (fake OpenAI server)', () => {
  it('measures the remote classifier, batching concurrent rows', async () => {
    const { code, out } = await run(['--data', 'mod.jsonl', '--classifier', 'openai-moderation', '--json', '--concurrency', '8'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.baseURL,
    });
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.classifier).toEqual({ id: 'openai-moderation', version: 'omni-moderation-latest' });
    expect(report.categories.sexual).toMatchObject({ support: { positive: 10, negative: 30 }, precision: 1, recall: 1, auprc: 1, fpr: 0 });
    expect(report.categories.unsafe).toMatchObject({ auprc: 1 });
    const requests = server.moderationRequests();
    expect(requests.reduce((n, r) => n + r.inputs.length, 0)).toBe(40);
    expect(requests.length).toBeLessThan(40);
  });

  it('stops with a configuration error naming the variable when no key is set', async () => {
    const { code } = await run(['--data', 'mod.jsonl', '--classifier', 'openai-moderation'], { OPENAI_BASE_URL: server.baseURL });
    expect(code).toMatchObject({ code: 'classifier_failed', message: expect.stringContaining('`OPENAI_API_KEY`') });
  });
});
