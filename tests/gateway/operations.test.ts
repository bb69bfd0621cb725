import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/gateway/api-keys.js';
import { loadGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { OPENAI_KEY_ENV } from '../guard/guard-fixtures.js';
import { APP_KEY, gatewayPolicy, startTestGateway } from './gateway-fixtures.js';
import { spawnServe } from './serve-process.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const upstreams = { openaiBaseURL: openai.baseURL, ollamaHost: ollama.host };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-ops-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chat = (url: string, content: string, stream = false): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ stream, messages: [{ role: 'user', content }] }),
  });

describe('hot reload', () => {
  it('swaps in a valid policy, and keeps serving the old one when the new one is broken', async () => {
    const gw = await startTestGateway(gatewayPolicy(upstreams));
    try {
      const first = (await (await chat(gw.url, 'hi')).json()) as { saferoute: { decisions: { input: { policy: { revision: string } } } } };
      expect(first.saferoute.decisions.input.policy.revision).toBe('1');

      await writeFile(gw.policyFile, JSON.stringify(gatewayPolicy(upstreams, { revision: '2' })));
      expect((await gw.running.reload()).ok).toBe(true);
      const second = (await (await chat(gw.url, 'hi')).json()) as typeof first;
      expect(second.saferoute.decisions.input.policy.revision).toBe('2');

      // A threshold of 1.5 and an unknown target: refused with positions, revision 2 keeps serving.
      const broken = JSON.stringify(gatewayPolicy(upstreams, { revision: '3', rules: [{ id: 'bad', description: 'd', stage: 'input', when: { score: 'sexual', gte: 1.5 }, effect: { action: 'route', target: 'nowhere', precedence: 10 } }] } as never), null, 2);
      await writeFile(gw.policyFile, broken);
      const refused = await gw.running.reload();
      expect(refused.ok).toBe(false);
      expect(refused.problems.some((p) => /policy\.json:\d+:\d+ \/rules\/0\/when\/gte/.test(p))).toBe(true);
      const third = await chat(gw.url, 'hi');
      expect(third.status).toBe(200);
      expect(((await third.json()) as typeof first).saferoute.decisions.input.policy.revision).toBe('2');
      const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { ready: boolean; checks: { reload?: { detail: { refused: boolean; problems: string[] } } } };
      expect(ready.ready).toBe(true);
      expect(ready.checks.reload?.detail.refused).toBe(true);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/saferoute_policy_reloads_total\{tenant="acme",result="invalid"\} 1/);
      expect(metrics).toMatch(/saferoute_policy_active\{tenant="acme",policy="gateway-test",revision="2"/);
    } finally {
      await gw.close();
    }
  });

  it('lets a stream that started before a reload finish on its own policy', async () => {
    const gw = await startTestGateway(gatewayPolicy(upstreams));
    try {
      openai.setScript({ text: 'A calm answer about rivers and trees and the weather today. '.repeat(3), delayMs: 10 });
      const res = await chat(gw.url, 'talk', true);
      const reader = res.body!.getReader();
      await reader.read();
      await writeFile(gw.policyFile, JSON.stringify(gatewayPolicy(upstreams, { revision: '9' })));
      expect((await gw.running.reload()).ok).toBe(true);
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      const last = text.split('\n\n').filter((e) => e.startsWith('data: {')).at(-1)!;
      const chunk = JSON.parse(last.slice(6)) as { saferoute: { decisions: { output: { policy: { revision: string } } } } };
      expect(chunk.saferoute.decisions.output.policy.revision).toBe('1');
    } finally {
      await gw.close();
    }
  });
});

