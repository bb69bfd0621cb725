import { describe, expect, it } from 'vitest';
import { checkpointHashProblem, checkpointSignatureValid, signCheckpoint } from './audit-checkpoint.js';
import { generateAuditKeyPair, loadAuditSigningKey, loadAuditVerifyKey } from './audit-signing-keys.js';

describe('checkpoints', () => {
  const pair = generateAuditKeyPair();
  const cp = signCheckpoint(
    {
      v: 1,
      kind: 'checkpoint',
      checkpointer: 'w1',
      epoch: 1,
      n: 0,
      ts: '2025-06-01T00:00:00.000Z',
      heads: [{ writer: 'w1', epoch: 1, seq: 41, hash: 'c'.repeat(64), ts: '2025-06-01T00:00:00.000Z' }],
      prev: '0'.repeat(64),
      keyId: pair.keyId,
    },
    loadAuditSigningKey(pair.privateKeyPem),
  );

  it('verifies with the public key and detects any change', () => {
    const pub = loadAuditVerifyKey(pair.publicKeyPem);
    expect(checkpointHashProblem(cp)).toBeUndefined();
    expect(checkpointSignatureValid(cp, pub)).toBe(true);
    const moved = { ...cp, heads: [{ ...(cp.heads[0] as (typeof cp.heads)[number]), seq: 40 }] };
    expect(checkpointHashProblem(moved)).toMatch(/hash is/);
    expect(checkpointSignatureValid(moved, pub)).toBe(false);
    expect(checkpointSignatureValid(cp, loadAuditVerifyKey(generateAuditKeyPair().publicKeyPem))).toBe(false);
    expect(checkpointSignatureValid({ ...cp, sig: 'garbage' }, pub)).toBe(false);
  });
});
