import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrivateKey } from 'node:crypto';
import { createGuard } from '../../src/guard/create-guard.js';
import { loadPolicyOrThrow } from '../../src/policy/load-policy.js';
import { generatePolicyKeyPair } from '../../src/policy-signing/policy-keys.js';
import { signatureFileFor } from '../../src/policy-signing/policy-signature.js';
import { signPolicy } from '../../src/policy-signing/sign-policy.js';
import { createAuditRecorderFromEnv } from '../../src/audit/create-audit-recorder-from-env.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { verifyAuditLog } from '../../src/audit/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { createPolicyRuntime } from '../../src/decision/policy-runtime.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../../src/classifiers/registry.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
const env = { OPENAI_API_KEY: 'sk-test' };
const keys = generatePolicyKeyPair();
const other = generatePolicyKeyPair();
let dir: string;

function writeBaseAndProduct(edit: (base: Record<string, unknown>) => void = () => undefined): string {
  const base = JSON.parse(readFileSync(defaultPath, 'utf8')) as Record<string, unknown>;
  delete base['$schema'];
  edit(base);
  writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
  const file = join(dir, 'product.json');
  writeFileSync(file, JSON.stringify({ extends: './base.json', id: 'product', revision: '7' }));
  return file;
}

async function sign(file: string, key = keys): Promise<void> {
  const policy = await loadPolicyOrThrow(file);
  writeFileSync(signatureFileFor(file), JSON.stringify(signPolicy(policy, createPrivateKey(key.privateKeyPem), 'Grace Hopper <grace@example.com>')));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guard-signed-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createGuard({ requireSignedPolicies })', () => {
  it('loads a signed policy; decisions and audit records carry who signed it', async () => {
    const file = writeBaseAndProduct();
    await sign(file);
    const recorder = await createAuditRecorderFromEnv({ dir: 'audit', cwd: dir, env: {}, writerId: 'signed-1', onNote: () => undefined });
    const guard = await createGuard({ policy: file, env, audit: recorder, requireSignedPolicies: { keys: [keys.publicKeyPem] } });
    const decision = await guard.decide('hello there');
    expect(decision.policy.signedBy).toMatchObject({ signer: 'Grace Hopper <grace@example.com>', keyId: keys.keyId });
    expect(decision.policy.sha256).toBe((await loadPolicyOrThrow(file)).sha256);
    // Checked once, at load: the signature file is not read again per decision.
    rmSync(signatureFileFor(file));
    expect((await guard.decide('hello again')).policy.signedBy?.keyId).toBe(keys.keyId);
    await recorder.close();
    const decisions: { policy: { signedBy?: { signer: string } } }[] = [];
    for await (const { event } of readAuditRecords({ dir: join(dir, 'audit') })) if (event.kind === 'decision') decisions.push(event);
    expect(decisions.length).toBe(2);
    for (const d of decisions) expect(d.policy.signedBy?.signer).toBe('Grace Hopper <grace@example.com>');
    const report = await verifyAuditLog({ dir: join(dir, 'audit') }, { publicKey: await readFile(recorder.publicKeyPath, 'utf8') });
    expect(report.ok).toBe(true);
    // `audit show` names the signer of the policy that decided.
    const shown = await runCliInProcess(['audit', 'show', decision.decisionId, join(dir, 'audit')]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`signed by Grace Hopper <grace@example.com> (key ${keys.keyId}) at `);
  });
  it('refuses an unsigned policy with policy_unsigned naming the file and the fix', async () => {
    const file = writeBaseAndProduct();
    const err = await createGuard({ policy: file, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'policy_unsigned', file });
    expect((err as Error).message).toContain(`\`${file}\` is not signed`);
    expect((err as Error).message).toContain('saferoute policy sign');
  });
  it('refuses a signed policy modified since, and one whose extends base changed', async () => {
    const file = writeBaseAndProduct();
    await sign(file);
    writeFileSync(file, JSON.stringify({ extends: './base.json', id: 'product', revision: '7', mode: 'monitor' }));
    await expect(createGuard({ policy: file, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } })).rejects.toMatchObject({ code: 'policy_signature_invalid', status: 'modified', file });

    const again = writeBaseAndProduct();
    await sign(again);
    writeBaseAndProduct((base) => {
      (base['rules'] as { id: string; when: { all: { gte: number }[] } }[]).find((r) => r.id === 'adult-to-restricted')!.when.all[0]!.gte = 0.9;
    });
    const err = await createGuard({ policy: again, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'policy_signature_invalid', status: 'modified' });
    expect((err as Error).message).toContain('a change to a policy it extends counts too');
  });
  it('refuses a policy signed with a key it does not trust', async () => {
    const file = writeBaseAndProduct();
    await sign(file, other);
    await expect(createGuard({ policy: file, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } })).rejects.toMatchObject({ code: 'policy_signature_invalid', status: 'unknown_key' });
  });
  it('checks a loaded policy or a runtime by the file it came from; refuses an object with no file', async () => {
    const file = writeBaseAndProduct();
    await sign(file);
    const policy = await loadPolicyOrThrow(file);
    const fromPolicy = await createGuard({ policy, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } });
    expect((await fromPolicy.decide('hi')).policy.signedBy?.keyId).toBe(keys.keyId);
    const runtime = createPolicyRuntime(policy, createClassifierRegistry(defaultClassifierFactories(env)));
    const fromRuntime = await createGuard({ policy: runtime, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } });
    expect((await fromRuntime.decide('hi')).policy.signedBy?.keyId).toBe(keys.keyId);
    const bare = { id: policy.id, revision: policy.revision, sha256: policy.sha256, document: policy.document };
    await expect(createGuard({ policy: bare, env, requireSignedPolicies: { keys: [keys.publicKeyPem] } })).rejects.toMatchObject({ code: 'config_invalid' });
  });
  it('without the option, a policy needs no signature and decisions carry no signer', async () => {
    const file = writeBaseAndProduct();
    const guard = await createGuard({ policy: file, env });
    expect((await guard.decide('hello')).policy.signedBy).toBeUndefined();
  });
});
