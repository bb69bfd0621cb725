import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquirePidLock, pidLockIsLive } from './pid-lock-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saferoute-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errors = {
  held: (h: { pid: number }, mine: boolean) => new Error(mine ? 'held here' : `held by ${h.pid}`),
  failed: (cause: unknown) => new Error(`failed: ${String(cause)}`),
};

describe('pid lock files', () => {
  it('is exclusive within a process and released on demand', async () => {
    const path = join(dir, 'x.lock');
    const release = await acquirePidLock(path, errors);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await pidLockIsLive(path)).toBe(true);
    await expect(acquirePidLock(path, errors)).rejects.toThrow('held here');
    await release();
    expect(await pidLockIsLive(path)).toBe(false);
    await (await acquirePidLock(path, errors))();
  });

  it('takes over a lock left with our own pid by an earlier process (a restarted container is pid 1 again)', async () => {
    const path = join(dir, 'stale.lock');
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), since: '2020-01-01T00:00:00Z' }));
    expect(await pidLockIsLive(path)).toBe(false);
    await (await acquirePidLock(path, errors))();
  });

  it('takes over a lock of a process that is gone, also in the bare-pid format of earlier versions', async () => {
    const path = join(dir, 'dead.lock');
    await writeFile(path, '2147483646\n');
    await (await acquirePidLock(path, errors))();
  });

  it('respects a live process, and any lock from another host', async () => {
    const path = join(dir, 'live.lock');
    await writeFile(path, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'x' }));
    await expect(acquirePidLock(path, errors)).rejects.toThrow(`held by ${process.ppid}`);
    await writeFile(path, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: 'x' }));
    await expect(acquirePidLock(path, errors)).rejects.toThrow('held by 1');
  });
});
