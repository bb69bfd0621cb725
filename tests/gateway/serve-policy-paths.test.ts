import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGatewayConfig } from '../../src/gateway/open-gateway-config.js';
import { shippedPolicyPath } from '../../src/policy/shipped-policies.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

// `--policy P` takes `default` or `strict` for the shipped policies (README, Command line); serve
// looked for a file named `strict` instead. And a tenant's missing policy file was explained with
// the API's hint (`shippedPolicyPath(...)`, "relative to the working directory"), which is wrong
// for a config, whose paths start at the config's folder.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-serve-paths-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saferoute serve: where a policy is looked for', () => {
  it('`--policy strict` and `--policy default` serve the shipped policies, unless a file of that name is here', async () => {
    const strict = await openGatewayConfig({ policy: 'strict', cwd: dir, env: {} });
    expect(strict.tenants[0]?.policy).toBe(shippedPolicyPath('strict'));
    const byDefault = await openGatewayConfig({ policy: 'default', cwd: dir, env: {} });
    expect(byDefault.tenants[0]?.policy).toBe(shippedPolicyPath('default'));
    await writeFile(join(dir, 'strict'), '{}');
    const local = await openGatewayConfig({ policy: 'strict', cwd: dir, env: {} });
    expect(local.tenants[0]?.policy).toBe(join(dir, 'strict'));
  });

  it("names the config's folder as where a tenant's policy path starts, and `default`/`strict`", async () => {
    const config = join(dir, 'saferoute.config.json');
    await writeFile(config, JSON.stringify({ tenants: [{ id: 'acme', policy: 'policies/acme.json', apiKeys: [] }], audit: { disabled: true } }));
    const r = await runCliInProcess(['serve', '--config', config], { cwd: dir });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(
      `tenant \`acme\`: policy file \`${join(dir, 'policies', 'acme.json')}\` not found; a tenant's \`policy\` and \`shadow\` paths start at the config file's folder (\`${dir}\`), and \`default\` or \`strict\` name the policies saferoute ships`,
    );
    expect(r.stderr).not.toContain('shippedPolicyPath');
  });

  it('says `--policy` starts at the working directory when there is no config', async () => {
    const r = await runCliInProcess(['serve', '--policy', 'nope.json', '--port', '0'], { cwd: dir });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`policy file \`${join(dir, 'nope.json')}\` not found; \`--policy\` takes a path from the working directory, and \`default\` or \`strict\` name the policies saferoute ships`);
  });
});
