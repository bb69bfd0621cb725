import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { ResolvedPolicy } from '../policy/policy.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { PgPoolLike } from '../db/pg-pool-like.js';
import { ensureDirectory, syncDirectory, writeFully, type AuditFs } from './audit-fs.js';
import { auditPgTables, poolOf, type AuditPgTables } from './pg-tables.js';
import type { AuditLogSource } from './verify-audit-log.js';

/**
 * Every resolved policy that decided something, stored by its SHA-256 beside the log, so an
 * auditor reads the exact rules that decided a record, not today's file:
 *
 *   <dir>/policies/<sha256>.json     the canonical JSON (RFC 8785) of the resolved policy
 *   saferoute_audit_policies         (sha256, policy_id, revision, body) in PostgreSQL
 *
 * The content is its own proof: its SHA-256 is the name the records carry.
 */
export const POLICY_ARCHIVE_DIR_NAME = 'policies';
const SHA256 = /^[0-9a-f]{64}$/;

/** A policy as archived: what it is named by and the canonical bytes hashed to that name. */
export interface ArchivablePolicy {
  id: string;
  revision: string;
  sha256: string;
  canonical: string;
}

export function archivableOf(policy: EvaluablePolicy): ArchivablePolicy {
  return { id: policy.id, revision: policy.revision, sha256: policy.sha256, canonical: canonicalJson(policy.document) };
}

/** Writes `<dir>/policies/<sha256>.json` once: a temporary file, fsync, rename, directory fsync. */
export async function archivePolicyFile(fs: AuditFs, dir: string, policy: ArchivablePolicy): Promise<void> {
  checkDigest(policy);
  const archiveDir = join(dir, POLICY_ARCHIVE_DIR_NAME);
  const path = join(archiveDir, `${policy.sha256}.json`);
  const existing = await fs.readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined && sha256Of(existing) === policy.sha256) return;
  await ensureDirectory(fs, archiveDir);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    await writeFully(handle, Buffer.from(policy.canonical, 'utf8'), 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const { rename, unlink } = await import('node:fs/promises');
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(fs, archiveDir);
}

/** Inserts the policy once (a second insert of the same digest changes nothing). */
export async function archivePolicyPg(pool: PgPoolLike, tables: AuditPgTables, policy: ArchivablePolicy): Promise<void> {
  checkDigest(policy);
  await pool.query(`INSERT INTO ${tables.policies} (sha256, policy_id, revision, body) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`, [
    policy.sha256,
    policy.id,
    policy.revision,
    policy.canonical,
  ]);
}

/** An archived policy, checked against its digest. */
export interface ArchivedPolicy extends EvaluablePolicy {
  readonly canonical: string;
}

export type ArchiveLookup = { ok: true; policy: ArchivedPolicy } | { ok: false; reason: 'missing' | 'digest_mismatch' | 'unreadable'; where: string };

/** Reads the archived policy named `sha256` from the log's archive, and checks its bytes hash to that name. */
export async function readArchivedPolicy(source: AuditLogSource, sha256: string): Promise<ArchiveLookup> {
  if (!SHA256.test(sha256)) return { ok: false, reason: 'missing', where: `policy \`${sha256}\`` };
  let text: string | undefined;
  let where: string;
  if ('dir' in source) {
    where = join(source.dir, POLICY_ARCHIVE_DIR_NAME, `${sha256}.json`);
    const { readFile } = await import('node:fs/promises');
    text = await readFile(where, 'utf8').catch(() => undefined);
  } else {
    const tables = auditPgTables(source.pg.schema);
    where = `${tables.policies} row ${sha256}`;
    const { pool, owned } = poolOf(source.pg, 1);
    try {
      const res = await pool.query<{ body: string }>(`SELECT body FROM ${tables.policies} WHERE sha256 = $1`, [sha256]);
      text = res.rows[0]?.body;
    } finally {
      if (owned) await pool.end();
    }
  }
  if (text === undefined) return { ok: false, reason: 'missing', where };
  if (sha256Of(text) !== sha256) return { ok: false, reason: 'digest_mismatch', where };
  try {
    const document = JSON.parse(text) as ResolvedPolicy;
    return { ok: true, policy: { id: document.id, revision: document.revision, sha256, document, canonical: text } };
  } catch {
    return { ok: false, reason: 'unreadable', where };
  }
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function checkDigest(policy: ArchivablePolicy): void {
  if (!SHA256.test(policy.sha256) || sha256Of(policy.canonical) !== policy.sha256) {
    throw new Error(`the policy \`${policy.id}\` does not hash to its sha256 \`${policy.sha256}\``);
  }
}
