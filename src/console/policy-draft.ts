import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditLogSource } from '../audit/verify-audit-log.js';
import { createPolicyRuntime, type ClassifierResolver } from '../decision/policy-runtime.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { loadPolicy, loadPolicyText } from '../policy/load-policy.js';
import { shippedPoliciesDir } from '../policy/shipped-policies.js';
import { formatPolicyIssue, type PolicyIssue } from '../policy/policy-issue.js';
import type { Policy } from '../policy/policy.js';
import { diffPolicies } from '../policy-diff/diff-policies.js';
import type { PolicyDiff } from '../policy-diff/policy-change.js';
import { parsePrivateKey } from '../policy-signing/policy-keys.js';
import { signatureFileFor, type PolicySignature } from '../policy-signing/policy-signature.js';
import { signPolicy } from '../policy-signing/sign-policy.js';
import { loadPolicyTestFile } from '../policy-tests/load-policy-test-file.js';
import { runPolicyTests, type PolicyTestReport } from '../policy-tests/run-policy-tests.js';
import { replayAuditLog } from '../replay/replay-audit-log.js';
import type { ReplaySummary } from '../replay/replay-summary.js';

/** A problem as `saferoute validate` prints it, with its position for the editor to jump to. */
export interface DraftProblem {
  severity: 'error' | 'warning';
  line: number;
  column: number;
  text: string;
}

export interface DraftCheck {
  ok: boolean;
  problems: DraftProblem[];
  summary: string;
  policy?: Policy;
  /** What the draft changes against the live policy. */
  diff?: PolicyDiff;
}

/** `acme.json` → `acme.draft.json`: the name problems are reported under (the draft is not a file yet). */
export function draftFileName(liveFile: string): string {
  return basename(liveFile).replace(/\.json$/i, '') + '.draft.json';
}

/** Validates draft text exactly as `saferoute validate` would validate it as a file beside the live one. */
export async function checkDraft(text: string, liveFile: string, live: EvaluablePolicy): Promise<DraftCheck> {
  const name = draftFileName(liveFile);
  const result = await loadPolicyText(text, name, join(dirname(liveFile), name));
  const problems = (result.ok ? result.warnings : result.issues).map(problemOf);
  if (!result.ok) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    return { ok: false, problems, summary: `invalid: ${errors} error${errors === 1 ? '' : 's'}` };
  }
  const p = result.policy;
  const diff = diffPolicies(live, p, { oldFile: `live ${live.revision}`, newFile: `draft ${p.revision}` });
  return {
    ok: true,
    problems,
    policy: p,
    diff,
    summary: `valid: ${p.id}@${p.revision}, ${p.document.rules.length} rules, ${Object.keys(p.document.targets).length} targets; ${diff.equal ? 'no change from the live policy' : `${diff.summary.changes} change(s) from the live policy (${diff.summary.stricter} stricter, ${diff.summary.looser} looser)`}`,
  };
}

function problemOf(issue: PolicyIssue): DraftProblem {
  return { severity: issue.severity, line: issue.line, column: issue.column, text: formatPolicyIssue(issue) };
}

/** `acme.json` → `acme.tests.json`, as `saferoute test` finds it. */
export function testsFileFor(liveFile: string): string {
  return liveFile.replace(/\.json$/i, '') + '.tests.json';
}

export type DraftTests = { ok: true; file: string; report: PolicyTestReport } | { ok: false; file: string; problems: string[] };

/** Runs the live policy's tests (`NAME.tests.json` beside it) against the draft, with the draft's classifiers. */
export async function testDraft(policy: EvaluablePolicy, liveFile: string, classifiers: ClassifierResolver): Promise<DraftTests> {
  const file = testsFileFor(liveFile);
  const loaded = await loadPolicyTestFile(file, { display: basename(file), policy });
  if (!loaded.ok) return { ok: false, file, problems: loaded.issues.map(formatPolicyIssue) };
  const runtime = createPolicyRuntime(policy, classifiers);
  const report = await runPolicyTests(policy, loaded.file, {
    classifiersFor: (stage) => ({ classifiers: runtime.classifiers(stage), ...(runtime.blocklist ? { blocklist: runtime.blocklist } : {}) }),
  });
  return { ok: true, file, report };
}

/** Decides the tenant's recorded decisions since `since` again under the draft (`saferoute replay`). */
export async function replayDraft(policy: EvaluablePolicy, source: AuditLogSource, tenant: string, since: Date, classifiers: ClassifierResolver): Promise<ReplaySummary> {
  return replayAuditLog(source, { policy, runtime: createPolicyRuntime(policy, classifiers), tenant, from: since.getTime(), workers: 1, sample: 3 });
}

export type SavedRevision = { ok: true; file: string; signatureFile: string; signature: PolicySignature } | { ok: false; message: string };

/**
 * Writes the draft as a new revision file beside the live one (`acme.<revision>.json`) and signs
 * it (`acme.<revision>.sig.json`). Never the live file, never an existing file: a draft whose
 * revision is the live one's, or one already saved, is refused.
 */
export async function saveDraft(text: string, draft: Policy, live: EvaluablePolicy, liveFile: string, key: { file: string; signer: string }): Promise<SavedRevision> {
  if (dirname(liveFile) === shippedPoliciesDir()) return { ok: false, message: 'the live policy is one saferoute ships; copy it into your project, point the tenant’s `policy` at the copy, and edit that' };
  if (draft.id !== live.id) return { ok: false, message: `the draft’s id \`${draft.id}\` is not the live policy’s \`${live.id}\`; keep the id, change the revision` };
  if (draft.revision === live.revision) return { ok: false, message: `the draft still has the live revision \`${live.revision}\`; give it a new \`revision\` before saving` };
  const safe = draft.revision.replace(/[^A-Za-z0-9._-]/g, '-');
  const file = join(dirname(liveFile), `${basename(liveFile).replace(/\.json$/i, '')}.${safe}.json`);
  if (file === liveFile) return { ok: false, message: 'the revision file would be the live file; choose another revision' };
  let keyText: string;
  try {
    keyText = await readFile(key.file, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read the signing key \`${key.file}\` (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    await writeFile(file, text.endsWith('\n') ? text : text + '\n', { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, message: `\`${basename(file)}\` exists already: revision \`${draft.revision}\` was saved before; give the draft a new revision` };
    throw err;
  }
  // Sign what a gateway will load from that file (its `extends` resolved beside it).
  const loaded = await loadPolicy(file);
  if (!loaded.ok || loaded.policy.sha256 !== draft.sha256) {
    await rm(file, { force: true });
    return { ok: false, message: 'the saved file does not load as the checked draft did; nothing was saved' };
  }
  const signature = signPolicy(loaded.policy, parsePrivateKey(keyText, key.file), key.signer);
  const signatureFile = signatureFileFor(file);
  await writeFile(signatureFile, JSON.stringify(signature, null, 2) + '\n', { flag: 'wx' });
  return { ok: true, file, signatureFile, signature };
}
