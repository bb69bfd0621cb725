import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const env = { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_HMAC_KEY: '', SAFEROUTE_AUDIT_SIGNING_KEY: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-demo-'));
});
afterAll(async () => cleanup());

describe('the demo records its decisions and verifies them against a witness outside the log', () => {
  it('witnesses in .saferoute-demo/audit.witness, verifies with it, and runs again', async () => {
    const first = await runCliInProcess(['demo'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/checkpoints witnessed in .*\.saferoute-demo\/audit\.witness/);
    expect(first.stdout).toMatch(/\$ saferoute audit verify .*--witness .*\.saferoute-demo\/audit\.witness/);
    expect(first.stdout).toMatch(/^witness: .*audit\.witness: newest checkpoint cli 1#\d+/m);
    expect(first.stdout).toMatch(/result: VALID \(0 errors, 0 warnings\)/);
    expect(await readdir(join(dir, '.saferoute-demo', 'audit.witness'))).toEqual(['cli.jsonl']);
    const second = await runCliInProcess(['demo'], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^witness: .*newest checkpoint cli 2#\d+/m);
  });

  it('a demo log deleted without its witness is noticed, not silently restarted', async () => {
    await rm(join(dir, '.saferoute-demo', 'audit'), { recursive: true });
    const r = await runCliInProcess(['demo'], { cwd: dir, env });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/already holds checkpoint cli\/2#\d+, so it refuses cli\/1#0: the log of writer `cli` was rolled back or reset/);
  });
});
