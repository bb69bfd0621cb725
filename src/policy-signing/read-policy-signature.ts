import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { PolicySignature } from './policy-signature.js';

const SignatureSchema = z
  .object({
    type: z.literal('saferoute-policy-signature'),
    v: z.literal(1),
    algorithm: z.literal('Ed25519'),
    policy: z.object({ id: z.string(), revision: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    signer: z.string().min(1),
    signedAt: z.string().min(1),
    keyId: z.string().min(1),
    signature: z.string().regex(/^[A-Za-z0-9_-]+$/),
  })
  .strict();

export type ReadSignatureResult = { ok: true; signature: PolicySignature } | { ok: false; missing: boolean; message: string };

/** Reads and checks the shape of a signature file; a missing file is `missing`, not an error. */
export async function readPolicySignature(path: string): Promise<ReadSignatureResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', message: code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'error'})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, missing: false, message: 'it is not JSON' };
  }
  const parsed = SignatureSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, missing: false, message: `it is not a policy signature (${first ? `${first.path.join('.') || '/'}: ${first.message}` : 'wrong shape'})` };
  }
  return { ok: true, signature: parsed.data };
}
