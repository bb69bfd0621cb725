import { describe, expect, it } from 'vitest';
import { createApiKeyTable, hashApiKey } from '../../src/gateway/api-keys.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

describe('saferoute keys api', () => {
  it('prints a new key once and the config entry holding only its SHA-256', async () => {
    const r = await runCliInProcess(['keys', 'api', '--tenant', 'acme', '--scopes', 'chat,admin']);
    expect(r.code).toBe(0);
    const key = /store it now\): (sr_[A-Za-z0-9_-]{43})\n/.exec(r.stdout)?.[1];
    expect(key).toBeDefined();
    const entry = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { id: string; sha256: string; scopes: string[] };
    expect(entry.sha256).toBe(hashApiKey(key!));
    expect(entry.id).toMatch(/^acme-[0-9a-f]{6}$/);
    expect(entry.scopes).toEqual(['chat', 'admin']);
    expect(r.stdout.split(key!).length).toBe(2);
    const table = createApiKeyTable([{ id: 'acme', policy: 'default', apiKeys: [entry as never] }]);
    expect(table.identify(key!)).toMatchObject({ tenant: 'acme', keyId: entry.id });
    expect(table.identify(key! + 'x')).toBeUndefined();
    // Two runs never make the same key.
    const again = await runCliInProcess(['keys', 'api', '--tenant', 'acme']);
    expect(again.stdout).not.toContain(key!);
  });
  it("names every scope in its usage, the console's included", async () => {
    const r = await runCliInProcess(['keys', 'api', '--help']);
    expect(r.stdout.split('\n')[0]).toBe('usage: saferoute keys api --tenant ID [--id KEY_ID] [--scopes LIST]');
    expect(r.stdout).toContain('chat, moderations, decide, admin, auditor, editor');
  });
  it('refuses a missing tenant and unknown scopes (usage, 64)', async () => {
    expect((await runCliInProcess(['keys', 'api'])).code).toBe(64);
    const r = await runCliInProcess(['keys', 'api', '--tenant', 'acme', '--scopes', 'chat,root']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('not root');
  });
});
