import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { POLICY_ARCHIVE_DIR_NAME, readArchivedPolicy } from '../audit/policy-archive.js';
import type { AuditLogSource } from '../audit/verify-audit-log.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { diffPolicies } from '../policy-diff/diff-policies.js';
import type { PolicyDiff } from '../policy-diff/policy-change.js';
import { readPolicySignature } from '../policy-signing/read-policy-signature.js';
import { signatureFileFor, type PolicySignature, type PolicySignedBy } from '../policy-signing/policy-signature.js';

/** What the Policies page shows about one tenant's live policy. */
export interface PolicyView {
  tenant: string;
  file: string;
  policy: EvaluablePolicy;
  signature:
    | { state: 'verified'; signedBy: PolicySignedBy }
    | { state: 'signed'; signature: PolicySignature; matches: boolean }
    | { state: 'unsigned' }
    | { state: 'malformed'; message: string };
  /** The newest other revision of this policy id in the audit log's archive, and what changed since. */
  previous: { policy: EvaluablePolicy; diff: PolicyDiff } | { none: string };
  /** Revision files saved beside the live one (by the console or by hand), not yet served. */
  saved: { file: string; signed: boolean }[];
}

export async function policyView(tenant: string, file: string, policy: EvaluablePolicy, source: AuditLogSource | undefined): Promise<PolicyView> {
  return {
    tenant,
    file,
    policy,
    signature: await signatureOf(file, policy),
    previous: await previousRevision(policy, source),
    saved: await savedRevisions(file),
  };
}

async function signatureOf(file: string, policy: EvaluablePolicy): Promise<PolicyView['signature']> {
  // Loaded under requireSignedPolicies: the signature was verified against trusted keys at load.
  if (policy.signedBy) return { state: 'verified', signedBy: policy.signedBy };
  const read = await readPolicySignature(signatureFileFor(file));
  if (!read.ok) return read.missing ? { state: 'unsigned' } : { state: 'malformed', message: read.message };
  return { state: 'signed', signature: read.signature, matches: read.signature.policy.sha256 === policy.sha256 };
}

/**
 * The revision before the live one: every policy that decided something is archived with the log
 * by its SHA-256, so the newest archived revision of the same id that is not the live one.
 */
async function previousRevision(policy: EvaluablePolicy, source: AuditLogSource | undefined): Promise<PolicyView['previous']> {
  if (!source) return { none: 'the gateway keeps no audit log, so no earlier revision is archived' };
  if (!('dir' in source)) return { none: 'earlier revisions are looked up in a directory log’s archive only' };
  const names = await readdir(join(source.dir, POLICY_ARCHIVE_DIR_NAME)).catch(() => [] as string[]);
  const candidates: EvaluablePolicy[] = [];
  for (const name of names) {
    const sha = /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
    if (!sha || sha === policy.sha256) continue;
    const found = await readArchivedPolicy(source, sha);
    if (found.ok && found.policy.id === policy.id && found.policy.revision !== policy.revision) candidates.push(found.policy);
  }
  candidates.sort((a, b) => b.revision.localeCompare(a.revision, 'en', { numeric: true }));
  const prev = candidates[0];
  if (!prev) return { none: 'no other revision of this policy has decided anything yet (none is archived with the log)' };
  return { policy: prev, diff: diffPolicies(prev, policy, { oldFile: `archived ${prev.revision}`, newFile: `live ${policy.revision}` }) };
}

/** `acme.json` → the other `acme.*.json` beside it, tests and signatures aside. */
async function savedRevisions(file: string): Promise<PolicyView['saved']> {
  const dir = dirname(file);
  const stem = basename(file).replace(/\.json$/i, '');
  const names = await readdir(dir).catch(() => [] as string[]);
  const saved = names.filter((n) => n.startsWith(`${stem}.`) && n.endsWith('.json') && !/\.(sig|tests)\.json$/i.test(n) && n !== basename(file)).sort();
  return saved.map((n) => ({ file: join(dir, n), signed: names.includes(n.replace(/\.json$/i, '.sig.json')) }));
}
