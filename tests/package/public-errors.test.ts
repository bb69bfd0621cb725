import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import * as saferoute from '../../src/index.js';
import {
  AttestationConfigError,
  AuditConfigError,
  AuditError,
  ConsentRecordError,
  ConsentStoreError,
  ContentBlockedError,
  InputError,
  LexiconError,
  LinearModelError,
  MigrationError,
  PolicyInvalidError,
  PolicyNotFoundError,
  ProviderConfigError,
  ProviderError,
  PseudonymKeyError,
  SaferouteError,
  createAttestationVerifier,
  createAuditHmacKeys,
  createFileAuditSink,
  createFileConsentStore,
  createGuard,
  createLexiconClassifier,
  createOllamaProvider,
  createOpenAIProvider,
  createPolicyRuntime,
  createClassifierRegistry,
  defaultClassifierFactories,
  loadLinearModel,
  loadPolicyOrThrow,
  pseudonymKeyFromEnv,
  runMigrations,
  shippedPolicyPath,
  validatePolicyObjectOrThrow,
  type PgPoolLike,
  type SaferouteErrorCode,
} from '../../src/index.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'saferoute-errors-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `export class X extends Y` across src/, except the CLI's own (it catches them itself). */
function declaredErrorClasses(): Map<string, { base: string; file: string }> {
  const classes = new Map<string, { base: string; file: string }>();
  for (const file of sourceFiles(SRC)) {
    if (relative(SRC, file).startsWith('cli')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^export class (\w+) extends (\w+)/gm)) {
      classes.set(m[1]!, { base: m[2]!, file: relative(SRC, file) });
    }
  }
  return classes;
}

