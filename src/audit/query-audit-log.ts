import type { Category } from '../taxonomy/categories.js';
import type { AuditEvent, AuditEventKind } from './audit-event.js';
import { readAuditRecords, type AuditRecordRead } from './read-audit-records.js';
import type { AuditLogSource } from './verify-audit-log.js';
import { toMs } from './verify-audit-log.js';

export interface AuditQuery {
  from?: Date | string | number;
  to?: Date | string | number;
  /** The policy's verdict (`route` | `block`); in monitor mode see the record's `effective`. */
  outcome?: string;
  /** Matches the decided target or the effective one. */
  target?: string;
  /** Matches a determining or a matched rule. */
  rule?: string;
  /** Decisions whose score for this category is at least `minScore`. */
  category?: Category | string;
  minScore?: number;
  unmet?: string;
  policyRevision?: string;
  /** The HMAC pseudonym of the subject (see `AuditHmacKeys.pseudonymize`). */
  subject?: string;
  /** The caller's request id (`requestId`, e.g. a `check --file` line's `id`). */
  requestId?: string;
  decisionId?: string;
  stage?: string;
  /**
   * Shadow decisions (a candidate policy's verdict, never enforced): `include` (the default) keeps
   * them beside the live ones, `exclude` leaves them out, `only` returns nothing else.
   */
  shadow?: AuditShadowFilter;
  /** Record kinds to return; decisions only by default. */
  kinds?: AuditEventKind[] | 'all';
}

export const DEFAULT_MIN_SCORE = 0.5;

export const AUDIT_SHADOW_FILTERS = ['include', 'exclude', 'only'] as const;
export type AuditShadowFilter = (typeof AUDIT_SHADOW_FILTERS)[number];

export function matchesAuditQuery(event: AuditEvent, query: AuditQuery): boolean {
  const kinds = query.kinds ?? ['decision'];
  if (kinds !== 'all' && !kinds.includes(event.kind)) return false;
  const decisionFilters =
    query.outcome ?? query.target ?? query.rule ?? query.category ?? query.unmet ?? query.policyRevision ?? query.subject ?? query.decisionId ?? query.stage ?? query.requestId;
  if (event.kind !== 'decision') return decisionFilters === undefined && query.shadow !== 'only';
  if (query.shadow === 'exclude' && event.shadow === true) return false;
  if (query.shadow === 'only' && event.shadow !== true) return false;
  if (query.outcome !== undefined && event.outcome !== query.outcome) return false;
  if (query.target !== undefined && event.target !== query.target && event.effective?.target !== query.target) return false;
  if (query.rule !== undefined && !event.determiningRules?.includes(query.rule) && !event.matchedRules?.includes(query.rule)) return false;
  if (query.category !== undefined) {
    const score = (event.scores as Record<string, number | undefined> | undefined)?.[query.category];
    if (score == null || score < (query.minScore ?? DEFAULT_MIN_SCORE)) return false;
  }
  if (query.unmet !== undefined && !event.unmet?.some((u) => u.code === query.unmet)) return false;
  if (query.policyRevision !== undefined && event.policy?.revision !== query.policyRevision) return false;
  if (query.subject !== undefined && event.subject?.pseudonym !== query.subject) return false;
  if (query.decisionId !== undefined && event.decisionId !== query.decisionId) return false;
  if (query.stage !== undefined && event.stage !== query.stage) return false;
  if (query.requestId !== undefined && event.requestId !== query.requestId) return false;
  return true;
}

/**
 * Streams the matching records in time order. `observe` sees every record read, matching or not
 * (the CLI learns from it which rules and targets the log names).
 */
export async function* queryAuditLog(source: AuditLogSource, query: AuditQuery = {}, observe?: (event: AuditEvent) => void): AsyncGenerator<AuditRecordRead> {
  const from = toMs(query.from);
  const to = toMs(query.to);
  for await (const rec of readAuditRecords(source, {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(query.decisionId !== undefined ? { decisionId: query.decisionId } : {}),
  })) {
    observe?.(rec.event);
    if (matchesAuditQuery(rec.event, query)) yield rec;
  }
}
