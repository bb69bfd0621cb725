import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from './serve-process.js';

// A config whose consent database cannot be reached started without a word: only /readyz knew.
// The start now names the consent store and says what is not ready.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-serve-banner-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saferoute serve: what it says at start', () => {
  it('names the consent store and warns when it does not answer', { timeout: 60_000 }, async () => {
    const config = join(dir, 'saferoute.config.json');
    await writeFile(config, JSON.stringify({ listen: { port: 0 }, tenants: [{ id: 'acme', policy: 'default', apiKeys: [] }], audit: { disabled: true }, consent: { pg: 'postgresql://nobody@127.0.0.1:1/nothing' } }));
    const run = await spawnServe(['--config', config], { cwd: dir, env: { SAFEROUTE_PSEUDONYM_KEY: 'k'.repeat(32), SAFEROUTE_PG_CONNECT_TIMEOUT_MS: '500' } });
    try {
      const deadline = Date.now() + 20_000;
      while (!run.stderr().includes('WARNING: not ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(run.stdout()).toContain('consent store: PostgreSQL (`consent.pg`)');
      expect(run.stderr()).toMatch(/WARNING: not ready: consent: .+ \(GET \/readyz answers 503 until it is\)/);
      const ready = await fetch(`${run.url}/readyz`);
      expect(ready.status).toBe(503);
    } finally {
      run.proc.kill('SIGTERM');
      await run.exited;
    }
  });

  it('warns at start about a target whose key variable is unset, and not once it is set', { timeout: 60_000 }, async () => {
    const unset = await spawnServe(['--port', '0'], { cwd: dir, env: { OPENAI_API_KEY: '', SAFEROUTE_AUDIT_WRITER_ID: 'banner-1' } });
    const set = await spawnServe(['--port', '0'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test', SAFEROUTE_AUDIT_WRITER_ID: 'banner-2' } });
    try {
      const deadline = Date.now() + 20_000;
      while (!unset.stderr().includes('OPENAI_API_KEY is not set') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(unset.stderr()).toContain("WARNING: OPENAI_API_KEY is not set: requests routed to target `sfw` of default will fail (500, provider_config); set it in this process's environment");
      expect(set.stderr()).not.toContain('is not set');
    } finally {
      for (const run of [unset, set]) run.proc.kill('SIGTERM');
      await Promise.all([unset.exited, set.exited]);
    }
  });
});
