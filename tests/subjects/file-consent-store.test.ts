import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsentStoreError, createFileConsentStore } from '../../src/subjects/index.js';
import { CONTRACT_KEY, consentStoreContract, grant, withdraw } from './consent-store-contract.js';

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sr-consent-'));
  dirs.push(dir);
  return join(dir, 'consent.jsonl');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

consentStoreContract('file', async () => {
  const path = tempPath();
  return {
    store: await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY }),
    reopen: () => createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY }),
  };
});

describe('file consent store', () => {
  it('writes one checksummed JSON line per event, after a header', async () => {
    const path = tempPath();
    const store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    await store.append(grant('alice', '2025-01-01T00:00:00.000Z'));
    await store.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{16} \{.*\}$/);
    expect(readFileSync(path, 'utf8')).not.toContain('alice');
  });

  it('drops a torn last line on open, then appends after the last good one', async () => {
    const path = tempPath();
    let store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    const kept = await store.append(grant('alice', '2025-01-01T00:00:00.000Z'));
    await store.close();
    const goodSize = statSync(path).size;
    appendFileSync(path, '0123456789abcdef {"recordId":"01890000-0000-7000-8000-0000000');
    store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    expect(store.recoveredBytes).toBeGreaterThan(0);
    expect(statSync(path).size).toBe(goodSize);
    const next = await store.append(withdraw('alice', '2025-02-01T00:00:00.000Z'));
    expect((await store.events('alice')).map((e) => e.recordId)).toEqual([kept.recordId, next.recordId]);
    await store.close();
    store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    expect(store.recoveredBytes).toBe(0);
    expect(await store.events('alice')).toHaveLength(2);
    await store.close();
  });

  it('drops a complete last line whose checksum fails (zeroed or garbled block)', async () => {
    const path = tempPath();
    let store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    await store.append(grant('alice', '2025-01-01T00:00:00.000Z'));
    await store.close();
    const text = readFileSync(path, 'utf8');
    const lastLine = text.trimEnd().split('\n').at(-1)!;
    writeFileSync(path, text + lastLine.replace('given', 'gIven') + '\n' + '\u0000'.repeat(100));
    store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    expect(await store.events('alice')).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(text);
    await store.close();
  });

  it('refuses to open a file damaged in the middle rather than lose an event', async () => {
    const path = tempPath();
    const store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    await store.append(grant('alice', '2025-01-01T00:00:00.000Z'));
    await store.append(withdraw('alice', '2025-02-01T00:00:00.000Z'));
    await store.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('given', 'GIVEN');
    writeFileSync(path, lines.join('\n'));
    await expect(createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY })).rejects.toThrow(/damaged at line 2/);
  });

  it('refuses a different pseudonym key and a second writer', async () => {
    const path = tempPath();
    const store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    await expect(createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY })).rejects.toThrow(/already open/);
    await store.close();
    await expect(createFileConsentStore({ path, pseudonymKey: `${CONTRACT_KEY}-other` })).rejects.toThrow(/different pseudonym key/);
    // A lock left by a process that no longer exists is taken over.
    writeFileSync(`${path}.lock`, '999999999\n');
    const again = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    await again.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('compacts by rewriting the file with the full history', async () => {
    const path = tempPath();
    const store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    for (let i = 0; i < 10; i++) await store.append(i % 2 ? withdraw('alice', `2025-01-0${i}T00:00:00.000Z`.replace('-00T', '-10T')) : grant('alice', `2025-01-1${i}T00:00:00.000Z`));
    const before = readFileSync(path, 'utf8');
    const result = await store.compact();
    expect(result.events).toBe(10);
    expect(readFileSync(path, 'utf8')).toBe(before);
    const after = await store.append(grant('bob', '2025-05-01T00:00:00.000Z'));
    await store.close();
    const reopened = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    expect(await reopened.events('alice')).toHaveLength(10);
    expect((await reopened.events('bob'))[0]?.recordId).toBe(after.recordId);
    expect(existsSync(`${path}.compact.tmp`)).toBe(false);
    await reopened.close();
  });

  it('reports an unusable path as a typed store error', async () => {
    const file = tempPath();
    writeFileSync(file, 'not a directory');
    await expect(createFileConsentStore({ path: join(file, 'sub', 'consent.jsonl'), pseudonymKey: CONTRACT_KEY })).rejects.toBeInstanceOf(ConsentStoreError);
    const foreign = tempPath();
    writeFileSync(foreign, '{"hello":"world"}\n');
    await expect(createFileConsentStore({ path: foreign, pseudonymKey: CONTRACT_KEY })).rejects.toThrow(ConsentStoreError);
  });

  it('survives kill -9 during appends: every acknowledged event is there, the file is clean', async () => {
    const path = tempPath();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'append-loop.ts'), path, CONTRACT_KEY], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    const lines = createInterface({ input: child.stdout! });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      lines.on('line', (line) => {
        acked.push(line.trim());
        if (acked.length === 200) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    const store = await createFileConsentStore({ path, pseudonymKey: CONTRACT_KEY });
    const stored = new Set<string>();
    for (let s = 0; s < 10; s++) for (const e of await store.events(`subject-${s}`)) stored.add(e.recordId);
    for (const id of acked) expect(stored.has(id), id).toBe(true);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
    expect(store.size).toBe(stored.size);
    await store.append(grant('after-crash', '2025-01-01T00:00:00.000Z'));
    await store.close();
    const lines2 = readFileSync(path, 'utf8').split('\n');
    expect(lines2.at(-1)).toBe('');
    for (const line of lines2.slice(0, -1)) expect(line).toMatch(/^[0-9a-f]{16} \{.*\}$/);
  });
});