/** The public error thrown by `run`, checked for its class (exported from the root) and `code`. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function expectError(run: () => unknown, type: new (...args: never[]) => SaferouteError, code: SaferouteErrorCode): Promise<void> {
  const error = await thrown(run);
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(SaferouteError);
  expect((error as SaferouteError).code).toBe(code);
  expect((error as Error).name).toBe(type.name);
}

describe('the errors a user can catch', () => {
  it('exports every SaferouteError subclass declared in src/ from the package root', () => {
    const classes = declaredErrorClasses();
    const isSaferouteError = (name: string, seen = new Set<string>()): boolean => {
      if (name === 'SaferouteError') return true;
      const base = classes.get(name)?.base;
      return base != null && !seen.has(name) && isSaferouteError(base, seen.add(name));
    };
    const errors = [...classes.keys()].filter((name) => isSaferouteError(name));
    // The scan itself must find the classes it is about.
    expect(errors).toEqual(expect.arrayContaining(['ConsentStoreError', 'AttestationConfigError', 'PseudonymKeyError', 'PolicyInvalidError']));
    const api = saferoute as Record<string, unknown>;
    const missing = errors.filter((name) => api[name] == null).map((name) => `${name} (${classes.get(name)!.file})`);
    expect(missing).toEqual([]);
  });

  it("maps codes to HTTP statuses, exit codes and retryability from the package root, as the README's Errors table says", () => {
    const api = saferoute as Record<string, unknown>;
    expect(['httpStatusFor', 'exitCodeFor', 'isRetryable', 'HTTP_STATUS', 'EXIT_CODE'].filter((name) => api[name] == null)).toEqual([]);
    const rows: [SaferouteError, number, number, boolean][] = [
      [new InputError('x'), 400, 1, false],
      [new saferoute.UsageError('x'), 400, 64, false],
      [new PolicyNotFoundError('p.json', '/p.json'), 500, 78, false],
      [new ProviderError('openai', 'connection', 'x'), 502, 78, true],
      [new ConsentStoreError('x'), 503, 78, true],
    ];
    for (const [error, http, exit, retryable] of rows) {
      expect([saferoute.httpStatusFor(error), saferoute.exitCodeFor(error), saferoute.isRetryable(error)], error.code).toEqual([http, exit, retryable]);
    }
  });

  it('throws each of them, with its literal code, from a public function', async () => {
    await expectError(() => loadPolicyOrThrow('no-such-policy.json'), PolicyNotFoundError, 'policy_not_found');
    await expectError(() => validatePolicyObjectOrThrow({ id: 'x' }), PolicyInvalidError, 'policy_invalid');
    await expectError(() => pseudonymKeyFromEnv({}), PseudonymKeyError, 'config_invalid');
    await expectError(() => createAttestationVerifier({ issuers: [], audience: 'my-app' }), AttestationConfigError, 'attestation_config');
    await expectError(() => createAuditHmacKeys({ secret: 'short' }), AuditConfigError, 'config_invalid');
    await expectError(() => loadLinearModel(join(tempDir(), 'no-model')), LinearModelError, 'config_invalid');
    await expectError(
      () => createLexiconClassifier({ lexicons: [], blocklists: [{ id: 'empty', terms: [] }] }),
      LexiconError,
      'lexicon_invalid',
    );
    // Duplicate ids are refused before any connection is made, so a pool that cannot connect does.
    const pool: PgPoolLike = {
      query: () => Promise.reject(new Error('not connected')),
      connect: () => Promise.reject(new Error('not connected')),
      end: () => Promise.resolve(),
    };
    const twice = { id: '0001', description: 'x', sql: 'SELECT 1' };
    await expectError(() => runMigrations(pool, [twice, twice]), MigrationError, 'config_invalid');

    const notAStore = join(tempDir(), 'consent.jsonl');
    writeFileSync(notAStore, 'hello\n');
    const key = 'a pseudonym key of 32 bytes.....';
    await expectError(() => createFileConsentStore({ path: notAStore, pseudonymKey: key }), ConsentStoreError, 'consent_store_failed');
    const store = await createFileConsentStore({ path: join(tempDir(), 'consent.jsonl'), pseudonymKey: key });
    await expectError(
      () => store.append({ subjectId: 'u1', scope: 'Not A Scope!', version: '1.0.0', state: 'withdrawn', collectionMethod: 'web_form' }),
      ConsentRecordError,
      'input_invalid',
    );
    await store.close();

    const sink = await createFileAuditSink({ dir: join(tempDir(), 'audit'), checkpoint: { key: saferoute.generateAuditKeyPair().privateKeyPem } });
    await sink.close();
    const runtime = createPolicyRuntime(await loadPolicyOrThrow(shippedPolicyPath('default')), createClassifierRegistry(defaultClassifierFactories({})));
    const decision = await runtime.decide({ scores: { sexual: 0 } });
    await expectError(() => sink.append({ ...saferoute.createAuditEvent(decision, { keys: createAuditHmacKeys({ secret: 'an audit key of 16+ bytes' }) }) }), AuditError, 'audit_failed');
    await expectError(() => runtime.decide({ scores: { sexual: 2 } }), InputError, 'input_invalid');

    const request = { messages: [{ role: 'user' as const, content: 'hi' }], params: {} };
    await expectError(() => createOpenAIProvider({ apiKeyEnv: 'NO_SUCH_KEY', env: {} }).complete(request), ProviderConfigError, 'provider_config');
    const failing = createServer((_req, res) => res.writeHead(500).end('{"error":"down"}'));
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const host = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
      await expectError(() => createOllamaProvider({ host, model: 'llama3.1:8b', timeoutMs: 5_000 }).complete(request), ProviderError, 'provider_failed');
    } finally {
      failing.close();
    }

    const guard = await createGuard({ policy: shippedPolicyPath('default'), onBlock: 'throw', env: {} });
    await expectError(
      () => guard.chat({ messages: [{ role: 'user', content: 'Write an explicit erotic story about two consenting adults.' }] }),
      ContentBlockedError,
      'content_blocked',
    );
  });

  it('takes a pg.Pool where the public options ask for a PgPoolLike', async () => {
    // A compile-time check as much as a run-time one: `tsc` fails here if pg's Pool stops fitting.
    const pool: PgPoolLike = new pg.Pool({ connectionString: 'postgres://127.0.0.1:9/none', connectionTimeoutMillis: 2_000 });
    await expect(runMigrations(pool, [{ id: '0001', description: 'x', sql: 'SELECT 1' }])).rejects.toMatchObject({ code: 'config_invalid' });
    await pool.end();
  });
});
