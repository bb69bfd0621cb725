import { describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createGuardCore } from '../../src/guard/guard-core.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { createAuditRecorder } from '../../src/audit/create-audit-recorder.js';
import type { AuditSink } from '../../src/audit/audit-sink.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { explainDecision } from '../../src/audit/explain-decision.js';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { ADULT, NOW, defaultClassifiers, testPolicy } from '../guard/guard-fixtures.js';
import { TEST_HMAC_KEYS } from '../audit/fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema, tempDir } from '../audit/helpers.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

/** Three decisions through a guard over `sink`: a default route, a restricted route, a block. */
async function decideThrough(sink: AuditSink) {
  const policy = testPolicy(UP);
  const audit = createAuditRecorder({ sink, keys: TEST_HMAC_KEYS });
  const core = await createGuardCore({ policy, classifiers: defaultClassifiers().resolver, audit, clock: () => NOW });
  const hello = await core.checkInput(ask('hello'), { tenant: 'acme', app: 'chat' });
  const adult = await core.checkInput(ask('[[adult]] story'), { subject: { ...ADULT, id: 'user-7' } });
  const blocked = await core.checkInput(ask('[[adult]] story'), {});
  await sink.close();
  return { policy, ids: [hello, adult, blocked].map((c) => c.decision.decisionId) };
}

describe('policy archive and `audit show` (file sink)', () => {
  it('archives each deciding policy once under its sha256, records facts, and explains a decision from the archive', async () => {
    const { dir, cleanup } = await tempDir('saferoute-archive-');
    try {
      const sink = await createFileAuditSink({ dir, writerId: 'gw' });
      const { policy, ids } = await decideThrough(sink);
      expect(await readdir(join(dir, 'policies'))).toEqual([`${policy.sha256}.json`]);
      expect(await readFile(join(dir, 'policies', `${policy.sha256}.json`), 'utf8')).toBe(canonicalJson(policy.document));

      // The records carry facts that the published JSON Schema accepts, and never the subject id.
      const schema = JSON.parse(await readFile(new URL('../../policies/schema/audit-event.schema.json', import.meta.url), 'utf8')) as object;
      const ajv = new Ajv2020.default({ allErrors: true, strict: true });
      addFormats.default(ajv);
      const validate = ajv.compile(schema);
      let decisions = 0;
      for await (const { event, line } of readAuditRecords({ dir })) {
        expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
        if (event.kind !== 'decision') continue;
        decisions++;
        expect(event.facts).toBeDefined();
        expect(line).not.toContain('user-7');
      }
      expect(decisions).toBe(3);
      // Records with facts are still AuditEvent v1: the verifier reads them, and the archive beside them is no writer.
      const verified = await runCliInProcess(['audit', 'verify', dir, '--unsigned']);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain('VALID');

      const adult = await explainDecision({ dir }, ids[1] as string);
      expect(adult?.archive).toEqual({ found: true });
      expect(adult?.record.facts?.subject?.age).toMatchObject({ over: ADULT.age?.over, method: ADULT.age?.method, level: ADULT.age?.level, verifiedAt: ADULT.age?.verifiedAt });
      expect(adult?.determining.map((r) => r.id)).toEqual(adult?.record.determiningRules);
      expect(adult?.determining.length).toBeGreaterThan(0);
      expect(adult?.requirements?.target).toBe('restricted');
      expect(adult?.consistent).toBe(true);

      const shown = await runCliInProcess(['audit', 'show', ids[2] as string, dir]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`policy    ${policy.id}@${policy.revision} sha256 ${policy.sha256}`);
      expect(shown.stdout).toMatch(/unmet: age_verification_required/);
      expect(shown.stdout).toMatch(/requirements of `restricted`/);
      const json = await runCliInProcess(['audit', 'show', ids[0] as string, dir, '--json']);
      const parsed = JSON.parse(json.stdout) as { record: { facts: { request: { tenant: string } } }; archive: { found: boolean } };
      expect(parsed.archive.found).toBe(true);
      expect(parsed.record.facts.request.tenant).toBe('acme');

      // Today's file no longer matters; an altered archive is reported, not trusted.
      const archived = join(dir, 'policies', `${policy.sha256}.json`);
      await writeFile(archived, (await readFile(archived, 'utf8')).replace('"enforce"', '"monitor"'));
      const altered = await runCliInProcess(['audit', 'show', ids[0] as string, dir]);
      expect(altered.code).toBe(1);
      expect(altered.stdout).toContain('does not hash to this sha256');

      const missing = await runCliInProcess(['audit', 'show', '01900000-0000-7000-8000-000000000000', dir]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no decision `01900000-0000-7000-8000-000000000000`');
    } finally {
      await cleanup();
    }
  });
});

describe.skipIf(!PG_URL)('policy archive and `audit show` (PostgreSQL sink)', () => {
  it('archives the policy in saferoute_audit_policies and explains a decision from it', async () => {
    const db = await pgSchema(PG_URL as string);
    try {
      const sink = await createPgAuditSink({ pool: db.pool, schema: db.schema, writerId: 'gw-pg' });
      const { policy, ids } = await decideThrough(sink);
      const rows = await db.pool.query<{ sha256: string; body: string }>(`SELECT sha256, body FROM ${db.schema}.saferoute_audit_policies`);
      expect(rows.rows.map((r) => r.sha256)).toEqual([policy.sha256]);
      const shown = await runCliInProcess(['audit', 'show', ids[1] as string, '--pg', PG_URL as string, '--schema', db.schema]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`sha256 ${policy.sha256}`);
      expect(shown.stdout).toMatch(/determining rules:\n {2}\S+/);
    } finally {
      await db.cleanup();
    }
  });
});

if (!PG_URL) console.log(PG_SKIP_NOTE);
