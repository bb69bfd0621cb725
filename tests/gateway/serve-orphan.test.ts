import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Killing `npx saferoute serve` killed npm and its shell, and left the gateway running with
// nobody to stop it: npm does not pass SIGTERM on.

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `serve` under a shell that forks it (as npm's `sh -c` does), with `env`; the shell's and the gateway's pids. */
async function serveUnderShell(env: Record<string, string>, options: { outer?: boolean } = {}): Promise<{ shell: number; gateway: number; stderr: () => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'saferoute-orphan-'));
  dirs.push(dir);
  // `; true` keeps the shell from exec-ing node in its place: node is the shell's child, as under npx.
  // Only what `env` says about npm: this test may itself run under `npm test`.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const inner = `"${process.execPath}" --import "${TSX}" "${MAIN}" serve --port 0; true`;
  // With `outer`, an outer shell stands for npm and the inner one for the shell npm starts.
  const shell = spawn('sh', ['-c', options.outer ? `sh -c '${inner.replace(/'/g, `'\\''`)}'; true` : inner], { cwd: dir, env: { ...base, OPENAI_API_KEY: 'sk-x', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  shell.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 30_000);
    let out = '';
    shell.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  const gateway = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .find((pid) => {
      try {
        const p = parentOf(pid);
        return (p === shell.pid || (options.outer === true && parentOf(p) === shell.pid)) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('serve');
      } catch {
        return false;
      }
    });
  if (gateway == null) throw new Error('no gateway process under the shell');
  return { shell: shell.pid!, gateway, stderr: () => err };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

(process.platform === 'linux' ? describe : describe.skip)('saferoute serve started by npm', () => {
  it('shuts down gracefully when the npm process (and its shell) that started it is killed', { timeout: 60_000 }, async () => {
    const run = await serveUnderShell({ npm_lifecycle_event: 'npx', npm_command: 'exec' });
    process.kill(run.shell, 'SIGKILL');
    expect(await until(() => !alive(run.gateway), 15_000)).toBe(true);
    expect(run.stderr()).toContain('the npm process that started this gateway (npx or npm run) has exited; shutting down');
    expect(run.stderr()).toContain('"message":"stopped"');
  });

  it('shuts down when npm itself is killed with SIGKILL and the shell it started lives on', { timeout: 60_000 }, async () => {
    const run = await serveUnderShell({ npm_lifecycle_event: 'npx', npm_command: 'exec' }, { outer: true });
    process.kill(run.shell, 'SIGKILL');
    expect(await until(() => !alive(run.gateway), 15_000)).toBe(true);
    expect(run.stderr()).toContain('"message":"stopped"');
  });

  it('keeps running when not started by npm (a service manager or nohup re-parents it on purpose)', { timeout: 60_000 }, async () => {
    const run = await serveUnderShell({});
    try {
      process.kill(run.shell, 'SIGKILL');
      expect(await until(() => !alive(run.gateway), 3_000)).toBe(false);
    } finally {
      process.kill(run.gateway, 'SIGTERM');
    }
  });
});
