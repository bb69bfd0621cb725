import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGatewayHost } from '../../src/gateway/gateway-host.js';
import { readiness } from '../../src/gateway/health-routes.js';
import { parseGatewayConfig } from '../../src/gateway/load-gateway-config.js';
import { runMigrations } from '../../src/db/migrate.js';
import { generateIssuerKeyPair } from '../../src/subjects/attestation/issuer-key-pair.js';
import { SUBJECT_MIGRATIONS } from '../../src/subjects/subject-migrations.js';
import { PG_URL, pgSchema } from '../audit/helpers.js';

// With `issuers.replay` on a database nobody migrated, every single-use token was refused
// (replay_check_failed) while /readyz answered 200 and the start said nothing.

const SKIP = 'skipped: set SAFEROUTE_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the replay-store readiness test';

(PG_URL ? describe : describe.skip)(`/readyz and the single-use token store${PG_URL ? '' : ` — ${SKIP}`}`, () => {
  it('is not ready while the table is missing, says to run migrate, and is ready once it exists', { timeout: 30_000 }, async () => {
    const db = await pgSchema(PG_URL!);
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-replay-ready-'));
    try {
      const pair = await generateIssuerKeyPair('ES256');
      await writeFile(join(dir, 'issuers.json'), JSON.stringify({ audience: 'ready', issuers: [{ issuer: 'https://issuer.ready.test', keys: pair.jwks, algorithms: ['ES256'] }] }));
      const parsed = parseGatewayConfig(JSON.stringify({ tenants: [{ id: 'acme', policy: 'default', apiKeys: [] }], audit: { disabled: true }, issuers: { file: 'issuers.json', replay: { pg: PG_URL, schema: db.schema } } }), 'saferoute.config.json', dir);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const host = await createGatewayHost(parsed.config, { cwd: dir, env: {}, log: () => undefined });
      try {
        const before = await readiness(host, false);
        expect(before.ready).toBe(false);
        expect(before.checks.replay).toEqual({ ok: false, detail: expect.stringContaining(`does not exist: run \`saferoute migrate --pg URL\` --schema ${db.schema}`) });
        await runMigrations(db.pool, SUBJECT_MIGRATIONS, { schema: db.schema });
        const after = await readiness(host, false);
        expect(after.checks.replay).toEqual({ ok: true });
        expect(after.ready).toBe(true);
      } finally {
        await host.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db.cleanup();
    }
  });
});
