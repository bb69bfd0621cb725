import type { DecisionAuditEvent } from '../audit/audit-event.js';
import { queryAuditLog, type AuditShadowFilter } from '../audit/query-audit-log.js';
import type { AuditLogSource } from '../audit/verify-audit-log.js';

/** The Decisions page's filters, as typed in its form. */
export interface DecisionFilter {
  from?: string;
  to?: string;
  outcome?: string;
  target?: string;
  rule?: string;
  tenant?: string;
  /** The subject's own id: matched through its pseudonym, never stored or shown. */
  subjectId?: string;
  /** Shadow decisions (candidate policies', never enforced): listed marked by default. */
  shadow?: AuditShadowFilter;
}

export interface DecisionList {
  /** Newest first, at most `limit`. */
  rows: DecisionAuditEvent[];
  /** Decisions that matched (all of them, not only those shown). */
  matched: number;
  /** Of `matched`, the shadow decisions. */
  shadowMatched: number;
  /** Names the log holds, for the filter's suggestions. */
  seen: { rules: string[]; targets: string[]; tenants: string[] };
}

/** The tenant a record was decided for (from its facts); undefined for records before facts. */
export function tenantOf(event: DecisionAuditEvent): string | undefined {
  return event.facts?.request.tenant;
}

/**
 * Streams the log once through `queryAuditLog` and keeps the newest matching decisions that
 * `visible` allows (a session sees its own tenant's decisions unless it is an admin).
 */
export async function listDecisions(
  source: AuditLogSource,
  filter: DecisionFilter,
  options: { pseudonymize: (id: string) => string; visible: (tenant: string | undefined) => boolean; limit: number },
): Promise<DecisionList> {
  const rows: DecisionAuditEvent[] = [];
  let matched = 0;
  let shadowMatched = 0;
  const rules = new Set<string>();
  const targets = new Set<string>();
  const tenants = new Set<string>();
  const query = {
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.target ? { target: filter.target } : {}),
    ...(filter.rule ? { rule: filter.rule } : {}),
    ...(filter.subjectId ? { subject: options.pseudonymize(filter.subjectId) } : {}),
    ...(filter.shadow ? { shadow: filter.shadow } : {}),
  };
  const observe = (event: { kind: string }): void => {
    if (event.kind !== 'decision') return;
    const e = event as DecisionAuditEvent;
    if (!options.visible(tenantOf(e))) return;
    for (const r of e.determiningRules) rules.add(r);
    for (const r of e.matchedRules) rules.add(r);
    if (e.target) targets.add(e.target);
    const t = tenantOf(e);
    if (t) tenants.add(t);
  };
  for await (const { event } of queryAuditLog(source, query, observe)) {
    if (event.kind !== 'decision') continue;
    const tenant = tenantOf(event);
    if (!options.visible(tenant)) continue;
    if (filter.tenant && tenant !== filter.tenant) continue;
    matched++;
    if (event.shadow === true) shadowMatched++;
    rows.push(event);
    if (rows.length > options.limit) rows.shift();
  }
  return { rows: rows.reverse(), matched, shadowMatched, seen: { rules: [...rules].sort(), targets: [...targets].sort(), tenants: [...tenants].sort() } };
}
