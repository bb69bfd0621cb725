import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { loadPolicyOrThrow } from '../../policy/load-policy.js';
import { checkPolicySignature, describeSignatureCheck } from '../../policy-signing/check-policy-signature.js';
import { generatePolicyKeyPair, loadTrustedPolicyKeys, parsePrivateKey } from '../../policy-signing/policy-keys.js';
import { signatureFileFor } from '../../policy-signing/policy-signature.js';
import { signPolicy } from '../../policy-signing/sign-policy.js';
import { createStyle } from '../format/style.js';

const keygenUsage = `usage: saferoute policy keygen --out DIR [--name NAME] [--force]

Generates an Ed25519 key pair for signing policies:
  DIR/NAME.key.pem   private key (mode 0600): the approver keeps it (\`policy sign --key\`)
  DIR/NAME.pub.pem   public key: what guards trust (\`requireSignedPolicies: { keys }\`,
                     \`policy verify --keys\`)
and prints the key id (RFC 7638 SHA-256 thumbprint). NAME defaults to policy-signing.
Refuses to overwrite existing files without --force.`;

export const policyKeygenCommand: Command = {
  name: 'policy keygen',
  summary: 'generate an Ed25519 key pair for signing policies',
  usage: keygenUsage,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, false);
    if (values.help) {
      ctx.stdout.write(keygenUsage + '\n');
      return EXIT.ok;
    }
    if (values.out === undefined) throw new UsageError('give the directory for the keys with `--out DIR`');
    const name = values.name ?? 'policy-signing';
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`\`--name ${name}\` may hold only letters, digits, dot, dash and underscore`);
    const dir = resolve(ctx.cwd, values.out);
    await mkdir(dir, { recursive: true });
    const pair = generatePolicyKeyPair();
    const flag = values.force ? 'w' : 'wx';
    const files = { private: join(dir, `${name}.key.pem`), public: join(dir, `${name}.pub.pem`) };
    try {
      await writeFile(files.private, pair.privateKeyPem, { mode: 0o600, flag });
      await writeFile(files.public, pair.publicKeyPem, { mode: 0o644, flag });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`\`${(err as NodeJS.ErrnoException).path ?? dir}\` exists; use --force to replace it`);
      throw err;
    }
    ctx.stdout.write(`key id ${pair.keyId}\nprivate key ${files.private}\npublic key  ${files.public}\n`);
    return EXIT.ok;
  },
};

const signUsage = `usage: saferoute policy sign POLICY --key PRIVATE.pem --signer "Name <email>" [--out FILE]

Signs the resolved policy (its extends bases merged in, defaults filled) with Ed25519: writes a
detached signature beside it, POLICY.sig.json (or --out FILE), holding the policy's id,
revision and canonical SHA-256 (the one decisions carry), the signer, the time, the key id and
the signature. A change to the policy or to any policy it extends invalidates it.

Exit status: 0 when signed, 78 when the policy is invalid or the key unreadable, 64 on a usage error.`;

export const policySignCommand: Command = {
  name: 'policy sign',
  summary: 'sign a reviewed policy (Ed25519, detached POLICY.sig.json)',
  usage: signUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { key: { type: 'string' }, signer: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      ctx.stdout.write(signUsage + '\n');
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('name exactly one policy file');
    if (values.key === undefined) throw new UsageError('give the private key with `--key PRIVATE.pem` (`saferoute policy keygen` makes one)');
    const signer = values.signer?.trim();
    if (!signer) throw new UsageError('say who signs with `--signer "Name <email>"`');
    const file = positionals[0] as string;
    const policy = await loadPolicyOrThrow(resolve(ctx.cwd, file));
    const keyPath = resolve(ctx.cwd, values.key);
    const keyText = await readFile(keyPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SaferouteError('config_invalid', `cannot read the key \`${values.key}\` (${err.code ?? 'error'}); looked for ${keyPath}`);
    });
    const signature = signPolicy(policy, parsePrivateKey(keyText, values.key), signer);
    const out = values.out ?? signatureFileFor(file);
    await writeFile(resolve(ctx.cwd, out), JSON.stringify(signature, null, 2) + '\n');
    ctx.stdout.write(`signed ${file} (${policy.id}@${policy.revision}, sha256 ${policy.sha256}) as ${signer}, key ${signature.keyId}\nwrote ${out}\n`);
    return EXIT.ok;
  },
};

const verifyUsage = `usage: saferoute policy verify POLICY --keys PUBKEY_OR_DIR [--keys ...] [--sig FILE] [--json]

Checks a policy against its detached signature (POLICY.sig.json, or --sig FILE) and the trusted
public keys (a *.pub.pem / *.pub.jwk.json file, or a directory of them). Prints one of:
  valid          signed by a trusted key over exactly this resolved policy
  unsigned       no signature file
  modified       the policy, or a policy it extends, changed since it was signed
  unknown key    signed with a key that is not trusted
  bad signature  the signature file was altered
  malformed      the signature file is not a policy signature

Exit status: 0 when valid, 1 otherwise, 78 when the policy is invalid or a key unreadable,
64 on a usage error.`;

export const policyVerifyCommand: Command = {
  name: 'policy verify',
  summary: "check a policy's signature: valid, unsigned, modified since signing, unknown key",
  usage: verifyUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { keys: { type: 'string', multiple: true }, sig: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      ctx.stdout.write(verifyUsage + '\n');
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('name exactly one policy file');
    if (!values.keys || values.keys.length === 0) throw new UsageError('give the trusted public keys with `--keys PUBKEY_OR_DIR`');
    const file = positionals[0] as string;
    const abs = resolve(ctx.cwd, file);
    const policy = await loadPolicyOrThrow(abs);
    const trusted = await loadTrustedPolicyKeys(values.keys, ctx.cwd);
    const check = await checkPolicySignature(policy, abs, trusted, values.sig != null ? resolve(ctx.cwd, values.sig) : signatureFileFor(abs));
    const shown = { ...check, file, signatureFile: values.sig ?? signatureFileFor(file) };
    if (values.json) {
      const { signature, ...rest } = shown as typeof shown & { signature?: { signer: string; keyId: string; signedAt: string; policy: { sha256: string } } };
      ctx.stdout.write(
        JSON.stringify({
          ...rest,
          policy: { id: policy.id, revision: policy.revision, sha256: policy.sha256 },
          ...(signature ? { signer: signature.signer, keyId: signature.keyId, signedAt: signature.signedAt, signedSha256: signature.policy.sha256 } : {}),
        }) + '\n',
      );
    } else {
      const style = createStyle(ctx.stdout, ctx.env);
      const label = check.status === 'valid' ? style.green('valid') : style.red(check.status.replace('_', ' '));
      ctx.stdout.write(`${label} ${file}: ${describeSignatureCheck(shown)}\n`);
    }
    return check.status === 'valid' ? EXIT.ok : EXIT.invalid;
  },
};
