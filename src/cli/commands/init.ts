import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { EXIT } from '../exit-codes.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { didYouMeanSuffix } from '../../policy/did-you-mean.js';
import { shippedPoliciesDir } from '../../policy/shipped-policies.js';

const STARTERS = ['default', 'strict'] as const;

const usage = `usage: saferoute init [DIR] [--name NAME] [--from default|strict] [--force]

Writes a starter policy and its tests into DIR (default: the working directory):
  DIR/NAME.json         a copy of the shipped policy (default: \`default\`), with id NAME
  DIR/NAME.tests.json   its test cases; \`saferoute test DIR/NAME.json\` runs them

Their \`$schema\` is the path from DIR to the JSON Schemas of the saferoute package that runs
this command — node_modules/saferoute/policies/schema/ when saferoute is installed in your
project — so editors such as VS Code complete and check both files wherever DIR is. Run it
with the project's own saferoute (\`npm i -D saferoute && npx saferoute init policies\`) so
the path stays valid.

  --name NAME       file and policy id (default \`policy\`): lowercase letters, digits, . _ -
  --from STARTER    the shipped policy to start from: ${STARTERS.map((s) => `\`${s}\``).join(' or ')} (default \`default\`)
  --force           overwrite files that exist (by default nothing is written when one does)

Exit status: 0 when both files were written, 1 when one exists (nothing written), 64 on a
usage error.`;

export const initCommand: Command = {
  name: 'init',
  summary: 'write a starter policy and its tests, with a $schema editors resolve',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      name: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new UsageError(`give at most one DIR, got ${positionals.length}: ${positionals.map((p) => `\`${p}\``).join(', ')}`);
    const name = values.name ?? 'policy';
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.length > 100 || name.endsWith('.json')) {
      throw new UsageError(`\`--name ${name}\` must be lowercase letters, digits, \`.\`, \`_\` and \`-\`, without \`.json\` (it is the policy id and the file name)`);
    }
    const from = values.from ?? 'default';
    if (!(STARTERS as readonly string[]).includes(from)) {
      throw new UsageError(`unknown starter \`${from}\`${didYouMeanSuffix(from, STARTERS)} (one of ${STARTERS.map((s) => `\`${s}\``).join(', ')})`);
    }

    const dir = resolve(ctx.cwd, positionals[0] ?? '.');
    const shipped = shippedPoliciesDir();
    const files = [
      { path: join(dir, `${name}.json`), from: join(shipped, `${from}.json`), schema: join(shipped, 'schema', 'policy.schema.json') },
      { path: join(dir, `${name}.tests.json`), from: join(shipped, `${from}.tests.json`), schema: join(shipped, 'schema', 'policy-tests.schema.json') },
    ];
    const shown = (p: string): string => {
      const rel = relative(ctx.cwd, p);
      return rel !== '' && !rel.startsWith('..') ? rel : p;
    };

    const contents = await Promise.all(
      files.map(async (f) => {
        const text = await readFile(f.from, 'utf8');
        const schemaRef = schemaPath(dir, f.schema);
        let out = replaceOnce(text, /"\$schema":\s*"[^"]*"/, `"$schema": ${JSON.stringify(schemaRef)}`, f.from);
        if (f.path.endsWith(`${name}.json`) && !f.path.endsWith('.tests.json')) out = replaceOnce(out, /"id":\s*"[^"]*"/, `"id": ${JSON.stringify(name)}`, f.from);
        else out = out.replace(/"description":\s*"Tests of policies\/[^"]*"/, `"description": ${JSON.stringify(`Tests of ${name}.json: every rule and every reachable unmet code.`)}`);
        JSON.parse(out); // a starter that no longer parses would be a bug here, not the user's
        return out;
      }),
    );

    if (!values.force) {
      const existing = (await Promise.all(files.map(async (f) => ((await exists(f.path)) ? [f.path] : [])))).flat();
      if (existing.length > 0) {
        ctx.stderr.write(
          `saferoute init: ${existing.map((p) => `\`${shown(p)}\``).join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; nothing was written (give --force to overwrite, or --name for other file names)\n`,
        );
        return EXIT.invalid;
      }
    }
    await mkdir(dir, { recursive: true });
    for (const [i, f] of files.entries()) {
      try {
        // `wx` still refuses a file created since the check above.
        await writeFile(f.path, contents[i] as string, { flag: values.force ? 'w' : 'wx' });
      } catch (error) {
        throw new SaferouteError('config_invalid', `cannot write \`${shown(f.path)}\`: ${(error as Error).message}`, { cause: error });
      }
    }
    const [policyFile, testsFile] = files.map((f) => shown(f.path)) as [string, string];
    ctx.stdout.write(
      [
        `wrote ${policyFile} (from the shipped \`${from}\` policy) and ${testsFile}`,
        `  $schema: ${schemaPath(dir, files[0]!.schema)}`,
        `next: saferoute validate ${policyFile} && saferoute test ${policyFile}`,
      ].join('\n') + '\n',
    );
    if (/[\\/]_npx[\\/]/.test(files[0]!.schema)) {
      ctx.stderr.write('note: this saferoute runs from the npx cache, so `$schema` points there; install it in the project (`npm i -D saferoute`) and run `npx saferoute init --force` for a path that lasts\n');
    }
    return EXIT.ok;
  },
};

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw new SaferouteError('config_invalid', `cannot check \`${p}\`: ${error.message}`, { cause: error });
    },
  );
}

/** The schema's path relative to the policy's folder, with `/` (what editors expect on every OS). */
function schemaPath(dir: string, schema: string): string {
  const rel = relative(dir, schema).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string, file: string): string {
  if (!pattern.test(text)) throw new SaferouteError('config_invalid', `the shipped file \`${file}\` has no ${pattern.source} to replace`);
  return text.replace(pattern, () => replacement);
}
