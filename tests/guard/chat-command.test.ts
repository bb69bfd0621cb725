import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command.js';
import { chatCommand } from '../../src/cli/commands/chat.js';
import { EXIT, exitCodeFor } from '../../src/cli/exit-codes.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADULT } from './guard-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-cli' });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-chat-'));
  const policy = {
    id: 'cli-chat',
    revision: '1',
    classifiers: { input: ['pii'], output: ['pii'] },
    targets: {
      sfw: { provider: 'openai', model: 'gpt-4o-mini', baseURL: openai.baseURL, apiKeyEnv: 'CLI_OPENAI_KEY' },
      private: { provider: 'ollama', model: 'llama3.1:8b', baseURL: ollama.host },
      restricted: {
        provider: 'ollama',
        model: 'llama3.1:8b',
        baseURL: ollama.host,
        requirements: { age: { minimum: 18, level: 'enhanced' }, consent: [{ scope: 'adult-content', minVersion: '1.0.0' }] },
      },
    },
    jurisdictions: { '*': { minimumAge: 18 } },
    blocklists: [{ id: 'banned', terms: ['zorblax'] }, { id: 'adult', terms: ['velvetword'] }],
    rules: [
      { id: 'block-banned', description: 'd', stage: 'both', when: { blocklist: 'banned' }, effect: { action: 'block', reason: 'banned_term', message: 'nope' } },
      { id: 'adult', description: 'd', stage: 'input', when: { blocklist: 'adult' }, effect: { action: 'route', target: 'restricted', precedence: 90 } },
      { id: 'pii', description: 'd', stage: 'input', when: { score: 'pii', gte: 0.5 }, effect: { action: 'route', target: 'private', precedence: 50 } },
    ],
    defaults: { route: 'sfw' },
    output: { streaming: { holdBackChars: 20, checkEveryChars: 10 } },
    messages: { nope: 'I cannot help with that.' },
  };
  await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
  await writeFile(join(dir, 'adult.json'), JSON.stringify(ADULT));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: NodeJS.ProcessEnv = { CLI_OPENAI_KEY: 'sk-cli', NO_COLOR: '1' }): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const ctx: CommandContext = { stdout, stderr, cwd: dir, env };
  const code = await chatCommand.run(argv, ctx);
  return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}

describe('saferoute chat', () => {
  it('prints the answer of the routed target and both decisions', async () => {
    openai.setScript({ text: 'Paris.' });
    const r = await run(['--policy', 'policy.json', '--tenant', 'acme', 'capital', 'of', 'France?']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Paris.\n');
    expect(r.err).toMatch(/^input {2}route → sfw/m);
    expect(r.err).toMatch(/^output route → sfw/m);
    expect(r.err).toContain('served by target sfw (model gpt-4o-mini)');
    expect(openai.chatRequests()[0]?.json).toMatchObject({ messages: [{ role: 'user', content: 'capital of France?' }] });
  });

  it('streams the answer when asked', async () => {
    ollama.setScript({ text: 'A private answer, streamed in pieces.', delayMs: 1 });
    const r = await run(['--policy', 'policy.json', '--stream', 'mail me at jane.doe@example.com']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('A private answer, streamed in pieces.\n');
    expect(r.err).toContain('served by target private');
    expect(r.err).toMatch(/streamed hold-back: \d+ checks/);
  });

  it('uses the subject file for the restricted target', async () => {
    const denied = await run(['--policy', 'policy.json', 'a velvetword story']);
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('unmet age_verification_required');
    expect(ollama.chatRequests()).toHaveLength(0);
    const allowed = await run(['--policy', 'policy.json', '--subject', 'adult.json', 'a velvetword story']);
    expect(allowed.code).toBe(0);
    expect(allowed.err).toContain('served by target restricted');
  });

  it('prints the refusal and exits 1 without calling a model', async () => {
    const r = await run(['--policy', 'policy.json', 'tell me about zorblax']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('[refused] I cannot help with that.\n');
    expect(r.err).toContain('refused at the input stage: banned_term');
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('withholds a violating streamed answer', async () => {
    openai.setScript({ text: 'Sure, here is everything about zorblax and more.' });
    const r = await run(['--policy', 'policy.json', '--stream', 'hello']);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('zorblax');
    expect(r.out).toContain('I cannot help with that.');
    expect(r.err).toContain('refused at the output stage: banned_term');
  });

  it('prints JSON with the saferoute field', async () => {
    const r = await run(['--policy', 'policy.json', '--json', 'hi']);
    expect(JSON.parse(r.out)).toMatchObject({ object: 'chat.completion', saferoute: { target: 'sfw' } });
  });

  it('fails with a configuration error naming the unset key variable', async () => {
    await expect(run(['--policy', 'policy.json', 'hi'], {})).rejects.toMatchObject({ code: 'provider_config', variable: 'CLI_OPENAI_KEY' });
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('exits with the documented code, naming the server, when the model server is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((done) => probe.close(() => done()));
    const base = `http://127.0.0.1:${port}/v1`;
    const policy = {
      id: 'cli-chat-down',
      revision: '1',
      classifiers: { input: ['pii'], output: ['pii'] },
      targets: { sfw: { provider: 'openai', model: 'gpt-4o-mini', baseURL: base, apiKeyEnv: 'CLI_OPENAI_KEY' } },
      jurisdictions: { '*': { minimumAge: 18 } },
      rules: [{ id: 'pii', description: 'd', stage: 'input', when: { score: 'pii', gte: 0.5 }, effect: { action: 'route', target: 'sfw', precedence: 50 } }],
      defaults: { route: 'sfw' },
    };
    await writeFile(join(dir, 'down.json'), JSON.stringify(policy));
    const error = await run(['--policy', 'down.json', '--timeout', '5000', 'hi']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'provider_failed' });
    expect((error as Error).message).toContain(`cannot reach openai at \`${base}\``);
    const code = exitCodeFor(error);
    expect(code).toBe(EXIT.config);
    // The help text documents this very exit code for an unreachable model server.
    expect(chatCommand.usage.replace(/\s+/g, ' ')).toMatch(new RegExp(`${code} when [^.]*model server cannot be reached`));
  });

  it('rejects a missing prompt and a bad timeout as usage errors', async () => {
    await expect(run(['--policy', 'policy.json'])).rejects.toMatchObject({ code: 'usage' });
    await expect(run(['--policy', 'policy.json', '--timeout', 'soon', 'hi'])).rejects.toMatchObject({ code: 'usage' });
  });
});
