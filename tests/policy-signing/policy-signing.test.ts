import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrivateKey } from 'node:crypto';
import { loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import { checkPolicySignature, describeSignatureCheck } from '../../src/policy-signing/check-policy-signature.js';
import { generatePolicyKeyPair, loadTrustedPolicyKeys } from '../../src/policy-signing/policy-keys.js';
import { signatureFileFor } from '../../src/policy-signing/policy-signature.js';
import { signPolicy } from '../../src/policy-signing/sign-policy.js';
import { requireSignedPolicy } from '../../src/policy-signing/require-signed-policy.js';
import { PolicySignatureError } from '../../src/policy-signing/policy-signature-error.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
const defaultDoc = (): Record<string, unknown> => {
  const d = JSON.parse(readFileSync(defaultPath, 'utf8')) as Record<string, unknown>;
  delete d['$schema'];
  return d;
};

let dir: string;
const trusted = generatePolicyKeyPair();
const stranger = generatePolicyKeyPair();

/** A product policy extending a base, both written to `dir`, signed with `key`. */
async function signedProduct(key = trusted): Promise<string> {
  writeFileSync(join(dir, 'base.json'), JSON.stringify(defaultDoc()));
  const file = join(dir, 'product.json');
  writeFileSync(file, JSON.stringify({ extends: './base.json', id: 'product', revision: '1' }));
  const policy = await loadPolicyOrThrow(file);
  writeFileSync(signatureFileFor(file), JSON.stringify(signPolicy(policy, createPrivateKey(key.privateKeyPem), 'Ada <ada@example.com>', new Date('2026-12-01T10:00:00Z'))));
  return file;
}

async function check(file: string): Promise<Awaited<ReturnType<typeof checkPolicySignature>>> {
  return checkPolicySignature(await loadPolicyOrThrow(file), file, await loadTrustedPolicyKeys([trusted.publicKeyPem]));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-signing-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy signatures', () => {
  it('are valid over the resolved policy, and name the signer', async () => {
    const file = await signedProduct();
    const c = await check(file);
    expect(c.status).toBe('valid');
    if (c.status !== 'valid') return;
    expect(c.signedBy).toEqual({ signer: 'Ada <ada@example.com>', keyId: trusted.keyId, signedAt: '2026-12-01T10:00:00.000Z' });
    expect(c.signature.policy.sha256).toBe((await loadPolicyOrThrow(file)).sha256);
    // Formatting the file anew changes no meaning: still valid.
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 4));
    expect((await check(file)).status).toBe('valid');
  });
  it('a policy without a signature file is unsigned', async () => {
    const file = join(dir, 'plain.json');
    writeFileSync(file, JSON.stringify(defaultDoc()));
    const c = await check(file);
    expect(c.status).toBe('unsigned');
    expect(describeSignatureCheck(c)).toContain('saferoute policy sign');
  });
  it('a change to the policy, or to the base it extends, is `modified`', async () => {
    const file = await signedProduct();
    writeFileSync(file, JSON.stringify({ extends: './base.json', id: 'product', revision: '1', mode: 'monitor' }));
    expect((await check(file)).status).toBe('modified');
    const again = await signedProduct();
    const base = defaultDoc();
    (base['rules'] as { id: string; when: { gte: number } }[]).find((r) => r.id === 'block-jailbreak')!.when.gte = 0.95;
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    const c = await check(again);
    expect(c.status).toBe('modified');
    expect(describeSignatureCheck(c)).toContain('a change to a policy it extends counts too');
  });
  it('a key not trusted is `unknown_key`; an altered signature file `bad_signature`; junk `malformed`', async () => {
    expect((await check(await signedProduct(stranger))).status).toBe('unknown_key');
    const file = await signedProduct();
    const sig = JSON.parse(readFileSync(signatureFileFor(file), 'utf8'));
    writeFileSync(signatureFileFor(file), JSON.stringify({ ...sig, signer: 'Mallory <m@example.com>' }));
    expect((await check(file)).status).toBe('bad_signature');
    writeFileSync(signatureFileFor(file), '{"type": "something else"}');
    const junk = await check(file);
    expect(junk.status).toBe('malformed');
  });
  it('requireSignedPolicy returns the policy with signedBy, or throws a typed error naming the file', async () => {
    const file = await signedProduct();
    const policy = await requireSignedPolicy(await loadPolicyOrThrow(file), file, { keys: [trusted.publicKeyPem] });
    expect(policy.signedBy?.signer).toBe('Ada <ada@example.com>');
    const unsigned = join(dir, 'unsigned.json');
    writeFileSync(unsigned, JSON.stringify(defaultDoc()));
    const err = await requireSignedPolicy(await loadPolicyOrThrow(unsigned), unsigned, { keys: [trusted.publicKeyPem] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicySignatureError);
    expect(err).toMatchObject({ code: 'policy_unsigned', status: 'unsigned', file: unsigned });
    expect((err as Error).message).toContain(unsigned);
    await expect(requireSignedPolicy(await loadPolicyOrThrow(file), file, { keys: [] })).rejects.toMatchObject({ code: 'config_invalid' });
  });
  it('trusted keys come from PEM text, key files and directories', async () => {
    const keyDir = join(dir, 'keys');
    rmSync(keyDir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(keyDir);
    writeFileSync(join(keyDir, 'a.pub.pem'), trusted.publicKeyPem);
    writeFileSync(join(keyDir, 'b.pub.pem'), stranger.publicKeyPem);
    writeFileSync(join(keyDir, 'a.key.pem'), trusted.privateKeyPem);
    const fromDir = await loadTrustedPolicyKeys([keyDir]);
    expect([...fromDir.keys()].sort()).toEqual([trusted.keyId, stranger.keyId].sort());
    const fromFile = await loadTrustedPolicyKeys([join(keyDir, 'a.pub.pem')]);
    expect([...fromFile.keys()]).toEqual([trusted.keyId]);
    await expect(loadTrustedPolicyKeys([join(dir, 'nope.pem')])).rejects.toMatchObject({ code: 'config_invalid' });
  });
});
