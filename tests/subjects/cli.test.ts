import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../src/cli/command.js';
import { attestInspectCommand } from '../../src/cli/commands/attest.js';
import { consentGrantCommand, consentShowCommand, consentWithdrawCommand } from '../../src/cli/commands/consent.js';
import { keysGenerateCommand, keysSignCommand } from '../../src/cli/commands/keys.js';
import { migrateCommand } from '../../src/cli/commands/migrate.js';
import { UsageError } from '../../src/errors.js';
import { PG_SKIP_MESSAGE, PG_URL, uniqueSchema } from './pg-test-support.js';

const KEY = 'cli-test-pseudonym-key-0123456789';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(command: Command, argv: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const ctx: CommandContext = { stdout, stderr: new PassThrough(), cwd: dir, env: { SAFEROUTE_PSEUDONYM_KEY: KEY, ...env } };
  if (stdin != null) {
    const input = new PassThrough();
    input.end(stdin);
    ctx.stdin = input;
  }
  const code = await command.run(argv, ctx);
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

describe('saferoute keys generate / sign and attest inspect', () => {
  const claims = { age_over_18: true, age_method: 'digital_id_wallet', age_assurance_level: 'substantial', single_use: true };

  it('generates an issuer whose minted token inspects as valid, check by check', async () => {
    writeFileSync(join(dir, 'claims.json'), JSON.stringify(claims));
    const gen = await run(keysGenerateCommand, ['--alg', 'EdDSA', '--out', 'issuer', '--sign', 'claims.json']);
    expect(gen.code).toBe(0);
    expect(statSync(join(dir, 'issuer', 'issuer.private.jwk.json')).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(readFileSync(join(dir, 'issuer', 'jwks.json'), 'utf8'));
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const token = gen.out.trim().split('\n').at(-1)!;
    expect(token.split('.')).toHaveLength(3);

    const inspect = await run(attestInspectCommand, [token, '--issuers', 'issuer/issuers.json']);
    expect(inspect.code).toBe(0);
    expect(inspect.out).toContain('✓ signature');
    expect(inspect.out).toContain('valid: over 18, method digital_id_wallet, level enhanced');
    // Inspection does not burn single-use tokens, so this stays repeatable.
    expect((await run(attestInspectCommand, [token, '--issuers', 'issuer/issuers.json', '--json'])).code).toBe(0);
    expect((await run(attestInspectCommand, ['-', '--issuers', 'issuer/issuers.json'], {}, token + '\n')).code).toBe(0);

    await expect(run(keysGenerateCommand, ['--out', 'issuer'])).rejects.toBeInstanceOf(UsageError);
  });

  it('says exactly why a token is refused', async () => {
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...claims, single_use: false, exp: 1_000_000_000, iat: 999_999_000 }));
    const signed = await run(keysSignCommand, ['--key', 'issuer/issuer.private.jwk.json', 'old.json', '--issuer', 'https://issuer.saferoute.test']);
    const expired = await run(attestInspectCommand, [signed.out.trim(), '--issuers', 'issuer/issuers.json']);
    expect(expired.code).toBe(1);
    expect(expired.out).toMatch(/✗ exp\s+expired at 2001-09-09/);
    expect(expired.out).toContain('refused: expired');
    const wrongAud = await run(attestInspectCommand, [signed.out.trim(), '--issuers', 'issuer/issuers.json', '--audience', 'other', '--json']);
    expect(JSON.parse(wrongAud.out)).toMatchObject({ ok: false, reason: 'wrong_audience' });
    const garbage = await run(attestInspectCommand, ['garbage', '--issuers', 'issuer/issuers.json']);
    expect(garbage.out).toContain('refused: malformed');
  });

  it('only decodes without --issuers, and never prints a birthdate', async () => {
    writeFileSync(join(dir, 'bd.json'), JSON.stringify({ verified_claims: { claims: { birthdate: '2001-02-03' } } }));
    const signed = await run(keysSignCommand, ['--key', 'issuer/issuer.private.jwk.json', 'bd.json']);
    const decoded = await run(attestInspectCommand, [signed.out.trim()]);
    expect(decoded.code).toBe(1);
    expect(decoded.out).toContain('not verified');
    expect(decoded.out).toContain('[redacted]');
    expect(decoded.out).not.toContain('2001-02-03');
  });
});

