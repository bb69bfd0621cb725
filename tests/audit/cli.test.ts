import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandContext } from '../../src/cli/command.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { auditQueryCommand } from '../../src/cli/commands/audit-query.js';
import { auditReportCommand } from '../../src/cli/commands/audit-report.js';
import { auditKeygenCommand } from '../../src/cli/commands/audit-keygen.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../../src/cli/run-cli.js';
import { sampleBody, TEST_HMAC_KEYS } from './fixtures.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const ids: Record<string, string> = {};

async function run(command: { run: (argv: string[], ctx: CommandContext) => Promise<number> }, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await command.run(argv, { stdout, stderr, cwd: dir, env: {} });
  return { code, out, err };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('saferoute-cli-'));
  const keygen = await run(auditKeygenCommand, ['--out', 'keys']);
  expect(keygen.code).toBe(0);
  const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'cli', checkpoint: { key: await readFile(join(dir, 'keys', 'audit-signing.key.pem'), 'utf8') } });
  const blocked = sampleBody(
    {
      outcome: 'block',
      target: undefined,
      effective: { outcome: 'block' },
      reason: 'unmet_requirements',
      determiningRules: ['adult-needs-age'],
      matchedRules: ['adult-needs-age'],
      unmet: [{ code: 'age_verification_required', target: 'restricted', detail: 'no attestation' }],
      scores: { sexual: 0.95 },
      policy: { id: 'default', revision: 'r43', sha256: 'b'.repeat(64) },
    },
    'user-2',
  );
  const failed = sampleBody({ classifierErrors: [{ classifier: 'openai-moderation', code: 'timeout' }], scores: { sexual: 0.2 } }, 'user-3');
  ids['blocked'] = blocked.decisionId;
  ids['failed'] = failed.decisionId;
  await sink.append(sampleBody());
  await sink.append(blocked);
  await sink.append(failed);
  await sink.close();
});

afterAll(async () => cleanup());

describe('saferoute audit keygen', () => {
  it('writes the private key with mode 0600 and refuses to overwrite without --force', async () => {
    expect((await stat(join(dir, 'keys', 'audit-signing.key.pem'))).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(await readFile(join(dir, 'keys', 'audit-signing.pub.jwk.json'), 'utf8')) as { kid: string; crv: string };
    expect(jwk.crv).toBe('Ed25519');
    await expect(run(auditKeygenCommand, ['--out', 'keys'])).rejects.toThrow(/exists; use --force/);
    const forced = await run(auditKeygenCommand, ['--out', 'keys2', '--name', 'k']);
    expect(forced.out).toMatch(/^key id [A-Za-z0-9_-]{43}\n/);
  });
});

describe('saferoute audit verify', () => {
  it('says valid per segment, the counts and the range, and exits 0', async () => {
    const { code, out } = await run(auditVerifyCommand, ['log', '--key', 'keys/audit-signing.pub.pem']);
    expect(code).toBe(0);
    expect(out).toMatch(/^valid {4}cli epoch 1 segment 1 {2}seq 0–4 {2}5 records/m);
    expect(out).toMatch(/checkpoints: 2 read, 2 valid, 2 signature\(s\) verified/);
    expect(out).toMatch(/range requested: everything\nrange covered: {3}\d{4}-.* – \d{4}-/);
    expect(out).toMatch(/result: VALID \(0 errors, 0 warnings\)/);
  });

  it('exits 1 and names the line when a record was changed; --json gives the full report', async () => {
    const seg = join(dir, 'log', 'cli', '000001-000001.jsonl');
    const original = await readFile(seg, 'utf8');
    try {
      await writeFile(seg, original.replace('"outcome":"block"', '"outcome":"route"'));
      const text = await run(auditVerifyCommand, ['log', '--key', 'keys/audit-signing.pub.pem']);
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/^INVALID {2}cli epoch 1 segment 1/m);
      expect(text.out).toMatch(/error hash_mismatch: line 3 \(seq 2\): hash mismatch/);
      const json = await run(auditVerifyCommand, ['log', '--json']);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.out) as { ok: boolean; findings: { code: string; line: number }[] };
      expect(report.ok).toBe(false);
      expect(report.findings).toContainEqual(expect.objectContaining({ code: 'hash_mismatch', line: 3 }));
    } finally {
      await writeFile(seg, original);
    }
  });

  it('--strict turns warnings into a failure', async () => {
    expect((await run(auditVerifyCommand, ['log'])).code).toBe(0);
    expect((await run(auditVerifyCommand, ['log', '--strict'])).code).toBe(1);
  });

  it('rejects bad invocations as usage errors', async () => {
    await expect(run(auditVerifyCommand, [])).rejects.toThrow(UsageError);
    await expect(run(auditVerifyCommand, ['log', '--pg', 'postgres://x'])).rejects.toThrow(/not both/);
    await expect(run(auditVerifyCommand, ['log', '--from', 'yesterday'])).rejects.toThrow(/`--from yesterday` is not an ISO 8601 time/);
    await expect(run(auditVerifyCommand, ['log', '--bogus'])).rejects.toThrow(UsageError);
    await expect(run(auditVerifyCommand, ['log', '--key', 'missing.pem'])).rejects.toThrow(/cannot read the key file `missing.pem`/);
  });
});

