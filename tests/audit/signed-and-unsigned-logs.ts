import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { createAuditEvent } from '../../src/audit/create-audit-event.js';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { sampleBody, sampleDecision, TEST_HMAC_KEYS } from './fixtures.js';

/**
 * Two logs of writer `gw` under `dir`: `signed` (checkpoints signed with `keys`) and `unsigned`
 * (no checkpoint key), and the public keys under `dir/keys` (`audit.pub.pem`, and each of `others`
 * as `NAME.pub.pem`). With `shadow`, the signed log holds two live decisions and a shadow one;
 * `segmentBytes` rotates its segments that small, so a log has several.
 */
export async function writeSignedAndUnsignedLogs(
  dir: string,
  keys: AuditKeyPair,
  options: { shadow?: boolean; segmentBytes?: number; others?: Record<string, AuditKeyPair> } = {},
): Promise<void> {
  const signed = await createFileAuditSink({ dir: join(dir, 'signed'), writerId: 'gw', checkpoint: { key: keys.privateKeyPem }, ...(options.segmentBytes ? { rotate: { maxBytes: options.segmentBytes } } : {}) });
  const live = sampleBody();
  await signed.append(live);
  if (options.shadow) {
    await signed.append(createAuditEvent(sampleDecision(), { subjectId: 'user-1', text: 'nsfw story please', keys: TEST_HMAC_KEYS, shadowOf: live.decisionId }));
    await signed.append(sampleBody());
  }
  await signed.close();
  const unsigned = await createFileAuditSink({ dir: join(dir, 'unsigned'), writerId: 'gw' });
  await unsigned.append(sampleBody());
  await unsigned.close();
  await mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys', 'audit.pub.pem'), keys.publicKeyPem);
  for (const [name, pair] of Object.entries(options.others ?? {})) await writeFile(join(dir, 'keys', `${name}.pub.pem`), pair.publicKeyPem);
}
