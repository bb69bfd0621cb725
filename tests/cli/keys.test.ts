import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { runCliInProcess as cli } from '../support/run-cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-keys-'));
  writeFileSync(join(dir, 'claims.json'), JSON.stringify({ age_over_18: true, age_method: 'digital_id_wallet', age_assurance_level: 'substantial' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sign = async (argv: string[]): Promise<string> => {
  const r = await cli(['keys', 'sign', ...argv], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
};

describe('saferoute keys sign', () => {
  it('fills in iss, so keys generate + keys sign with default options inspect as valid', async () => {
    expect((await cli(['keys', 'generate', '--out', 'iss'], { cwd: dir })).code).toBe(0);
    const token = await sign(['--key', 'iss/issuer.private.jwk.json', 'claims.json']);
    expect(decodeJwt(token)).toMatchObject({ iss: 'https://issuer.saferoute.test', aud: 'saferoute' });
    const inspect = await cli(['attest', 'inspect', '--issuers', 'iss/issuers.json', token], { cwd: dir });
    expect(inspect.stdout).toContain('✓ signature');
    expect(inspect.code, inspect.stdout).toBe(0);
  });

  it('takes iss and aud from the issuers.json beside the key when generate was given others', async () => {
    expect((await cli(['keys', 'generate', '--out', 'custom', '--issuer', 'https://age.example', '--audience', 'shop'], { cwd: dir })).code).toBe(0);
    const token = await sign(['--key', 'custom/issuer.private.jwk.json', 'claims.json']);
    expect(decodeJwt(token)).toMatchObject({ iss: 'https://age.example', aud: 'shop' });
    expect((await cli(['attest', 'inspect', '--issuers', 'custom/issuers.json', token], { cwd: dir })).code).toBe(0);
  });

  it('lets --issuer, and claims that carry iss, win over the default', async () => {
    expect(decodeJwt(await sign(['--key', 'iss/issuer.private.jwk.json', 'claims.json', '--issuer', 'https://other.example'])).iss).toBe('https://other.example');
    writeFileSync(join(dir, 'with-iss.json'), JSON.stringify({ age_over_18: true, iss: 'https://from-claims.example' }));
    expect(decodeJwt(await sign(['--key', 'iss/issuer.private.jwk.json', 'with-iss.json'])).iss).toBe('https://from-claims.example');
  });
});
