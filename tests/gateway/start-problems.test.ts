import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayHost } from '../../src/gateway/gateway-host.js';
import { parseGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { SaferouteError } from '../../src/errors.js';

// A start with three things wrong said the first one; fixing it revealed the next, start after start.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-start-problems-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configOf(raw: unknown) {
  const parsed = parseGatewayConfig(JSON.stringify(raw, null, 2), 'saferoute.config.json', dir);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
  return parsed.config;
}

describe('a gateway start reports every problem at once', () => {
  it('names the audit key, the issuers file and the broken policy together, as a configuration error', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "id": "broken", "revision": "1" }');
    const config = configOf({ tenants: [{ id: 'acme', policy: 'broken.json', apiKeys: [] }], audit: { dir: 'audit' }, issuers: { file: 'no-issuers.json' } });
    const started = createGatewayHost(config, { cwd: dir, env: { SAFEROUTE_AUDIT_SIGNING_KEY: join(dir, 'no-such-key.pem'), SAFEROUTE_AUDIT_HMAC_KEY: 'h'.repeat(40) }, log: () => undefined });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SaferouteError);
    expect((error as SaferouteError).code).toBe('config_invalid');
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot start the gateway \(\d+ problems\):/);
    expect(message).toContain('no-such-key.pem');
    expect(message).toContain('no-issuers.json');
    expect(message).toMatch(/broken\.json:\d+:\d+/);
  });

  it('keeps a single problem as it was raised (its own code and message)', async () => {
    const config = configOf({ tenants: [{ id: 'acme', policy: 'default', apiKeys: [] }], audit: { disabled: true }, issuers: { file: 'no-issuers.json' } });
    const error = await createGatewayHost(config, { cwd: dir, env: {}, log: () => undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain('cannot read issuers file');
    expect((error as Error).message).not.toContain('problems):');
  });
});
