import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess as cli } from '../support/run-cli-in-process.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));

describe('saferoute policy keygen | sign | verify', () => {
  it('makes keys, signs, and verifies: valid, unsigned, modified, unknown key', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-policy-sign-'));
    try {
      const doc = JSON.parse(readFileSync(defaultPath, 'utf8'));
      delete doc.$schema;
      writeFileSync(join(cwd, 'p.json'), JSON.stringify(doc, null, 2));
      const keygen = await cli(['policy', 'keygen', '--out', 'keys'], { cwd });
      expect(keygen.code).toBe(0);
      expect(keygen.stdout).toMatch(/^key id [A-Za-z0-9_-]{43}\n/);
      expect(statSync(join(cwd, 'keys/policy-signing.key.pem')).mode & 0o777).toBe(0o600);
      expect((await cli(['policy', 'keygen', '--out', 'keys'], { cwd })).code).toBe(64);
      expect((await cli(['policy', 'keygen', '--out', 'other', '--name', 'other'], { cwd })).code).toBe(0);

      const unsigned = await cli(['policy', 'verify', 'p.json', '--keys', 'keys'], { cwd });
      expect(unsigned.code).toBe(1);
      expect(unsigned.stdout).toMatch(/^unsigned p\.json: the policy `p\.json` is not signed/);

      const sign = await cli(['policy', 'sign', 'p.json', '--key', 'keys/policy-signing.key.pem', '--signer', 'Ada <ada@example.com>'], { cwd });
      expect(sign.code).toBe(0);
      expect(sign.stdout).toContain('wrote p.sig.json');
      const sig = JSON.parse(readFileSync(join(cwd, 'p.sig.json'), 'utf8'));
      expect(sig).toMatchObject({ algorithm: 'Ed25519', signer: 'Ada <ada@example.com>', policy: { id: 'default' } });

      const valid = await cli(['policy', 'verify', 'p.json', '--keys', 'keys/policy-signing.pub.pem'], { cwd });
      expect(valid.code).toBe(0);
      expect(valid.stdout).toMatch(/^valid p\.json: signed by Ada <ada@example\.com> \(key [A-Za-z0-9_-]{43}\) at \d{4}-/);
      const json = JSON.parse((await cli(['policy', 'verify', 'p.json', '--keys', 'keys', '--json'], { cwd })).stdout);
      expect(json).toMatchObject({ status: 'valid', signer: 'Ada <ada@example.com>', signedSha256: json.policy.sha256 });

      const unknown = await cli(['policy', 'verify', 'p.json', '--keys', 'other'], { cwd });
      expect(unknown.code).toBe(1);
      expect(unknown.stdout).toMatch(/^unknown key p\.json/);

      doc.rules[0].when.gte = 0.25;
      writeFileSync(join(cwd, 'p.json'), JSON.stringify(doc, null, 2));
      const modified = await cli(['policy', 'verify', 'p.json', '--keys', 'keys'], { cwd });
      expect(modified.code).toBe(1);
      expect(modified.stdout).toMatch(/^modified p\.json: the policy `p\.json` was modified since Ada <ada@example\.com> signed it/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
  it('usage errors exit 64; a missing policy or unreadable key 78', async () => {
    expect((await cli(['policy', 'sign', defaultPath, '--signer', 'x'])).code).toBe(64);
    expect((await cli(['policy', 'sign', defaultPath, '--key', '/nonexistent.pem'])).code).toBe(64);
    const key = await cli(['policy', 'sign', defaultPath, '--key', '/nonexistent.pem', '--signer', 'x']);
    expect(key.code).toBe(78);
    expect(key.stderr).toContain('/nonexistent.pem');
    expect((await cli(['policy', 'verify', defaultPath])).code).toBe(64);
    expect((await cli(['policy', 'verify', '/nonexistent/p.json', '--keys', '/tmp'])).code).toBe(78);
  });
});
