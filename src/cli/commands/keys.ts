import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { JWK, JWTPayload } from 'jose';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { DEV_KEY_ALGORITHMS, generateIssuerKeyPair, type DevKeyAlgorithm } from '../../subjects/attestation/issuer-key-pair.js';
import { mintAttestation } from '../../subjects/attestation/mint-attestation.js';
import { generateApiKey, hashApiKey } from '../../gateway/api-keys.js';
import { GATEWAY_SCOPES, type GatewayScope } from '../../gateway/gateway-config.js';
import { randomBytes } from 'node:crypto';

const DEFAULT_ISSUER = 'https://issuer.saferoute.test';
const DEFAULT_AUDIENCE = 'saferoute';

const generateUsage = `usage: saferoute keys generate [--alg ES256|EdDSA|RS256] [--issuer URL] [--kid KID]
                              [--out DIR] [--force] [--sign CLAIMS.json] [--audience AUD] [--expires-in SEC]

Generates an age-attestation issuer key pair, for development, demos and tests.
With --out DIR it writes:
  DIR/issuer.private.jwk.json   the signing key (mode 0600): what an age-verification provider keeps
  DIR/jwks.json                 the public key set the provider publishes
  DIR/issuers.json              an issuers file trusting it (\`attest inspect --issuers\`, gateway config)
Without --out it prints them as one JSON object.

  --alg ALG          ${DEV_KEY_ALGORITHMS.join(', ')} (default ES256)
  --issuer URL       the issuer's \`iss\` (default ${DEFAULT_ISSUER})
  --sign FILE        also mint a token with these claims (JSON) and print it on the last line;
                     iat, exp (--expires-in, default 3600 s), jti, iss and aud are filled in if absent
  --audience AUD     \`aud\` of the minted token and of issuers.json (default ${DEFAULT_AUDIENCE})`;

const signUsage = `usage: saferoute keys sign --key PRIVATE.jwk.json CLAIMS.json [--issuer URL] [--audience AUD] [--expires-in SEC]

Mints an attestation token with an issuer's private JWK (from \`keys generate --out\`) and prints it.
iat, exp, jti, iss and aud are filled in when the claims lack them. For development and tests.

  --issuer URL       \`iss\` when the claims have none (default: the issuer in the issuers.json
                     beside the key, as \`keys generate --out\` wrote it, else ${DEFAULT_ISSUER})
  --audience AUD     \`aud\` when the claims have none (default: that issuers.json's audience,
                     else ${DEFAULT_AUDIENCE})
  --expires-in SEC   lifetime when the claims have no \`exp\` (default 3600)`;

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    throw new SaferouteError('config_invalid', `cannot read ${what} \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
}

async function readClaims(file: string, ctx: CommandContext): Promise<JWTPayload> {
  const claims = await readJson(resolve(ctx.cwd, file), 'claims');
  if (typeof claims !== 'object' || claims == null || Array.isArray(claims)) throw new UsageError(`\`${file}\` must hold a JSON object of claims`);
  return claims as JWTPayload;
}

/**
 * The issuer and audience of the issuers.json that \`keys generate --out DIR\` wrote beside the
 * private key, so a token signed with that key verifies against that file. Absent or ambiguous
 * (not exactly one issuer) means no default from it.
 */
async function issuerBesideKey(keyPath: string): Promise<{ issuer?: string; audience?: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dirname(keyPath), 'issuers.json'), 'utf8')) as unknown;
  } catch {
    return {};
  }
  const file = parsed as { audience?: unknown; issuers?: Array<{ issuer?: unknown }> } | null;
  const issuers = Array.isArray(file?.issuers) ? file.issuers : [];
  const issuer = issuers.length === 1 && typeof issuers[0]?.issuer === 'string' ? issuers[0].issuer : undefined;
  if (issuer === undefined) return {};
  return { issuer, ...(typeof file?.audience === 'string' ? { audience: file.audience } : {}) };
}

function expiresIn(value: string | undefined): number {
  if (value == null) return 3600;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`\`--expires-in ${value}\` must be a positive number of seconds`);
  return n;
}