describe('reload triggers', () => {
  const revisionOf = async (url: string): Promise<string> =>
    ((await (await chat(url, 'hi')).json()) as { saferoute: { decisions: { input: { policy: { revision: string } } } } }).saferoute.decisions.input.policy.revision;
  const until = async (check: () => Promise<boolean>, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };

  it('reloads when the policy file changes', async () => {
    const gw = await startTestGateway(gatewayPolicy(upstreams), { host: { watchFiles: true } });
    try {
      expect(await revisionOf(gw.url)).toBe('1');
      await writeFile(gw.policyFile, JSON.stringify(gatewayPolicy(upstreams, { revision: 'watched' })));
      expect(await until(async () => (await revisionOf(gw.url)) === 'watched', 5_000)).toBe(true);
    } finally {
      await gw.close();
    }
  });

  it('reloads a serve process on SIGHUP', { timeout: 60_000 }, async () => {
    const policyFile = join(dir, 'hup-policy.json');
    await writeFile(policyFile, JSON.stringify(gatewayPolicy(upstreams, { classifiers: { input: ['embedded'], output: ['embedded'] } })));
    const configFile = join(dir, 'hup.config.json');
    await writeFile(configFile, JSON.stringify({ listen: { port: 0 }, tenants: [{ id: 'acme', policy: 'hup-policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { disabled: true } }));
    const serve = await spawnServe(['--config', configFile], { cwd: dir, env: { [OPENAI_KEY_ENV]: 'sk-test' } });
    try {
      expect(await revisionOf(serve.url)).toBe('1');
      // Renamed into place, as editors save: the file watcher may or may not see it; SIGHUP does.
      await writeFile(`${policyFile}.new`, JSON.stringify(gatewayPolicy(upstreams, { revision: 'hup', classifiers: { input: ['embedded'], output: ['embedded'] } })));
      await rename(`${policyFile}.new`, policyFile);
      serve.proc.kill('SIGHUP');
      expect(await until(async () => (await revisionOf(serve.url)) === 'hup', 10_000)).toBe(true);
      expect(serve.stderr()).toContain('"message":"reloaded"');
    } finally {
      serve.proc.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
  });
});

describe('the config file', () => {
  it('reports every problem with file:line:column', async () => {
    const file = join(dir, 'bad.config.json');
    await writeFile(
      file,
      ['{', '  "listen": { "host": "0.0.0.0", "prot": 8080 },', '  "tenants": [', '    { "id": "acme", "policy": "default", "apiKeys": [] },', '    { "id": "acme", "policy": "default", "apiKeys": [{ "id": "k", "sha256": "nothex" }] }', '  ]', '}'].join('\n'),
    );
    const result = await loadGatewayConfig(file);
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : result.issues.map((i) => `${i.line}:${i.column} ${i.pointer} ${i.message}`).join('\n');
    expect(text).toContain('2:34 /listen/prot unknown property `prot`; did you mean `port`?');
    expect(text).toMatch(/5:77 \/tenants\/1\/apiKeys\/0\/sha256/);
  });
  it('refuses a tenant without keys on a non-loopback address', async () => {
    const file = join(dir, 'open.config.json');
    await writeFile(file, JSON.stringify({ listen: { host: '0.0.0.0' }, tenants: [{ id: 'acme', policy: 'default', apiKeys: [] }] }, null, 2));
    const result = await loadGatewayConfig(file);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.issues[0]?.message).toContain('has no API keys');
  });
});

describe('saferoute serve as a process', () => {
  it('refuses a non-loopback address without a config', async () => {
    const run = spawnServe(['--host', '0.0.0.0', '--port', '0'], { cwd: dir });
    await expect(run).rejects.toThrow(/exited with 64[\s\S]*not a loopback address/);
  });

  it('drains a live stream on SIGTERM, closes the audit log with its writer-stop record, exits 0', { timeout: 60_000 }, async () => {
    const policyFile = join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify(gatewayPolicy(upstreams, { classifiers: { input: ['embedded'], output: ['embedded'] } })));
    const configFile = join(dir, 'saferoute.config.json');
    await writeFile(
      configFile,
      JSON.stringify({ listen: { port: 0 }, tenants: [{ id: 'acme', policy: 'policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { dir: 'audit', writerId: 'gw-term' } }, null, 2),
    );
    const answer = 'The river runs past the old mill and the children play by the water. '.repeat(4);
    openai.setScript({ text: answer, pieces: answer.match(/[\s\S]{1,12}/g)!, delayMs: 40 });
    const serve = await spawnServe(['--config', configFile], { cwd: dir, env: { [OPENAI_KEY_ENV]: 'sk-test' } });
    const res = await chat(serve.url, 'tell me about the river', true);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    serve.proc.kill('SIGTERM');
    // The signal arrives when it arrives: a request sent before the gateway has seen it is served.
    const deadline = Date.now() + 10_000;
    while (!serve.stderr().includes('shutting down') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // New requests are refused while it drains (or the listener is already closed).
    const during = await chat(serve.url, 'hi').then((r) => r.status, () => 'closed');
    expect([503, 'closed']).toContain(during);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const content = text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => (JSON.parse(e.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(answer);
    expect(await serve.exited).toBe(0);
    const kinds: string[] = [];
    let decisions = 0;
    for await (const r of readAuditRecords({ dir: join(dir, 'audit') })) {
      kinds.push(r.event.kind);
      if (r.event.kind === 'decision') decisions++;
      expect(r.line).not.toContain(APP_KEY);
    }
    expect(decisions).toBeGreaterThanOrEqual(2);
    expect(kinds.at(-1)).toBe('writer-stop');
  });
});
