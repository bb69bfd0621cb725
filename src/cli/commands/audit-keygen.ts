import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseCommandArgs } from '../parse-args.js';
import { abs, writeLast } from '../../audit/audit-cli-options.js';
import { generateAuditKeyPair } from '../../audit/audit-signing-keys.js';

const USAGE = `usage: saferoute audit keygen --out DIR [--name NAME] [--force]

Generates an Ed25519 key pair for signing audit checkpoints:
  DIR/NAME.key.pem        private key (mode 0600): give it to the audit sink
  DIR/NAME.pub.pem        public key: give it to auditors (\`audit verify --key\`)
  DIR/NAME.pub.jwk.json   the public key as a JWK, with its key id
and prints the key id (the RFC 7638 SHA-256 thumbprint). NAME defaults to audit-signing.`;

export const auditKeygenCommand: Command = {
  name: 'audit keygen',
  summary: 'generate an Ed25519 key pair for signed audit checkpoints',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' } } as const, false);
    if (values.out === undefined) throw new UsageError('give the directory for the keys with `--out DIR`');
    const name = values.name ?? 'audit-signing';
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`\`--name ${name}\` may hold only letters, digits, dot, dash and underscore`);
    const dir = abs(values.out, ctx.cwd);
    await mkdir(dir, { recursive: true });
    const pair = generateAuditKeyPair();
    const flag = values.force ? 'w' : 'wx';
    const files = {
      private: join(dir, `${name}.key.pem`),
      public: join(dir, `${name}.pub.pem`),
      jwk: join(dir, `${name}.pub.jwk.json`),
    };
    try {
      await writeFile(files.private, pair.privateKeyPem, { mode: 0o600, flag });
      await writeFile(files.public, pair.publicKeyPem, { mode: 0o644, flag });
      await writeFile(files.jwk, JSON.stringify(pair.publicJwk, null, 2) + '\n', { mode: 0o644, flag });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`\`${(err as NodeJS.ErrnoException).path ?? dir}\` exists; use --force to replace it`);
      throw err;
    }
    await writeLast(ctx.stdout, `key id ${pair.keyId}\nprivate key ${files.private}\npublic key  ${files.public}\npublic JWK  ${files.jwk}\n`);
    return 0;
  },
};
