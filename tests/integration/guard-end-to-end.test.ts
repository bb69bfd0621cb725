// The whole path of DESIGN.md with the real parts plugged into createGuard: a signed age
// attestation verified by the subject resolver, consent from the file store, decisions recorded
// in the file audit sink before anything is released, and the log verified afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';
import {
  createAttestationVerifier,
  createFileConsentStore,
  createSubjectResolver,
  generateIssuerKeyPair,
  mintAttestation,
  type FileConsentStore,
  type IssuerKeyPair,
} from '../../src/subjects/index.js';
import { createAuditHmacKeys, createAuditRecorder, createFileAuditSink, generateAuditKeyPair, verifyAuditLog, type AuditSink } from '../../src/audit/index.js';
import { startFakeOllamaChatServer, startFakeOpenAIChatServer, type FakeOllamaChatServer, type FakeOpenAIChatServer } from '../support/fake-chat-upstreams.js';
import { defaultClassifiers, NOW, OPENAI_KEY_ENV, testPolicy } from '../guard/guard-fixtures.js';

const ISS = 'https://age.example';
const sec = NOW.getTime() / 1000;
let openai: FakeOpenAIChatServer;
let ollama: FakeOllamaChatServer;
let issuer: IssuerKeyPair;
let store: FileConsentStore;
let sink: AuditSink;
let guard: Guard;
let dir: string;
const auditKey = generateAuditKeyPair();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sr-e2e-'));
  openai = await startFakeOpenAIChatServer({ apiKey: 'sk-test' });
  ollama = await startFakeOllamaChatServer();
  issuer = await generateIssuerKeyPair('ES256', 'k1');
  store = await createFileConsentStore({ path: join(dir, 'consent.jsonl'), pseudonymKey: 'e2e-pseudonym-key-0123456789' });
  const notice = { noticeId: 'adult-terms', noticeSha256: 'a'.repeat(64), collectionMethod: 'web_form' as const, scope: 'adult-content' };
  await store.append({ ...notice, subjectId: 'alice', version: '1.0.0', state: 'given', at: '2026-10-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'bob', version: '1.0.0', state: 'given', at: '2026-10-01T00:00:00.000Z' });
  await store.append({ ...notice, subjectId: 'bob', version: '1.0.0', state: 'withdrawn', at: '2026-11-28T11:59:59.999Z' });
  sink = await createFileAuditSink({ dir: join(dir, 'audit'), writerId: 'e2e', checkpoint: { key: auditKey.privateKeyPem, intervalMs: 60_000 } });
  guard = await createGuard({
    policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }),
    classifiers: defaultClassifiers().resolver,
    env: { [OPENAI_KEY_ENV]: 'sk-test' },
    clock: () => NOW,
    subjectResolver: createSubjectResolver({
      verifier: createAttestationVerifier({ issuers: [{ issuer: ISS, keys: issuer.jwks }], audience: 'saferoute', now: () => NOW }),
      consentStore: store,
    }),
    audit: createAuditRecorder({ sink, keys: createAuditHmacKeys({ secret: 'e2e-audit-secret-0123456789' }) }),
    providerOptions: { maxRetries: 0, timeoutMs: 2_000 },
  });
});
afterAll(async () => {
  await openai.close();
  await ollama.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (claims: Record<string, unknown> = {}) =>
  mintAttestation(
    { iss: ISS, aud: 'saferoute', iat: sec - 60, exp: sec + 3600, jti: `t-${Math.random()}`, age_over_18: true, age_method: 'photo_id_match', age_assurance_level: 'enhanced', ...claims },
    { privateJwk: issuer.privateJwk },
  );
const adultPrompt = { messages: [{ role: 'user' as const, content: 'Tell me a [[adult]] story.' }] };

describe('createGuard with the real subject resolver and audit sink', () => {
  it('serves a verified, consenting adult from the restricted target', async () => {
    ollama.setScript({ text: 'Once upon a time.' });
    const out = await guard.chat(adultPrompt, { subjectId: 'alice', attestationToken: await token(), jurisdiction: 'GB' });
    expect(out.saferoute).toMatchObject({ target: 'restricted' });
    expect(out.choices[0]?.message.content).toBe('Once upon a time.');
  });

  it('refuses a forged attestation without calling any model', async () => {
    const before = ollama.chatRequests().length + openai.chatRequests().length;
    // Flip a character in the middle of the signature (the last base64url character carries
    // unused bits, so changing it may leave the signature bytes as they were).
    const genuine = await token();
    const at = genuine.lastIndexOf('.') + 10;
    const forged = genuine.slice(0, at) + (genuine[at] === 'A' ? 'B' : 'A') + genuine.slice(at + 1);
    const out = await guard.chat(adultPrompt, { subjectId: 'alice', attestationToken: forged, jurisdiction: 'GB' });
    expect(out.saferoute.blocked?.unmet?.map((u: { code: string }) => u.code)).toContain('age_verification_invalid');
    expect(ollama.chatRequests().length + openai.chatRequests().length).toBe(before);
  });

  it('applies a consent withdrawal made a millisecond before the request', async () => {
    const out = await guard.chat(adultPrompt, { subjectId: 'bob', attestationToken: await token(), jurisdiction: 'GB' });
    expect(out.saferoute.blocked?.unmet?.map((u: { code: string }) => u.code)).toEqual(['consent_withdrawn']);
  });

  it('refuses a self-declared age even when the token is genuine', async () => {
    const out = await guard.chat(adultPrompt, {
      subjectId: 'alice',
      attestationToken: await token({ age_method: 'self_declaration', age_assurance_level: 'strict' }),
      jurisdiction: 'GB',
    });
    expect(out.saferoute.blocked?.unmet?.map((u: { code: string }) => u.code)).toEqual(['age_assurance_insufficient']);
  });

  it('recorded every decision durably, with pseudonyms only, in a log that verifies', async () => {
    await sink.close();
    const report = await verifyAuditLog({ dir: join(dir, 'audit') }, { publicKey: auditKey.publicKeyPem });
    expect(report.ok).toBe(true);
    const records: string[] = [];
    await verifyAuditLog({ dir: join(dir, 'audit') }, { onRecord: (_e, line) => records.push(line) });
    const decisions = records.filter((l) => l.includes('"kind":"decision"'));
    // Four input decisions and the one output decision of the served request.
    expect(decisions.length).toBe(5);
    expect(records.join('\n')).not.toContain('alice');
    expect(records.join('\n')).not.toContain('Tell me a');
  });
});
