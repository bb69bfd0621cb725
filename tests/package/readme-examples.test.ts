import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIChatServer, type FakeOpenAIChatServer } from '../support/fake-chat-upstreams.js';
import { projectLockfile } from './project-lockfile.js';
import { expectedPrints, isTranscript, missingPrint, readmeBlocks, transcriptSteps, unmatchedLine, type ReadmeBlock } from './readme-blocks.js';

/*
 * The README as a user meets it: the package is packed (`npm pack`), installed into an empty
 * project, and every shell and TypeScript block of the README is run there, in order, as pasted
 * into one terminal. TypeScript blocks are type-checked by `tsc` under strict settings without
 * `skipLibCheck` and without @types/pg, so the public types cannot lean on a package the user
 * does not have. The `sfw` target's OpenAI calls go to a fake server on loopback through
 * OPENAI_BASE_URL: nothing reaches the internet.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const API_KEY = 'sk-readme-test';
const STEP_TIMEOUT_MS = 90_000;
/** `1`: installing from the npm cache must work; no fallback to the repository's node_modules (CI). */
const NPM_ONLY = process.env['SAFEROUTE_README_TEST_NPM_ONLY'] === '1';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error == null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr: error != null && typeof error.code !== 'number' ? `${stderr}\n${error.message}` : stderr });
      },
    );
  });
}

