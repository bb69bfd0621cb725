import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process.js';

// A newcomer checks saferoute.config.json with `saferoute validate`, as the README says a config
// is "checked like a policy". It used to be read as a policy: 15 errors about missing `rules`
// and unknown `tenants`, none of them about the config's real mistakes.

const EXAMPLES = fileURLToPath(new URL('../../examples/gateway/', import.meta.url));
const DEFAULT_POLICY = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-validate-config-'));
  mkdirSync(join(dir, 'policies'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (argv: string[]) => runCliInProcess(argv, { cwd: dir });

describe('saferoute validate: a gateway config', () => {
  it('checks the shipped example configs as configs, with the policies they name', async () => {
    const r = await cli(['validate', join(EXAMPLES, 'saferoute.config.json'), join(EXAMPLES, 'compose.config.json')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('saferoute.config.json: gateway config, 1 tenant: acme (default@');
    expect(r.stdout).toContain('compose.config.json: gateway config, 1 tenant: acme (default@');
    expect(r.stdout).not.toContain('rules');
    expect(r.code).toBe(0);
  });

  it("reports the config's own mistakes at their positions, then those of the policies it names", async () => {
    writeFileSync(
      join(dir, 'saferoute.config.json'),
      ['{', '  "tenants": [', '    { "id": "acme", "policy": "policies/acme.json", "apiKeys": [{ "id": "web", "sha256": "…" }] }', '  ]', '}', ''].join('\n'),
    );
    const bad = await cli(['validate', 'saferoute.config.json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trim().split('\n')).toEqual([
      'error saferoute.config.json:3:90 /tenants/0/apiKeys/0/sha256: `…` does not match the pattern `^[0-9a-f]{64}$` (hint: the `sha256` of the entry `saferoute keys api --tenant ID` prints, never the key itself)',
      'invalid saferoute.config.json: gateway config, 1 error',
    ]);

    // Without `$schema`, `tenants` and no `rules` still say it is a config.
    writeFileSync(
      join(dir, 'saferoute.config.json'),
      JSON.stringify({ tenants: [{ id: 'acme', policy: 'policies/acme.json', apiKeys: [] }, { id: 'beta', policy: 'strict', apiKeys: [] }] }, null, 2),
    );
    const missing = await cli(['validate', 'saferoute.config.json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^error policies\/acme\.json \/: cannot read the policy file: no such file/m);
    expect(missing.stdout).toContain('invalid saferoute.config.json: gateway config, 1 error');

    writeFileSync(join(dir, 'policies', 'acme.json'), '{\n  "id": "acme"\n}\n');
    const invalid = await cli(['validate', 'saferoute.config.json', '--json']);
    expect(invalid.code).toBe(1);
    const report = JSON.parse(invalid.stdout) as { kind: string; valid: boolean; issues: { file: string }[]; tenants: { id: string }[] };
    expect(report).toMatchObject({ kind: 'gateway-config', valid: false, tenants: [{ id: 'acme' }, { id: 'beta', revision: expect.stringMatching(/^strict@/) }] });
    expect(report.issues.length).toBeGreaterThan(0);
    expect(report.issues.every((i) => i.file.endsWith(join('policies', 'acme.json')))).toBe(true);

    writeFileSync(join(dir, 'policies', 'acme.json'), JSON.stringify({ extends: DEFAULT_POLICY, id: 'acme', revision: '1', rules: [] }));
    const valid = await cli(['validate', 'saferoute.config.json']);
    expect(valid.stdout).toContain('valid saferoute.config.json: gateway config, 2 tenants: acme (acme@1), beta (strict@');
    expect(valid.code).toBe(0);
  });
});