/** A stdout whose reader goes away after `keep` writes, as `| head -1` does: later writes fail with EPIPE. */
function closingPipe(keep: number): { stream: Writable; writes: () => number; text: () => string } {
  let writes = 0;
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes++;
      if (writes > keep) return cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
      text += chunk.toString();
      cb();
    },
  });
  return { stream, writes: () => writes, text: () => text };
}

async function runClosing(argv: string[], keep: number): Promise<{ code: number; err: string; writes: number; out: string }> {
  const stdout = closingPipe(keep);
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(argv, { stdout: stdout.stream, stderr, cwd: dir, env: {} });
  return { code, err, writes: stdout.writes(), out: stdout.text() };
}

describe('saferoute audit commands with a closed stdout (`| head`)', () => {
  it('audit query stops quietly with exit 0, no stack trace, and stops reading the log', async () => {
    const r = await runClosing(['audit', 'query', 'log', '--format', 'jsonl'], 1);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/EPIPE|internal error|at /);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.writes).toBe(2);
  });

  it('audit query --format table stops quietly too', async () => {
    const r = await runClosing(['audit', 'query', 'log', '--outcome', 'block'], 1);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^TIME/);
  });

  it('audit verify keeps its verdict as the exit status when nobody reads the report', async () => {
    const r = await runClosing(['audit', 'verify', 'log', '--key', 'keys/audit-signing.pub.pem'], 0);
    expect(r.err).not.toMatch(/EPIPE|internal error/);
    const readable = await run(auditVerifyCommand, ['log', '--key', 'keys/audit-signing.pub.pem']);
    expect(r.code).toBe(readable.code);
  });
});

describe('saferoute audit query', () => {
  it('filters by outcome, unmet code, category, revision, subject and decision, as jsonl', async () => {
    const one = async (args: string[]) => (await run(auditQueryCommand, ['log', '--format', 'jsonl', ...args])).out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { decisionId: string });
    expect((await one(['--outcome', 'block'])).map((e) => e.decisionId)).toEqual([ids['blocked']]);
    expect((await one(['--unmet', 'age_verification_required'])).map((e) => e.decisionId)).toEqual([ids['blocked']]);
    expect((await one(['--policy-revision', 'r43'])).map((e) => e.decisionId)).toEqual([ids['blocked']]);
    expect((await one(['--subject', TEST_HMAC_KEYS.pseudonymize('user-3')])).map((e) => e.decisionId)).toEqual([ids['failed']]);
    expect((await one(['--decision', ids['failed'] as string])).map((e) => e.decisionId)).toEqual([ids['failed']]);
    expect(await one(['--category', 'sexual'])).toHaveLength(2);
    expect(await one(['--category', 'sexual', '--min-score', '0.93'])).toHaveLength(1);
    expect(await one(['--rule', 'adult-content-to-restricted'])).toHaveLength(2);
    expect(await one(['--all-kinds'])).toHaveLength(5);
    expect(await one(['--limit', '1'])).toHaveLength(1);
    expect(await one(['--to', '2000-01-01'])).toHaveLength(0);
  });

  it('prints a table and CSV', async () => {
    const table = await run(auditQueryCommand, ['log', '--outcome', 'block']);
    expect(table.out.split('\n')[0]).toMatch(/^TIME\s+DECISION\s+STAGE\s+OUTCOME\s+TARGET\s+RULES\s+UNMET\s+POLICY$/);
    expect(table.out).toContain(ids['blocked']);
    expect(table.out).toMatch(/block\s+\(?restricted|block\s+adult-needs-age/);
    expect(table.err).toBe('1 record\n');
    const csv = await run(auditQueryCommand, ['log', '--format', 'csv']);
    const rows = csv.out.trim().split('\r\n');
    expect(rows[0]).toMatch(/^ts,writer,epoch,seq,kind,decision_id,stage,outcome,/);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toContain('openai-moderation:timeout');
    expect(rows[2]).toContain('"{""sexual"":0.95}"');
  });

  it('rejects a bad format or score', async () => {
    await expect(run(auditQueryCommand, ['log', '--format', 'xml'])).rejects.toThrow(/must be table, jsonl or csv/);
    await expect(run(auditQueryCommand, ['log', '--min-score', '2'])).rejects.toThrow(/must be a number in \[0, 1\]/);
    await expect(run(auditQueryCommand, ['log', '--outcome', 'allow'])).rejects.toThrow(/must be route or block/);
  });
});

describe('saferoute audit report', () => {
  it('writes one self-contained HTML file with the verification result and the breakdowns', async () => {
    const { code, out } = await run(auditReportCommand, ['log', '--out', 'report.html', '--key', 'keys/audit-signing.pub.pem']);
    expect(code).toBe(0);
    expect(out).toMatch(/wrote .*report\.html: 3 decisions; verification valid/);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('id="verification-status">valid<');
    expect(html).toContain('age_verification_required');
    expect(html).toContain('openai-moderation: timeout');
    expect(html).toContain('r43');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(8);
  });

  it('requires --out', async () => {
    await expect(run(auditReportCommand, ['log'])).rejects.toThrow(/--out FILE/);
  });
});
