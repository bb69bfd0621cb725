import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { openGatewayConfig } from '../../src/gateway/open-gateway-config.js';
import { cgroupCpuLimit, parseWorkersOption, resolveWorkerCount } from '../../src/gateway/worker-count.js';

const tenants = [{ id: 'acme', policy: 'default', apiKeys: [] }];
const parse = (config: unknown) => parseGatewayConfig(JSON.stringify(config, null, 2), 'saferoute.config.json', '/srv');

describe('gateway worker processes: what the config and --workers accept', () => {
  it('reads listen.workers, `auto` as one per core, and 1 when absent', () => {
    const two = parse({ listen: { workers: 2 }, tenants });
    expect(two.ok && two.config.listen.workers).toBe(2);
    const auto = parse({ listen: { workers: 'auto' }, tenants });
    expect(auto.ok && auto.config.listen.workers).toBe(Math.min(64, availableParallelism(), cgroupCpuLimit() ?? Infinity));
    const none = parse({ tenants });
    expect(none.ok && none.config.listen.workers).toBe(1);
    expect(resolveWorkerCount(undefined)).toBe(1);
  });

  it('counts a container CPU quota for `auto` (cgroup v2 and v1), and no quota as none', () => {
    const files = (map: Record<string, string>) => (path: string) => map[path];
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(2);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeUndefined();
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '50000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' }))).toBe(1);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' }))).toBeUndefined();
    expect(cgroupCpuLimit(files({}))).toBeUndefined();
  });

  it('refuses 0, fractions and words other than auto, at their position', () => {
    for (const workers of [0, 1.5, 'many', 65]) {
      const r = parse({ listen: { workers }, tenants });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatchObject({ pointer: '/listen/workers', line: 3 });
    }
    expect(parseWorkersOption('0')).toEqual({ problem: expect.stringContaining('`--workers 0` must be a number of processes from 1 to 64, or `auto`') });
    expect(parseWorkersOption('auto')).toBe('auto');
    expect(parseWorkersOption('4')).toBe(4);
  });

  it('refuses state one process keeps to itself when several serve: a consent file, single-use tokens in memory', () => {
    const r = parse({ listen: { workers: 2 }, tenants, consent: { path: 'consent.jsonl' }, issuers: { file: 'issuers.json' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const consent = r.issues.find((i) => i.pointer === '/consent/path');
    expect(consent?.message).toContain('a consent file is kept by one process, and the gateway is to run 2 worker processes');
    expect(consent?.hint).toContain('"consent": { "pg": "postgres://…" }');
    const issuers = r.issues.find((i) => i.pointer === '/issuers');
    expect(issuers?.message).toContain('a replayed token would pass once per worker');
    expect(issuers?.hint).toContain('"replay": { "pg": "postgres://…" }');
    // The same with PostgreSQL for both is fine, and one worker may keep both to itself.
    expect(parse({ listen: { workers: 2 }, tenants, consent: { pg: 'postgres://db/x' }, issuers: { file: 'issuers.json', replay: { pg: 'postgres://db/x' } } }).ok).toBe(true);
    expect(parse({ listen: { workers: 1 }, tenants, consent: { path: 'consent.jsonl' }, issuers: { file: 'issuers.json' } }).ok).toBe(true);
  });

  it('--workers without a config refuses the consent file kept when SAFEROUTE_PSEUDONYM_KEY is set', async () => {
    await expect(openGatewayConfig({ workers: 2, cwd: '/tmp', env: { SAFEROUTE_PSEUDONYM_KEY: 'k'.repeat(32) } })).rejects.toThrow(/--workers 2: a consent file is kept by one process.*SAFEROUTE_PSEUDONYM_KEY/);
    const open = await openGatewayConfig({ workers: 2, cwd: '/tmp', env: {} });
    expect(open.listen.workers).toBe(2);
  });
});