describe('saferoute consent grant / withdraw / show', () => {
  it('records a grant and a withdrawal and shows the state', async () => {
    writeFileSync(join(dir, 'notice.txt'), 'You agree to see adult content.\n');
    const store = ['--store', 'consent.jsonl'];
    const grant = await run(consentGrantCommand, ['--subject', 'alice', '--scope', 'adult-content', '--version', '1.0.0', '--notice', 'notice.txt', '--method', 'web_form', '--at', '2025-01-01T00:00:00Z', ...store, '--json']);
    expect(grant.code).toBe(0);
    const record = JSON.parse(grant.out);
    expect(record).toMatchObject({ state: 'given', noticeId: 'notice.txt', collectionMethod: 'web_form', version: '1.0.0' });
    expect(record.noticeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'consent.jsonl'), 'utf8')).not.toContain('alice');

    const withdraw = await run(consentWithdrawCommand, ['--subject', 'alice', '--scope', 'adult-content', '--at', '2025-02-01T00:00:00Z', ...store]);
    expect(withdraw.out).toContain('withdrawn');
    const before = await run(consentShowCommand, ['--subject', 'alice', '--at', '2025-01-15T00:00:00Z', ...store]);
    expect(before.out).toContain('adult-content: given (version 1.0.0');
    const after = await run(consentShowCommand, ['--subject', 'alice', ...store, '--json']);
    expect(JSON.parse(after.out).states).toEqual([expect.objectContaining({ scope: 'adult-content', state: 'withdrawn', version: '1.0.0' })]);
    expect((await run(consentShowCommand, ['--subject', 'nobody', ...store])).out).toContain('no consent recorded');
  });

  it('refuses incomplete commands and a missing key', async () => {
    await expect(run(consentGrantCommand, ['--subject', 'a', '--scope', 'adult-content', '--version', '1.0.0', '--store', 'c2.jsonl'])).rejects.toThrow(/notice/);
    await expect(run(consentGrantCommand, ['--scope', 'adult-content'])).rejects.toThrow(/--subject/);
    await expect(run(consentWithdrawCommand, ['--subject', 'new', '--scope', 'adult-content', '--store', 'c2.jsonl'])).rejects.toThrow(/--version/);
    await expect(run(consentShowCommand, ['--subject', 'a', '--store', 'c3.jsonl'], { SAFEROUTE_PSEUDONYM_KEY: '' })).rejects.toMatchObject({ code: 'config_invalid' });
  });
});

describe.skipIf(PG_URL == null)(`saferoute migrate${PG_URL == null ? ` (${PG_SKIP_MESSAGE})` : ''}`, () => {
  it('applies the consent, replay and audit migrations once', async () => {
    const schema = uniqueSchema('sr_cli');
    try {
      const first = await run(migrateCommand, ['--pg', PG_URL!, '--schema', schema, '--json']);
      const { applied } = JSON.parse(first.out);
      expect(applied).toEqual(expect.arrayContaining(['0001_consent_events', '0001_attestation_replay', '0100_audit_events']));
      const second = await run(migrateCommand, ['--schema', schema], { SAFEROUTE_PG_URL: PG_URL });
      expect(second.out).toContain('up to date');
      const grant = await run(consentGrantCommand, ['--subject', 'bob', '--scope', 'adult-content', '--version', '2.0.0', '--notice-sha256', 'd'.repeat(64), '--notice-id', 'n2', '--pg', PG_URL!, '--schema', schema]);
      expect(grant.code).toBe(0);
      expect((await run(consentShowCommand, ['--subject', 'bob', '--pg', PG_URL!, '--schema', schema])).out).toContain('adult-content: given (version 2.0.0');
    } finally {
      const pool = new pg.Pool({ connectionString: PG_URL });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });
});
