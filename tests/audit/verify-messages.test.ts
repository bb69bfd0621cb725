import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { tempDir } from './helpers.js';
import { writeSignedAndUnsignedLogs } from './signed-and-unsigned-logs.js';

const keys = generateAuditKeyPair();
const other = generateAuditKeyPair();
let dir: string;
let cleanup: () => Promise<void>;
const env = { SAFEROUTE_AUDIT_WITNESS: '', SAFEROUTE_AUDIT_PUBLIC_KEY: '' };
const cli = (argv: string[]) => runCliInProcess(argv, { cwd: dir, env });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-verify-messages-'));
  // Two live decisions and, beside the first, a candidate policy's (shadow) decision.
  // A small segment size: several segments, so --workers really verifies in threads.
  await writeSignedAndUnsignedLogs(dir, keys, { shadow: true, segmentBytes: 1500, others: { other } });
});

afterAll(async () => cleanup());

describe('audit verify says what was wrong and what to do', () => {
  it('signed checkpoints but no key: names the key id, the flag, and where the key comes from', async () => {
    const r = await cli(['audit', 'verify', 'signed']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`warning signatures_not_checked: the log's 2 checkpoints are signed (key id \`${keys.keyId}\`), but no public key was given, so no signature was checked`);
    expect(r.stdout).toContain('Give the public key with `--key FILE` (or SAFEROUTE_AUDIT_PUBLIC_KEY)');
    expect(r.stdout).toContain('`saferoute audit keygen`');
    expect(r.stdout).toContain("Get it from the log's owner, not from beside the log, and pin its key id with `--key-id=ID`");
    // --strict turns it into a failure.
    expect((await cli(['audit', 'verify', 'signed', '--strict'])).code).toBe(1);
    // Verified in worker threads, the message is the same.
    const threaded = await cli(['audit', 'verify', 'signed', '--workers', '2']);
    expect(threaded.stdout).toContain(`the log's 2 checkpoints are signed (key id \`${keys.keyId}\`)`);
  });

  it('the wrong key: names both key ids and says which key to get', async () => {
    const r = await cli(['audit', 'verify', 'signed', '--key', 'keys/other.pub.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error checkpoint_bad_signature: checkpoint gw/1#');
    expect(r.stdout).toContain(`the signature does not verify with the key given (\`${other.keyId}\`); the checkpoint names key \`${keys.keyId}\`: most likely the wrong public key was given: give the one whose key id is \`${keys.keyId}\` with \`--key FILE\``);
    // The writer's records are then not "unsigned": its checkpoints did not verify.
    expect(r.stdout).toContain('error no_checkpoints: writer `gw` has no valid checkpoint: none of its 2 checkpoints verified (see above)');
    expect(r.stdout).not.toContain('chained but not signed');
  });

  it('several keys, none of them the signer: checkpoint_unknown_key names them all', async () => {
    const third = generateAuditKeyPair();
    await writeFile(join(dir, 'keys', 'third.pub.pem'), third.publicKeyPem);
    const r = await cli(['audit', 'verify', 'signed', '--key', 'keys/other.pub.pem', '--key', 'keys/third.pub.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`is signed with key \`${keys.keyId}\`, which is none of the keys given (\`${other.keyId}\`, \`${third.keyId}\`): give the public key whose key id is \`${keys.keyId}\` with \`--key FILE\``);
  });

  it('a log with no checkpoints at all: says to verify it --unsigned or to give the writer a signing key', async () => {
    const r = await cli(['audit', 'verify', 'unsigned']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning checkpoints_missing: the checkpoints directory `.*unsigned\/checkpoints` does not exist: no record of this log is covered by a signature; if the log is meant to be unsigned, verify it with `--unsigned`; if its writer kept its checkpoints elsewhere, give that directory with `--checkpoints-dir DIR`; to have it signed from now on, give the writer a key made with `saferoute audit keygen` \(SAFEROUTE_AUDIT_SIGNING_KEY\)/);
    expect(r.stdout).toContain('warning no_checkpoints: writer `gw` has no valid checkpoint: its 3 records are chained but not signed');
    expect(r.stdout).toContain('if the log is meant to be unsigned, verify it with `--unsigned`; to have it signed, give the writer a key made with `saferoute audit keygen` (SAFEROUTE_AUDIT_SIGNING_KEY)');
    const withKey = await cli(['audit', 'verify', 'unsigned', '--key', 'keys/audit.pub.pem']);
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toMatch(/error checkpoints_missing: .*verify it with `--unsigned`/);
  });

  it('counts live and shadow decisions apart, in text and JSON', async () => {
    const r = await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('3 decisions in range (2 live, 1 shadow)');
    expect(r.stdout).toMatch(/^records: 5 read, 5 in range \(3 decisions: 2 live, 1 shadow\)$/m);
    const json = JSON.parse((await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', '--json'])).stdout) as { counts: { decisions: number; shadowDecisions: number }; warnings: unknown[] };
    expect(json.counts).toMatchObject({ decisions: 3, shadowDecisions: 1 });
    expect(json.warnings).toEqual([]);
    // The worker threads count the same.
    const threaded = JSON.parse((await cli(['audit', 'verify', 'signed', '--key', 'keys/audit.pub.pem', '--json', '--workers', '2'])).stdout) as { counts: { segments: number; shadowDecisions: number }; workers: number };
    expect(threaded.counts.segments).toBeGreaterThan(1);
    expect(threaded.workers).toBe(2);
    expect(threaded.counts.shadowDecisions).toBe(1);
  });
});
