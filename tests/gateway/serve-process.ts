import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How long `saferoute serve` may take to print its URL before the test gives up on it. */
const START_TIMEOUT_MS = 60_000;

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
// By absolute URL: the child runs in a directory of its own, where `tsx` does not resolve.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface ServeProcess {
  proc: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `saferoute serve ARGS` in a child process (through tsx); resolves once it printed its URL. */
export async function spawnServe(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; /** Its own process group (signal it all with `process.kill(-pid)`). */ detached?: boolean; onSpawn?: (proc: ChildProcess) => void },
): Promise<ServeProcess> {
  const proc = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.detached ? { detached: true } : {}),
  });
  options.onSpawn?.(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: two worker processes each compiling the lexicons on a loaded 2-core machine took
    // over 30 s once; a test that needs less sets its own, shorter timeout.
    const timer = setTimeout(() => {
      // Not left running after the test gave up on it.
      proc.kill('SIGKILL');
      reject(new Error(`serve did not start within ${START_TIMEOUT_MS / 1000} s:\n${err}`));
    }, START_TIMEOUT_MS);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${err}`));
    });
  });
  return { proc, url, stdout: () => out, stderr: () => err, exited };
}
