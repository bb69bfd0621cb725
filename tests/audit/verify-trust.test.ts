import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import type { AuditVerifyReport } from '../../src/audit/log-verifier.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { tempDir } from './helpers.js';
import { writeSignedAndUnsignedLogs } from './signed-and-unsigned-logs.js';

const keys = generateAuditKeyPair();
let dir: string;
let cleanup: () => Promise<void>;
const env = { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };

const found = (r: AuditVerifyReport) => r.findings.map((f) => [f.severity, f.code]);
const cli = (argv: string[], extraEnv: Record<string, string> = {}) => runCliInProcess(argv, { cwd: dir, env: { ...env, ...extraEnv } });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-trust-'));
  await writeSignedAndUnsignedLogs(dir, keys);
});

afterAll(async () => cleanup());

describe('verify with a key: whatever no signature covers is an error', () => {
  it('a missing checkpoints directory, and the writers it leaves unsigned', async () => {
    const withKey = await verifyAuditLog({ dir: join(dir, 'unsigned') }, { publicKey: keys.publicKeyPem });
    expect(withKey.ok).toBe(false);
    expect(found(withKey)).toEqual([
      ['error', 'checkpoints_missing'],
      ['error', 'no_checkpoints'],
    ]);
    expect(withKey.findings[0]?.message).toMatch(/the checkpoints directory `.*unsigned\/checkpoints` does not exist: no record of this log is covered by a signature/);
    expect(withKey.findings[1]?.message).toMatch(/writer `gw` has no valid checkpoint: its 3 records are chained but not signed, so anyone who can write the log could have written, changed or cut them undetected/);
    // Without a key nothing was claimed, so nothing fails; the gap is still named.
    const noKey = await verifyAuditLog({ dir: join(dir, 'unsigned') });
    expect(noKey.ok).toBe(true);
    expect(found(noKey)).toEqual([
      ['warning', 'checkpoints_missing'],
      ['warning', 'no_checkpoints'],
    ]);
    // Expected unsigned: nothing to report.
    expect(found(await verifyAuditLog({ dir: join(dir, 'unsigned') }, { unsigned: true }))).toEqual([]);
  });

  it('one writer without checkpoints beside a signed one', async () => {
    const { dir: mixed, cleanup: done } = await tempDir('saferoute-mixed-');
    try {
      await cp(join(dir, 'signed'), mixed, { recursive: true });
      await cp(join(dir, 'unsigned', 'gw'), join(mixed, 'intruder'), { recursive: true });
      await rm(join(mixed, 'intruder', 'writer.lock'), { force: true });
      const report = await verifyAuditLog({ dir: mixed }, { publicKey: keys.publicKeyPem });
      // The copied chain names writer `gw`, so it is also misplaced; the point is it is not signed.
      expect(found(report)).toContainEqual(['error', 'no_checkpoints']);
      expect(report.findings.find((f) => f.code === 'no_checkpoints')?.writer).toBe('intruder');
    } finally {
      await done();
    }
  });
});

describe('saferoute audit verify: the key it trusted, and where from', () => {
  it('prints the key id and the file, and pins it with --key-id', async () => {
    const ok = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^trusted key: ${keys.keyId} from keys/audit.pub.pem$`, 'm'));
    expect(ok.stdout).not.toMatch(/caution/);
    // A key id is base64url and may begin with `-`: the `=` form keeps it from reading as an option.
    expect((await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', `--key-id=${keys.keyId}`])).code).toBe(0);
    const other = generateAuditKeyPair();
    const pinned = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', `--key-id=${other.keyId}`]);
    expect(pinned.code).toBe(78);
    expect(pinned.stderr).toContain(`the key in \`keys/audit.pub.pem\` has key id \`${keys.keyId}\`, not the pinned \`${other.keyId}\`: it is not the key you were given`);
    expect((await cli(['audit', 'verify', 'signed', `--key-id=${keys.keyId}`])).code).toBe(64);
  });

  it('a key id beginning with a dash, given as a separate argument, says to use the `=` form', async () => {
    const r = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', '--key-id', '-Abc123']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('`--key-id -Abc123`: the value starts with a dash, so it reads as an option; write it as `--key-id=-Abc123`');
    // The `=` form reaches the pin check: that key id is not the file's.
    const eq = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', '--key-id=-Abc123']);
    expect(eq.code).toBe(78);
    expect(eq.stderr).toContain('not the pinned `-Abc123`');
  });

  it('takes the key from SAFEROUTE_AUDIT_PUBLIC_KEY and says so', async () => {
    const r = await cli(['audit', 'verify', 'signed'], { SAFEROUTE_AUDIT_PUBLIC_KEY: 'keys/audit.pub.pem' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^trusted key: ${keys.keyId} from SAFEROUTE_AUDIT_PUBLIC_KEY \\(keys/audit.pub.pem\\)$`, 'm'));
  });

  it('warns that a key kept in the log directory proves nothing', async () => {
    await writeFile(join(dir, 'signed', 'audit.pub.pem'), keys.publicKeyPem);
    try {
      const r = await cli(['audit', 'verify', 'signed', '--key', 'signed/audit.pub.pem']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}caution: it is inside the log directory: whoever can rewrite the log can replace this key too; get the public key \(or its key id, for --key-id\) from the log's owner out of band$/m);
    } finally {
      await rm(join(dir, 'signed', 'audit.pub.pem'));
    }
  });

  it('an unsigned log: an error with --key, clean with --unsigned (even --strict), and the two flags together are a usage error', async () => {
    const strictWithKey = await cli(['audit', 'verify', 'unsigned', '--key', 'keys/audit.pub.pem']);
    expect(strictWithKey.code).toBe(1);
    expect(strictWithKey.stdout).toMatch(/error checkpoints_missing/);
    const expected = await cli(['audit', 'verify', 'unsigned', '--unsigned', '--strict']);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toMatch(/^trusted key: none \(--unsigned\): the chain shows the log is consistent, not who wrote it/m);
    expect((await cli(['audit', 'verify', 'unsigned', '--unsigned', '--key', 'keys/audit.pub.pem'])).code).toBe(64);
    const none = await cli(['audit', 'verify', 'unsigned']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^trusted key: none: signatures were not checked/m);
  });

  it('--json carries what was trusted', async () => {
    const r = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', '--json']);
    const report = JSON.parse(r.stdout) as { trust: { keys: { keyId: string; from: string }[]; unsigned: boolean } };
    expect(report.trust).toEqual({ keys: [{ keyId: keys.keyId, from: 'keys/audit.pub.pem' }], unsigned: false });
  });
});