function describeRun(what: string, r: Run): string {
  return `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path, keep) : keep(path) ? [path] : [];
  });
}

/** dist/ holds a build of the current sources: every compiled file is newer than every source. */
function distIsFresh(): boolean {
  const sources = filesUnder(join(REPO, 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));
  const newestSource = Math.max(...[...sources, join(REPO, 'tsconfig.json'), join(REPO, 'tsconfig.build.json')].map((p) => statSync(p).mtimeMs));
  for (const source of sources) {
    const out = join(REPO, 'dist', relative(join(REPO, 'src'), source)).replace(/\.ts$/, '.js');
    if (!existsSync(out)) {
      // Files the build leaves out (test helpers) have no output; index.js must exist in any case.
      if (source.endsWith('index.ts')) return false;
      continue;
    }
    if (statSync(out).mtimeMs < newestSource) return false;
  }
  return existsSync(join(REPO, 'dist', 'index.d.ts'));
}

/** Without the npm cache, the project gets the repository's installed dependencies, linked. */
function linkFromRepository(project: string, tarball: string, lockPackages: Record<string, unknown>): Promise<Run> {
  return run('tar', ['-xzf', tarball, '-C', project], { cwd: project }).then((r) => {
    if (r.code !== 0) return r;
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    renameSync(join(project, 'package'), join(project, 'node_modules', 'saferoute'));
    for (const path of Object.keys(lockPackages)) {
      if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || path === 'node_modules/saferoute') continue;
      mkdirSync(dirname(join(project, path)), { recursive: true });
      symlinkSync(join(REPO, path), join(project, path));
    }
    const main = join(project, 'node_modules', 'saferoute', 'dist', 'cli', 'main.js');
    chmodSync(main, 0o755);
    symlinkSync('../saferoute/dist/cli/main.js', join(project, 'node_modules', '.bin', 'saferoute'));
    return r;
  });
}

/** What a fresh terminal in the project has: no saferoute or OpenAI settings of the machine running the tests. */
function baseEnv(fake: FakeOpenAIChatServer, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    npm_config_cache: process.env['npm_config_cache'] ?? join(process.env['HOME'] ?? home, '.npm'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: fake.baseURL,
  };
}

function parseEnv(raw: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (['PWD', 'OLDPWD', 'SHLVL', '_', 'README_TEST_ENV_OUT'].includes(name)) continue;
    env[name] = entry.slice(eq + 1);
  }
  return env;
}

const where = (block: ReadmeBlock): string => `README.md:${block.line}`;

describe('README code blocks, run from the packed package', () => {
  const blocks = readmeBlocks(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'saferoute-readme-'));
  const project = join(work, 'project');
  let fake: FakeOpenAIChatServer;
  let packedFiles: string[] = [];
  let installedWith = '';

  beforeAll(async () => {
    fake = await startFakeOpenAIChatServer({ apiKey: API_KEY });
    if (!distIsFresh()) {
      const build = await run('npm', ['run', 'build', '--silent'], { cwd: REPO, timeoutMs: 240_000 });
      if (build.code !== 0) throw new Error(describeRun('npm run build', build));
    }
    // --ignore-scripts: `prepack` would build again.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO });
    if (pack.code !== 0) throw new Error(describeRun('npm pack', pack));
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((f) => f.path);

    mkdirSync(project);
    const tarball = join(project, packed.filename);
    renameSync(join(work, packed.filename), tarball);
    // @types/node: a TypeScript project has it; @types/pg deliberately not.
    const { packageJson, lockfile } = projectLockfile({
      repoLockPath: join(REPO, 'package-lock.json'),
      repoPackageJsonPath: join(REPO, 'package.json'),
      tarballFile: packed.filename,
      tarballPath: tarball,
      projectName: 'readme-examples',
      devDependencies: ['@types/node'],
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify(packageJson, null, 2) + '\n');
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockfile, null, 2) + '\n');
    const env = { ...process.env, npm_config_update_notifier: 'false' };
    const install = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, env, timeoutMs: 180_000 });
    if (install.code === 0) installedWith = 'npm ci --offline, from the npm cache';
    else if (NPM_ONLY || !/ENOTCACHED|only-if-cached/.test(install.stderr)) {
      throw new Error(describeRun('npm ci --offline in the test project (run `npm ci` in the repository to fill the npm cache)', install));
    } else {
      const linked = await linkFromRepository(project, tarball, (lockfile as { packages: Record<string, unknown> }).packages);
      if (linked.code !== 0) throw new Error(describeRun('tar -xzf', linked));
      installedWith = "the tarball unpacked, its dependencies linked from the repository's node_modules (the npm cache lacks them; `npm ci` fills it)";
    }
    console.info(`README test project: ${project}\ninstalled with ${installedWith}`);
  }, 420_000);

  afterAll(async () => {
    await fake?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('packs the LICENSE, README, compiled API with its types and the CLI, and no tests', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'policies/default.json', 'examples/five-mistakes.json']) {
      expect(packedFiles).toContain(file);
    }
    expect(packedFiles.filter((f) => /\.test\.(js|d\.ts)$/.test(f) || f.startsWith('tests/') || f.startsWith('src/'))).toEqual([]);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 saferoute contributors\n/);
  });

  it('installs without @types/pg, and `npx saferoute --version` prints the package version', async () => {
    expect(existsSync(join(project, 'node_modules', 'saferoute', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', '@types', 'node'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', '@types', 'pg'))).toBe(false);
    const version = await run('npx', ['saferoute', '--version'], { cwd: project, env: baseEnv(fake, work) });
    const { version: expected } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${expected}\n` });
  });

  it('skips only blocks that say why, above them', () => {
    const skipped = blocks.filter((b) => b.skip !== undefined);
    for (const b of skipped) console.info(`not run: ${where(b)} (${b.language}): ${b.skip}`);
    expect(skipped.every((b) => b.skip!.length > 10)).toBe(true);
    // The quick start, the guarded-calls example and the tour run: the README has something to test.
    expect(blocks.filter((b) => b.skip === undefined && b.language === 'ts').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.skip === undefined && b.language === 'sh').length).toBeGreaterThanOrEqual(5);
  });

  it('type-checks every TypeScript block with strict settings, no skipLibCheck and no @types/pg', async () => {
    const dir = join(project, 'readme');
    mkdirSync(dir, { recursive: true });
    for (const block of blocks) if (block.language === 'ts' && block.skip === undefined) writeFileSync(join(dir, `block-${block.line}.ts`), block.code + '\n');
    // The control: importing `pg` without @types/pg is an error here, so a public type that did
    // it would be one too (in saferoute's .d.ts files, which `skipLibCheck: false` checks).
    writeFileSync(join(dir, 'probe-pg.ts'), "import type { Pool } from 'pg';\nexport type P = Pool;\n");
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          skipLibCheck: false,
          types: ['node'],
          rootDir: 'readme',
          outDir: 'readme-out',
        },
        include: ['readme/*.ts'],
      }),
    );
    const tsc = await run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project, timeoutMs: 180_000 });
    const diagnostics = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(diagnostics.filter((l) => !l.startsWith('readme/probe-pg.ts'))).toEqual([]);
    expect(diagnostics).toEqual([expect.stringMatching(/^readme\/probe-pg\.ts\(1,27\): error TS7016: Could not find a declaration file for module 'pg'/)]);
  }, 240_000);

  it('runs every block in order, printing and exiting as the README says', async () => {
    let env = baseEnv(fake, work);
    const envOut = join(work, 'env-after-block');
    for (const block of blocks) {
      if (block.skip !== undefined) continue;
      if (block.language === 'ts') {
        const compiled = join(project, 'readme-out', `block-${block.line}.js`);
        expect(existsSync(compiled), `${where(block)} was compiled by the type-check test`).toBe(true);
        const r = await run(process.execPath, [compiled], { cwd: project, env });
        expect(r.code, describeRun(`node ${where(block)}`, r)).toBe(0);
        const missing = missingPrint(expectedPrints(block.code), r.stdout.split('\n').map((l) => l.trimEnd()));
        expect(missing, `${where(block)} should print \`${missing}\`\n${describeRun('it', r)}`).toBeUndefined();
      } else if (isTranscript(block)) {
        for (const step of transcriptSteps(block.code)) {
          // The newline ends a trailing `# exits N` comment before the redirection.
          const r = await run('bash', ['-o', 'pipefail', '-c', `{ ${step.command}\n} 2>&1`], { cwd: project, env });
          expect(r.code, describeRun(`${where(block)} \`${step.command}\``, r)).toBe(step.exitCode);
          if (step.expected.length === 0) continue;
          const actual = r.stdout.split('\n').map((l) => l.trimEnd());
          while (actual.at(-1) === '') actual.pop();
          const unmatched = unmatchedLine(step.expected, actual);
          expect(unmatched, `${where(block)} \`${step.command}\` should print \`${unmatched}\`; it printed:\n${actual.join('\n')}`).toBeUndefined();
        }
      } else {
        const script = `set -eo pipefail\n${block.code.replace(/^npm install saferoute$/m, ': already installed from the packed tarball')}\nenv -0 > "$README_TEST_ENV_OUT"\n`;
        const r = await run('bash', ['-c', script], { cwd: project, env: { ...env, README_TEST_ENV_OUT: envOut } });
        expect(r.code, describeRun(`the script at ${where(block)}`, r)).toBe(0);
        env = parseEnv(readFileSync(envOut, 'utf8'));
      }
    }
    // The guarded calls went to the fake OpenAI server, and only there.
    expect(fake.chatRequests().length).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
