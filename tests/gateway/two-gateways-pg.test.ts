import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { hashApiKey } from '../../src/gateway/api-keys.js';
import { PG_URL, pgSchema } from '../audit/helpers.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { OPENAI_KEY_ENV } from '../guard/guard-fixtures.js';
import { APP_KEY, gatewayPolicy } from './gateway-fixtures.js';
import { spawnServe, type ServeProcess } from './serve-process.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const SKIP = 'skipped: set SAFEROUTE_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the two-gateway PostgreSQL test';

(PG_URL ? describe : describe.skip)(`two gateway processes on one PostgreSQL${PG_URL ? '' : ` — ${SKIP}`}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('write one merged audit log that verifies clean, one chain per instance', { timeout: 90_000 }, async () => {
    const db = await pgSchema(PG_URL as string);
    cleanups.push(db.cleanup);
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-pg-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const keys = generateAuditKeyPair();
    await writeFile(join(dir, 'audit-signing.key.pem'), keys.privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'policy.json'), JSON.stringify(gatewayPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }, { classifiers: { input: ['embedded'], output: ['embedded'] } })));
    const env = {
      [OPENAI_KEY_ENV]: 'sk-test',
      SAFEROUTE_AUDIT_HMAC_KEY: 'two-gateways-hmac-key-0123456789abcdef',
      SAFEROUTE_AUDIT_SIGNING_KEY: join(dir, 'audit-signing.key.pem'),
    };
    const serves: ServeProcess[] = [];
    for (const writer of ['gw-a', 'gw-b']) {
      const config = join(dir, `${writer}.config.json`);
      await writeFile(
        config,
        JSON.stringify({
          listen: { port: 0 },
          tenants: [{ id: 'acme', policy: 'policy.json', apiKeys: [{ id: 'acme-app', sha256: hashApiKey(APP_KEY) }] }],
          audit: { pg: PG_URL, schema: db.schema, writerId: writer },
        }),
      );
      serves.push(await spawnServe(['--config', config], { cwd: dir, env }));
    }
    cleanups.push(async () => {
      for (const s of serves) s.proc.kill('SIGKILL');
    });
    openai.setScript({ text: 'A short and friendly answer.' });
    const requests = Array.from({ length: 10 }, (_, i) =>
      fetch(`${serves[i % 2]!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${APP_KEY}`, 'content-type': 'application/json', 'x-request-id': `req-${i}` },
        body: JSON.stringify({ messages: [{ role: 'user', content: `question number ${i}` }] }),
      }).then((r) => r.status),
    );
    expect(await Promise.all(requests)).toEqual(Array(10).fill(200));
    for (const s of serves) s.proc.kill('SIGTERM');
    expect(await Promise.all(serves.map((s) => s.exited))).toEqual([0, 0]);

    const report = await verifyAuditLog({ pg: { pool: db.pool, schema: db.schema } }, { publicKey: keys.publicKeyPem });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.writers).toBe(2);
    expect(report.counts.decisions).toBe(20);
    const byWriter = new Map<string, Set<string>>();
    for await (const r of readAuditRecords({ pg: { pool: db.pool, schema: db.schema } })) {
      if (r.event.kind !== 'decision') continue;
      const e = r.event as unknown as { writer: string; requestId?: string };
      if (!byWriter.has(e.writer)) byWriter.set(e.writer, new Set());
      if (e.requestId) byWriter.get(e.writer)!.add(e.requestId);
    }
    expect([...byWriter.keys()].sort()).toEqual(['gw-a', 'gw-b']);
    expect([...byWriter.get('gw-a')!].sort()).toEqual(['req-0', 'req-2', 'req-4', 'req-6', 'req-8']);
  });
});