export const keysGenerateCommand: Command = {
  name: 'keys generate',
  summary: 'generate an attestation issuer key pair and JWKS (development and tests)',
  usage: generateUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      alg: { type: 'string' },
      issuer: { type: 'string' },
      kid: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      sign: { type: 'string' },
      audience: { type: 'string' },
      'expires-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(generateUsage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const alg = (values.alg ?? 'ES256') as DevKeyAlgorithm;
    if (!DEV_KEY_ALGORITHMS.includes(alg)) throw new UsageError(`\`--alg ${alg}\`: use one of ${DEV_KEY_ALGORITHMS.join(', ')}`);
    const issuer = values.issuer ?? DEFAULT_ISSUER;
    const audience = values.audience ?? DEFAULT_AUDIENCE;
    const lifetime = expiresIn(values['expires-in']);
    const claims = values.sign != null ? await readClaims(values.sign, ctx) : undefined;

    const pair = await generateIssuerKeyPair(alg, values.kid);
    const issuersFile = { audience, issuers: [{ issuer, jwksFile: 'jwks.json', algorithms: [alg] }] };
    const token = claims != null ? await mintAttestation(claims, { privateJwk: pair.privateJwk, issuer, audience, expiresInSec: lifetime }) : undefined;

    if (values.out == null) {
      const output = { issuer, kid: pair.kid, alg, privateJwk: pair.privateJwk, jwks: pair.jwks, issuers: { ...issuersFile, issuers: [{ issuer, keys: pair.jwks, algorithms: [alg] }] } };
      ctx.stdout.write(JSON.stringify(output, null, 2) + '\n' + (token != null ? token + '\n' : ''));
      return EXIT.ok;
    }
    const dir = resolve(ctx.cwd, values.out);
    await mkdir(dir, { recursive: true });
    const flag = values.force ? 'w' : 'wx';
    const files = { private: join(dir, 'issuer.private.jwk.json'), jwks: join(dir, 'jwks.json'), issuers: join(dir, 'issuers.json') };
    try {
      await writeFile(files.private, JSON.stringify(pair.privateJwk, null, 2) + '\n', { mode: 0o600, flag });
      await writeFile(files.jwks, JSON.stringify(pair.jwks, null, 2) + '\n', { flag });
      await writeFile(files.issuers, JSON.stringify(issuersFile, null, 2) + '\n', { flag });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`\`${(e as NodeJS.ErrnoException).path ?? dir}\` exists; use --force to replace it`);
      throw new SaferouteError('config_invalid', `cannot write keys to \`${dir}\`: ${(e as Error).message}`, { cause: e });
    }
    ctx.stdout.write(`${alg} issuer key ${pair.kid} for ${issuer}\nprivate key  ${files.private}\npublic JWKS  ${files.jwks}\nissuers file ${files.issuers}\n`);
    if (token != null) ctx.stdout.write(token + '\n');
    return EXIT.ok;
  },
};

export const keysSignCommand: Command = {
  name: 'keys sign',
  summary: "mint an attestation token with an issuer's private key (development and tests)",
  usage: signUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      key: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      'expires-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(signUsage + '\n');
      return EXIT.ok;
    }
    if (values.key == null) throw new UsageError('give the private key with `--key FILE`');
    if (positionals.length !== 1) throw new UsageError('give exactly one CLAIMS.json');
    const keyPath = resolve(ctx.cwd, values.key);
    const privateJwk = (await readJson(keyPath, 'key')) as JWK;
    const claims = await readClaims(positionals[0]!, ctx);
    const beside = await issuerBesideKey(keyPath);
    const token = await mintAttestation(claims, {
      privateJwk,
      issuer: values.issuer ?? beside.issuer ?? DEFAULT_ISSUER,
      audience: values.audience ?? beside.audience ?? DEFAULT_AUDIENCE,
      expiresInSec: expiresIn(values['expires-in']),
    });
    ctx.stdout.write(token + '\n');
    return EXIT.ok;
  },
};

const apiUsage = `usage: saferoute keys api --tenant ID [--id KEY_ID] [--scopes LIST]

Makes a gateway API key for a tenant. Prints the key ONCE (store it where the app reads its
secrets; it cannot be shown again) and the entry to add to that tenant's \`apiKeys\` in
saferoute.config.json, which holds only the key's SHA-256.

  --tenant ID    the tenant the key belongs to (its \`id\` in the config)
  --id KEY_ID    the key's name in logs and metrics (default TENANT-RANDOM)
  --scopes LIST  what the key may do, instead of the tenant's scopes: ${GATEWAY_SCOPES.join(', ')}
                 (comma-separated; \`admin\` is the consent endpoints and every tenant in the
                 console; \`auditor\` reads the console, \`auditor,editor\` also edits policies)`;

export const keysApiCommand: Command = {
  name: 'keys api',
  summary: 'make a gateway API key for a tenant (printed once) and its config entry',
  usage: apiUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      tenant: { type: 'string' },
      id: { type: 'string' },
      scopes: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(apiUsage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const tenant = values.tenant;
    if (tenant == null || !/^[a-z0-9][a-z0-9._-]*$/.test(tenant)) throw new UsageError('give the tenant with `--tenant ID` (lowercase letters, digits, `.`, `_`, `-`)');
    const id = values.id ?? `${tenant}-${randomBytes(3).toString('hex')}`.slice(0, 64);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || id.length > 64) throw new UsageError(`\`--id ${id}\` is not a valid key id (lowercase letters, digits, \`.\`, \`_\`, \`-\`; at most 64)`);
    let scopes: GatewayScope[] | undefined;
    if (values.scopes != null) {
      const list = values.scopes.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = list.filter((s) => !(GATEWAY_SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0 || list.length === 0) throw new UsageError(`\`--scopes\`: use some of ${GATEWAY_SCOPES.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`);
      scopes = list as GatewayScope[];
    }
    const key = generateApiKey();
    const entry = { id, sha256: hashApiKey(key), ...(scopes ? { scopes } : {}) };
    ctx.stdout.write(`API key for tenant ${tenant} (shown once; store it now): ${key}\n`);
    ctx.stdout.write(`add to the tenant \`${tenant}\`'s "apiKeys" in saferoute.config.json:\n${JSON.stringify(entry)}\n`);
    return EXIT.ok;
  },
};
