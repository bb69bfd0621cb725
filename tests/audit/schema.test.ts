import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CATEGORIES } from '../../src/taxonomy/categories.js';
import { UNMET_CODES } from '../../src/decision/decision.js';
import { AGE_METHODS, ASSURANCE_LEVELS, CONSENT_STATES } from '../../src/subjects/subject-context.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { nodeAuditFs, type AuditFs } from '../../src/audit/audit-fs.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { readAuditRecords } from '../../src/audit/read-audit-records.js';
import { createAuditEvent } from '../../src/audit/create-audit-event.js';
import { sampleBody, sampleDecision, TEST_HMAC_KEYS } from './fixtures.js';
import { tempDir } from './helpers.js';
import { join } from 'node:path';

const schemaPath = fileURLToPath(new URL('../../policies/schema/audit-event.schema.json', import.meta.url));

async function loadSchema() {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return { schema, validate: ajv.compile(schema), validateCheckpoint: ajv.compile({ ...schema.$defs['checkpoint'], $defs: schema.$defs }) };
}

describe('audit event JSON Schema', () => {
  it('accepts every kind of record a sink writes, and its checkpoints', async () => {
    const { validate, validateCheckpoint } = await loadSchema();
    const { dir, cleanup } = await tempDir('saferoute-schema-');
    try {
      let failing = false;
      const fs: AuditFs = {
        ...nodeAuditFs,
        async open(path, flags, mode) {
          const h = await nodeAuditFs.open(path, flags, mode);
          if (!/\d+-\d+\.jsonl$/.test(path)) return h;
          return {
            write: async (b, o, l, p) => {
              if (failing) throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
              return h.write(b, o, l, p);
            },
            read: (...a) => h.read(...a),
            datasync: () => h.datasync(),
            sync: () => h.sync(),
            truncate: (n) => h.truncate(n),
            stat: () => h.stat(),
            close: () => h.close(),
          };
        },
      };
      const keys = generateAuditKeyPair();
      const sink = await createFileAuditSink({ dir, writerId: 'schema', fs, failurePolicy: 'continue', checkpoint: { key: keys.privateKeyPem } });
      await sink.append(sampleBody());
      await sink.append(createAuditEvent(sampleDecision({ subject: undefined, target: undefined, effective: { outcome: 'block' }, outcome: 'block' }), { keys: TEST_HMAC_KEYS, text: 'x', textMode: 'redacted' }));
      await sink.append(createAuditEvent(sampleDecision({ mode: 'monitor' }), { keys: TEST_HMAC_KEYS, text: 'full text', textMode: 'full' }));
      await sink.append(createAuditEvent(sampleDecision(), { keys: TEST_HMAC_KEYS, requestId: 'ticket-4711' }));
      failing = true;
      await sink.append(sampleBody());
      failing = false;
      await sink.append(sampleBody());
      await sink.close();
      const restarted = await createFileAuditSink({ dir, writerId: 'schema', checkpoint: { key: keys.privateKeyPem } });
      await restarted.close();
      const kinds = new Set<string>();
      for await (const { event } of readAuditRecords({ dir })) {
        kinds.add(event.kind);
        expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      }
      expect([...kinds].sort()).toEqual(['decision', 'lost', 'writer-start', 'writer-stop']);
      const cps = (await readFile(join(dir, 'checkpoints', 'schema', '000001.jsonl'), 'utf8')).trim().split('\n');
      for (const line of cps) expect(validateCheckpoint(JSON.parse(line)), JSON.stringify(validateCheckpoint.errors)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('rejects a record carrying raw age-verification data or an unknown field', async () => {
    const { validate } = await loadSchema();
    const { dir, cleanup } = await tempDir('saferoute-schema-');
    try {
      const sink = await createFileAuditSink({ dir, writerId: 's' });
      await sink.append(sampleBody());
      await sink.close();
      let decision: Record<string, unknown> | undefined;
      for await (const { event } of readAuditRecords({ dir })) if (event.kind === 'decision') decision = event as unknown as Record<string, unknown>;
      const evidence = decision?.['evidence'] as { age: Record<string, unknown> };
      expect(validate({ ...decision, evidence: { ...evidence, age: { ...evidence.age, over: 18, verifiedAt: '2025-01-01T00:00:00Z' } } })).toBe(false);
      expect(validate({ ...decision, email: 'a@b.c' })).toBe(false);
      expect(validate({ ...decision, text: { mode: 'digest', digest: 'x' } })).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('lists exactly the categories, unmet codes, methods, levels and consent states the code knows', async () => {
    const { schema } = await loadSchema();
    const d = schema.$defs['decision'] as { properties: Record<string, Record<string, unknown>> };
    const props = d.properties;
    expect((props['scores'] as { propertyNames: { enum: string[] } }).propertyNames.enum).toEqual([...CATEGORIES]);
    const unmetItem = (props['unmet'] as { items: { properties: { code: { enum: string[] } } } }).items;
    expect(unmetItem.properties.code.enum).toEqual([...UNMET_CODES]);
    const ev = (props['evidence'] as { properties: Record<string, { properties?: Record<string, { enum?: string[] }>; items?: { properties: Record<string, { enum: string[] }> } }> }).properties;
    expect(ev['age']?.properties?.['method']?.enum).toEqual([...AGE_METHODS]);
    expect(ev['age']?.properties?.['level']?.enum).toEqual([...ASSURANCE_LEVELS]);
    expect(ev['consents']?.items?.properties['state']?.enum).toEqual([...CONSENT_STATES, 'none']);
  });
});
