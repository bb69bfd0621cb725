import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { createAttestationVerifier } from '../../subjects/attestation/attestation-verifier.js';
import type { AttestationResult } from '../../subjects/attestation/attestation-result.js';
import { loadIssuersFile } from '../../subjects/attestation/load-issuers-file.js';

const usage = `usage: saferoute attest inspect TOKEN [--issuers FILE] [--audience AUD] [--at TIME] [--json]

Verifies an age attestation token and explains every check (size, structure, duplicate claims,
algorithm, issuer, key, signature, audience, exp / nbf / iat, age claims, single use), or says
exactly why it is refused. TOKEN may be \`-\` to read it from stdin, or @FILE.

  --issuers FILE   the issuers the gateway trusts: {"audience", "clockSkewSec", "issuers": [...]}
                   (each issuer: issuer, and keys | jwksFile | jwksUrl, optional algorithms)
  --audience AUD   this service's audience (default: the issuers file's)
  --at TIME        judge expiry as of this ISO 8601 time (default now)
  --json           print the result as JSON

Without --issuers the token is only decoded: nothing about it is verified.
Inspection never marks a single-use token as used. Birthdates are never printed.
Exit status: 0 when the token verifies, 1 when it does not.`;

const RAW_AGE_CLAIMS: ReadonlySet<string> = new Set(['birthdate', 'age_birth_year', 'age_in_years']);

/** Copies claims for display with birthdates and exact ages masked: raw age data never reaches a terminal or log. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object' && value != null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, RAW_AGE_CLAIMS.has(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

function decodeUnverified(token: string): { header?: unknown; claims?: unknown; error?: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'not a compact JWS (expected 3 dot-separated parts)' };
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return { header, claims: redact(claims) };
  } catch {
    return { error: 'header or payload is not base64url JSON' };
  }
}

async function readToken(arg: string, ctx: CommandContext): Promise<string> {
  if (arg === '-') {
    if (ctx.stdin == null) throw new UsageError('no stdin to read the token from');
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  if (arg.startsWith('@')) {
    try {
      return (await readFile(resolve(ctx.cwd, arg.slice(1)), 'utf8')).trim();
    } catch (e) {
      throw new SaferouteError('config_invalid', `cannot read \`${arg.slice(1)}\`: ${(e as Error).message}`, { cause: e });
    }
  }
  return arg.trim();
}

function formatResult(result: AttestationResult): string {
  const lines: string[] = [];
  for (const c of result.checks ?? []) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.check.padEnd(11)} ${c.detail}`);
  lines.push('');
  if (result.ok) {
    const a = result.attestation;
    lines.push(`valid: over ${a.over}, method ${a.method}, level ${a.level}, verified ${a.verifiedAt}, expires ${a.expiresAt}`);
    lines.push(`       issuer ${a.issuer}${a.attestationId != null ? `, id ${a.attestationId}` : ''}${a.singleUse ? ', single use' : ''}`);
  } else {
    lines.push(`refused: ${result.reason} — ${result.detail}`);
  }
  return lines.join('\n');
}

export const attestInspectCommand: Command = {
  name: 'attest inspect',
  summary: 'verify an age attestation token and explain each check',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      issuers: { type: 'string' },
      audience: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one TOKEN (or `-` to read it from stdin)');
    const token = await readToken(positionals[0]!, ctx);
    let at: Date | undefined;
    if (values.at != null) {
      at = new Date(values.at);
      if (!Number.isFinite(at.getTime())) throw new UsageError(`\`--at ${values.at}\` is not an ISO 8601 time`);
    }

    if (values.issuers == null) {
      const decoded = decodeUnverified(token);
      if (values.json) {
        ctx.stdout.write(JSON.stringify({ verified: false, reason: 'no issuers given', ...decoded }) + '\n');
      } else {
        const lines = ['not verified: give `--issuers FILE` to check the signature and claims', ''];
        if (decoded.error != null) lines.push(`cannot decode: ${decoded.error}`);
        else lines.push(`header: ${JSON.stringify(decoded.header)}`, `claims: ${JSON.stringify(decoded.claims, null, 2)}`);
        ctx.stdout.write(lines.join('\n') + '\n');
      }
      return EXIT.invalid;
    }

    const config = loadIssuersFile(resolve(ctx.cwd, values.issuers));
    const audience = values.audience ?? config.audience;
    if (audience == null) throw new UsageError('give `--audience AUD` or an `audience` in the issuers file');
    const verifier = createAttestationVerifier({ ...config, audience });
    const result = await verifier.verify(token, { explain: true, consume: false, ...(at != null ? { at } : {}) });
    if (values.json) {
      ctx.stdout.write(JSON.stringify(result) + '\n');
    } else {
      ctx.stdout.write(formatResult(result) + '\n');
    }
    return result.ok ? EXIT.ok : EXIT.invalid;
  },
};
