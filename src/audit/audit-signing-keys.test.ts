import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { auditKeyId, generateAuditKeyPair, loadAuditSigningKey, loadAuditVerifyKey, parseAuditKeyText } from './audit-signing-keys.js';
import { AuditConfigError } from './audit-error.js';
import { generateKeyPairSync } from 'node:crypto';

describe('audit signing keys', () => {
  it('generates an Ed25519 pair whose key id is the RFC 7638 thumbprint', async () => {
    const pair = generateAuditKeyPair();
    expect(pair.keyId).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: pair.publicJwk.x as string }, 'sha256'));
    expect(pair.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(pair.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(auditKeyId(loadAuditSigningKey(pair.privateKeyPem))).toBe(pair.keyId);
    expect(auditKeyId(loadAuditVerifyKey(pair.publicKeyPem))).toBe(pair.keyId);
    expect(auditKeyId(loadAuditVerifyKey(parseAuditKeyText(JSON.stringify(pair.publicJwk)) as never))).toBe(pair.keyId);
  });

  it('refuses keys that are not Ed25519 or not readable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => loadAuditSigningKey(rsa.privateKey)).toThrow(AuditConfigError);
    expect(() => loadAuditVerifyKey(rsa.publicKey)).toThrow(AuditConfigError);
    expect(() => loadAuditSigningKey('not a key')).toThrow(/not a readable Ed25519 private key/);
    expect(() => loadAuditSigningKey(generateAuditKeyPair().publicKeyPem)).toThrow(AuditConfigError);
  });
});
