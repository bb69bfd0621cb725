import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { hashApiKey } from '../../src/gateway/api-keys.js';
import { OPENAI_KEY_ENV } from '../guard/guard-fixtures.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { runMigrations } from '../../src/db/migrate.js';
import { generateIssuerKeyPair } from '../../src/subjects/attestation/issuer-key-pair.js';
import { mintAttestation } from '../../src/subjects/attestation/mint-attestation.js';
import { SUBJECT_MIGRATIONS } from '../../src/subjects/subject-migrations.js';
import { PG_URL, pgSchema } from '../audit/helpers.js';
import { APP_KEY, gatewayPolicy } from './gateway-fixtures.js';
import { spawnServe } from './serve-process.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const upstreams = { openaiBaseURL: openai.baseURL, ollamaHost: ollama.host };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A request on a connection of its own: the primary hands each new connection to the next worker. */
function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${url}${path}`, { method, agent: false, headers: { authorization: `Bearer ${APP_KEY}`, ...(text ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

let decided = 0;
const decide = async (url: string): Promise<{ status: number; revision: string }> => {
  decided++;
  const r = await call(url, 'POST', '/v1/decide', { text: 'What is the capital of France?', stage: 'input' });
  return { status: r.status, revision: r.status === 200 ? (JSON.parse(r.text) as { policy: { revision: string } }).policy.revision : '' };
};

/** The `serve` processes whose parent is `pid` (Linux /proc): the workers, not tsx's helper. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const parent = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes('serve');
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

(process.platform === 'linux' ? describe : describe.skip)('saferoute serve --workers', () => {
  it('serves from several processes on one port: one audit chain each, metrics summed, reload to all, a crashed worker replaced, SIGTERM drains all', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-workers-'));
    dirs.push(dir);
    const keys = generateAuditKeyPair();
    await writeFile(join(dir, 'audit-signing.key.pem'), keys.privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'audit-signing.pub.pem'), keys.publicKeyPem);
    const policy = (revision: string): string => JSON.stringify(gatewayPolicy(upstreams, { revision, classifiers: { input: ['embedded'], output: ['embedded'] } }));
    await writeFile(join(dir, 'policy.json'), policy('1'));
    const config = join(dir, 'saferoute.config.json');
    await writeFile(config, JSON.stringify({ listen: { port: 0, workers: 2 }, tenants: [{ id: 'acme', policy: 'policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { dir: 'audit', writerId: 'gw' } }));
    const run = await spawnServe(['--config', config], {
      cwd: dir,
      detached: true,
      env: { [OPENAI_KEY_ENV]: 'sk-test', SAFEROUTE_AUDIT_HMAC_KEY: 'workers-hmac-key-0123456789abcdefghij', SAFEROUTE_AUDIT_SIGNING_KEY: join(dir, 'audit-signing.key.pem') },
    });
    let workers: number[] = [];
    try {
      expect(run.stdout()).toContain(', 2 worker processes');
      expect(run.stdout()).toContain('(one writer chain per worker)');
      const primary = run.proc.pid!;
      expect(childrenOf(primary)).toHaveLength(2);

      for (let i = 0; i < 8; i++) expect(await decide(run.url)).toEqual({ status: 200, revision: '1' });
      // Each worker writes its own chain: both served some of the eight connections.
      expect((await readdir(join(dir, 'audit'))).filter((d) => d.startsWith('gw-')).sort()).toEqual(['gw-w1', 'gw-w2']);
      // A scrape reaches one worker, and reports the requests of both.
      const metrics = await call(run.url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      // One series per worker (label `worker`), together the eight requests.
      const series = [...metrics.text.matchAll(/^saferoute_http_requests_total\{route="\/v1\/decide",method="POST",status="200",tenant="acme",worker="([12])"\} (\d+)$/gm)];
      expect(series.map((m) => m[1]).sort()).toEqual(['1', '2']);
      expect(series.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(8);

      // SIGHUP to the primary reloads every worker.
      await writeFile(join(dir, 'policy.json'), policy('2'));
      run.proc.kill('SIGHUP');
      await until('every worker serves revision 2', async () => {
        const seen = await Promise.all(Array.from({ length: 6 }, () => decide(run.url)));
        return seen.every((s) => s.status === 200 && s.revision === '2');
      });

      // A worker killed outright is replaced, and the gateway keeps answering meanwhile.
      const [victim] = childrenOf(primary);
      process.kill(victim!, 'SIGKILL');
      await until('the primary reports the lost worker', () => /worker [12] exited \(SIGKILL\); starting another in its place/.test(run.stderr()));
      await until('a new worker listens', () => /worker [12] replaced: listening again/.test(run.stderr()));
      expect(childrenOf(primary)).toHaveLength(2);
      expect(childrenOf(primary)).not.toContain(victim);
      for (let i = 0; i < 6; i++) expect((await decide(run.url)).status).toBe(200);
      workers = childrenOf(primary);
    } finally {
      // Ctrl-C signals the whole process group: every worker must still drain to its end.
      process.kill(-run.proc.pid!, 'SIGINT');
    }
    expect(await run.exited).toBe(0);
    for (const pid of workers) expect(alive(pid)).toBe(false);
    expect(run.stderr().match(/"message":"stopped"/g)).toHaveLength(2);
    // Both chains verify, the one whose first writer was killed included.
    const verified = await verifyAuditLog({ dir: join(dir, 'audit') }, { publicKey: keys.publicKeyPem });
    expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(verified.ok).toBe(true);
    // Every request answered was recorded, by one of the two chains, each of which served some.
    expect(verified.counts.decisions).toBe(decided);
    expect(verified.counts.writers).toBe(2);
    const byWriter = new Map<string, number>();
    for await (const r of readAuditRecords({ dir: join(dir, 'audit') })) {
      if (r.event.kind === 'decision') byWriter.set(r.event.writer, (byWriter.get(r.event.writer) ?? 0) + 1);
    }
    expect([...byWriter.keys()].sort()).toEqual(['gw-w1', 'gw-w2']);
    expect(Math.min(...byWriter.values())).toBeGreaterThan(0);
  });
});

(process.platform === 'linux' ? describe : describe.skip)('saferoute serve --workers: starts, reloads and replacements that go wrong', () => {
  it('a SIGHUP while workers start does not stop the start; a replacement that cannot start is retried while the other worker serves', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-workers-broken-'));
    dirs.push(dir);
    await writeFile(join(dir, 'policy.json'), JSON.stringify(gatewayPolicy(upstreams, { classifiers: { input: ['embedded'], output: ['embedded'] } })));
    const config = join(dir, 'saferoute.config.json');
    await writeFile(config, JSON.stringify({ listen: { port: 0, workers: 2 }, tenants: [{ id: 'acme', policy: 'policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { disabled: true } }));
    const timers: NodeJS.Timeout[] = [];
    const run = await spawnServe(['--config', config], {
      cwd: dir,
      env: { [OPENAI_KEY_ENV]: 'sk-test' },
      // Reloads while the workers are still loading (from when the primary has forked the first):
      // workers ignore signals, and the primary tells only the listening ones.
      onSpawn: (proc) => {
        const poll = setInterval(() => {
          if (childrenOf(proc.pid!).length === 0) return;
          clearInterval(poll);
          timers.push(...[0, 300, 800].map((ms) => setTimeout(() => proc.kill('SIGHUP'), ms)));
        }, 20);
        timers.push(poll);
      },
    });
    try {
      expect(run.stdout()).toContain(', 2 worker processes');
      // The config breaks on disk: the running workers refuse the reload and keep serving.
      await writeFile(config, '{ "tenants": [ ');
      const primary = run.proc.pid!;
      const [victim, survivor] = childrenOf(primary);
      process.kill(victim!, 'SIGKILL');
      await until('the replacement fails and is retried', () => /worker [12] could not start \(exit code 78; its error is above\); 1 of 2 workers serve; trying again in \d+ s/.test(run.stderr()));
      for (let i = 0; i < 4; i++) expect((await decide(run.url)).status).toBe(200);
      expect(alive(survivor!)).toBe(true);
    } finally {
      for (const t of timers) clearTimeout(t);
      run.proc.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });
});

const PG_SKIP = 'skipped: set SAFEROUTE_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the workers-on-PostgreSQL test';

(PG_URL && process.platform === 'linux' ? describe : describe.skip)(`saferoute serve --workers on PostgreSQL${PG_URL ? '' : ` — ${PG_SKIP}`}`, () => {
  it('accepts a single-use attestation once across all workers (issuers.replay), with consent shared', { timeout: 120_000 }, async () => {
    const db = await pgSchema(PG_URL!);
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-workers-pg-'));
    dirs.push(dir);
    try {
      await runMigrations(db.pool, SUBJECT_MIGRATIONS, { schema: db.schema });
      const issuer = 'https://issuer.workers.test';
      const pair = await generateIssuerKeyPair('ES256');
      await writeFile(join(dir, 'issuers.json'), JSON.stringify({ audience: 'workers-test', issuers: [{ issuer, keys: pair.jwks, algorithms: ['ES256'] }] }));
      const token = await mintAttestation({ sub: 'u1', age_over_18: true, age_method: 'photo_id_match', age_assurance_level: 'enhanced', single_use: true, jti: 'once-only-1' }, { privateJwk: pair.privateJwk, issuer, audience: 'workers-test', expiresInSec: 600 });
      await writeFile(join(dir, 'policy.json'), JSON.stringify(gatewayPolicy(upstreams, { classifiers: { input: ['embedded'], output: ['embedded'] } })));
      const pgAt = { pg: PG_URL!, schema: db.schema };
      const config = join(dir, 'saferoute.config.json');
      await writeFile(config, JSON.stringify({ listen: { port: 0, workers: 2 }, tenants: [{ id: 'acme', policy: 'policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }], audit: { disabled: true }, consent: pgAt, issuers: { file: 'issuers.json', replay: pgAt } }));
      const run = await spawnServe(['--config', config], { cwd: dir, env: { [OPENAI_KEY_ENV]: 'sk-test', SAFEROUTE_PSEUDONYM_KEY: 'p'.repeat(32) } });
      try {
        // Four presentations on four connections, so on both workers: only the first counts.
        const unmet: string[][] = [];
        for (let i = 0; i < 4; i++) {
          const r = await call(run.url, 'POST', '/v1/decide', { text: 'Write me an explicit erotic sex scene between two consenting adults.', subject: { id: 'u1', jurisdiction: 'GB' } }, { 'x-saferoute-attestation': token });
          expect(r.status).toBe(200);
          unmet.push((JSON.parse(r.text) as { unmet: { code: string }[] }).unmet.map((u) => u.code));
        }
        // The first: the age is verified, only the consent is missing; then the token is a replay.
        expect(unmet[0]).toEqual(['consent_required']);
        for (const later of unmet.slice(1)) expect(later).toContain('age_verification_invalid');
        const used = await db.pool.query(`SELECT count(*)::int AS n FROM ${db.schema}.saferoute_used_attestations`);
        expect(used.rows[0].n).toBe(1);
      } finally {
        run.proc.kill('SIGTERM');
        expect(await run.exited).toBe(0);
      }
    } finally {
      await db.cleanup();
    }
  });
});
