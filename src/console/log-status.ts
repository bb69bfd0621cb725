import { readFile } from 'node:fs/promises';
import { addToAuditAggregate, createAuditAggregate, type AuditAggregate } from '../audit/audit-report.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { AuditFinding } from '../audit/audit-finding.js';
import type { AuditVerifyReport } from '../audit/log-verifier.js';
import { openCheckpointWitness } from '../audit/open-checkpoint-witness.js';
import { verifyAuditLog, type AuditLogSource } from '../audit/verify-audit-log.js';

export const UNKNOWN_TENANT = '(unknown)';

/** The audit log as the console shows it on every page: verified, and counted in the same pass. */
export interface LogStatus {
  /** `none`: the gateway keeps no audit log; `unreadable`: verifying threw (the message says why). */
  state: 'valid' | 'warnings' | 'invalid' | 'none' | 'unreadable';
  checkedAt: Date;
  report?: AuditVerifyReport;
  aggregate?: AuditAggregate;
  /** The same counts per tenant (decisions only; `(unknown)` for records without facts). */
  byTenant?: Map<string, AuditAggregate>;
  /** Errors first, then warnings. */
  findings: AuditFinding[];
  message?: string;
}

export interface LogStatusSource {
  source: AuditLogSource;
  publicKeyPath?: string;
  witnessSpec?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface LogStatusCache {
  /** The cached status while it is fresh, else a new verification (callers at once share one). */
  get(): Promise<LogStatus>;
  /** Forget the cached status (after the console itself changed what it shows). */
  invalidate(): void;
}

/**
 * Verifies the log with `verifyAuditLog` (chains, signed checkpoints with the log's public key,
 * the witness when one is configured) at most once per `ttlMs`, aggregating the records as the
 * auditor's HTML report does. `live`: records after a running writer's last checkpoint are a
 * warning, since the gateway itself is writing.
 */
export function createLogStatusCache(log: LogStatusSource | undefined, ttlMs: number, now: () => Date = () => new Date()): LogStatusCache {
  let cached: { at: number; status: Promise<LogStatus> } | undefined;
  const run = async (): Promise<LogStatus> => {
    const checkedAt = now();
    if (!log) return { state: 'none', checkedAt, findings: [], message: 'this gateway keeps no audit log (`audit` is disabled or not configured)' };
    const aggregate = createAuditAggregate();
    const byTenant = new Map<string, AuditAggregate>();
    const add = (event: AuditEvent, problems: readonly string[]): void => {
      addToAuditAggregate(aggregate, event, problems);
      if (event.kind !== 'decision') return;
      const tenant = event.facts?.request.tenant ?? UNKNOWN_TENANT;
      let agg = byTenant.get(tenant);
      if (!agg) byTenant.set(tenant, (agg = createAuditAggregate()));
      addToAuditAggregate(agg, event, problems);
    };
    const witness = log.witnessSpec ? openCheckpointWitness(log.witnessSpec, { cwd: log.cwd, env: { ...log.env } }) : undefined;
    try {
      const publicKey = log.publicKeyPath ? await readFile(log.publicKeyPath, 'utf8').catch(() => undefined) : undefined;
      const report = await verifyAuditLog(log.source, {
        live: true,
        ...(publicKey ? { publicKey } : {}),
        ...(witness ? { witness } : {}),
        onRecord: (event, _line, problems) => add(event, problems),
      });
      const errors = report.findings.filter((f) => f.severity === 'error');
      const warnings = report.findings.filter((f) => f.severity === 'warning');
      return { state: !report.ok ? 'invalid' : warnings.length > 0 ? 'warnings' : 'valid', checkedAt, report, aggregate, byTenant, findings: [...errors, ...warnings] };
    } catch (err) {
      return { state: 'unreadable', checkedAt, findings: [], message: (err as Error).message };
    } finally {
      await witness?.close().catch(() => undefined);
    }
  };
  return {
    get() {
      const t = now().getTime();
      if (!cached || t - cached.at >= ttlMs) cached = { at: t, status: run() };
      return cached.status;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
