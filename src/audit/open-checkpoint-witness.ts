import { isAbsolute, resolve } from 'node:path';
import { AuditConfigError } from './audit-error.js';
import type { CheckpointWitness } from './checkpoint-witness.js';
import { createFileCheckpointWitness } from './file-checkpoint-witness.js';
import { createHttpCheckpointWitness } from './http-checkpoint-witness.js';
import { createPgCheckpointWitness } from './pg-checkpoint-witness.js';

/**
 * A witness from one string, as `--witness W` and `SAFEROUTE_AUDIT_WITNESS` give it:
 * `postgres://…` (optional `?schema=NAME&log=NAME`), `http(s)://…` (a bearer token from
 * `SAFEROUTE_AUDIT_WITNESS_TOKEN`), anything else a directory.
 */
export function openCheckpointWitness(spec: string, options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CheckpointWitness {
  const trimmed = spec.trim();
  if (trimmed === '') throw new AuditConfigError('the checkpoint witness is empty: give a directory, a postgres:// URL or an http(s):// URL');
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const url = new URL(trimmed);
    const schema = url.searchParams.get('schema') ?? undefined;
    const log = url.searchParams.get('log') ?? undefined;
    url.searchParams.delete('schema');
    url.searchParams.delete('log');
    return createPgCheckpointWitness({ connectionString: url.toString(), ...(schema ? { schema } : {}), ...(log ? { log } : {}) });
  }
  if (/^https?:\/\//i.test(trimmed)) {
    const token = options.env?.['SAFEROUTE_AUDIT_WITNESS_TOKEN'];
    return createHttpCheckpointWitness({ url: trimmed, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) throw new AuditConfigError(`the checkpoint witness \`${trimmed}\` has an unknown scheme: use a directory, postgres:// or http(s)://`);
  return createFileCheckpointWitness({ dir: isAbsolute(trimmed) ? trimmed : resolve(options.cwd ?? process.cwd(), trimmed) });
}
