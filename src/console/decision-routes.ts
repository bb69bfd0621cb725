import type { Hono } from 'hono';
import { createAuditAggregate } from '../audit/audit-report.js';
import { explainDecision } from '../audit/explain-decision.js';
import { AUDIT_SHADOW_FILTERS, type AuditShadowFilter } from '../audit/query-audit-log.js';
import type { ConsoleDeps, ConsoleEnv } from './console-context.js';
import { canSeeTenant } from './console-scopes.js';
import type { RenderPage } from './create-console.js';
import { listDecisions, type DecisionFilter } from './decision-list.js';
import { html } from './html.js';
import { decisionPage } from './pages/decision-page.js';
import { DECISION_PAGE_LIMIT, decisionsPage } from './pages/decisions-page.js';
import { overviewPage } from './pages/overview-page.js';

/** Overview and Decisions: the audit log, counted and filtered, for the session's tenant (an admin's: all). */
export function registerDecisionRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, render: RenderPage): void {
  const audit = deps.host.audit;
  const logStatus = deps.logStatus;
  app.get('/console', async (c) => {
    const session = c.get('session');
    const status = await logStatus.get();
    const agg = session.role === 'admin' ? status.aggregate : status.byTenant?.get(session.tenant);
    const scope = session.role === 'admin' ? 'Every tenant of this gateway' : `Tenant ${session.tenant}`;
    return render(c, 'Overview', 'overview', overviewPage(agg ?? (status.aggregate ? createAuditAggregate() : undefined), scope));
  });

  app.get('/console/decisions', async (c) => {
    const session = c.get('session');
    const q = c.req.query();
    const filter: DecisionFilter = {};
    for (const [field, param] of [['from', 'from'], ['to', 'to'], ['outcome', 'outcome'], ['target', 'target'], ['rule', 'rule'], ['tenant', 'tenant'], ['subjectId', 'subject']] as const) {
      const v = q[param]?.trim();
      if (v) filter[field] = v;
    }
    const shadow = q['shadow']?.trim();
    if (shadow) filter.shadow = shadow as AuditShadowFilter;
    const showTenant = session.role === 'admin';
    if (!audit) return render(c, 'Decisions', 'decisions', decisionsPage(filter, undefined, 'This gateway keeps no audit log, so there are no decisions to show.', showTenant));
    if (filter.shadow !== undefined && !AUDIT_SHADOW_FILTERS.includes(filter.shadow)) {
      const bad = filter.shadow;
      delete filter.shadow;
      return render(c, 'Decisions', 'decisions', decisionsPage(filter, undefined, `“${bad}” is not a shadow filter: choose include, exclude or only.`, showTenant), 400);
    }
    for (const field of ['from', 'to'] as const) {
      const v = filter[field];
      if (v !== undefined && !Number.isFinite(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))) {
        return render(c, 'Decisions', 'decisions', decisionsPage(filter, undefined, `“${v}” is not a time: write it as 2026-12-05 or 2026-12-05T08:00Z.`, showTenant), 400);
      }
    }
    const list = await listDecisions(audit.source, normaliseTimes(filter), {
      pseudonymize: (id) => audit.pseudonymize(id),
      visible: (tenant) => (tenant === undefined ? session.role === 'admin' : canSeeTenant(session, tenant)),
      limit: DECISION_PAGE_LIMIT,
    });
    return render(c, 'Decisions', 'decisions', decisionsPage(filter, list, undefined, showTenant));
  });

  app.get('/console/decisions/:id', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    const explained = audit && /^[0-9a-f-]{36}$/i.test(id) ? await explainDecision(audit.source, id) : undefined;
    const tenant = explained?.record.facts?.request.tenant;
    if (!explained || !(tenant === undefined ? session.role === 'admin' : canSeeTenant(session, tenant))) {
      return render(c, 'Decision not found', 'decisions', html`<h1>Decision not found</h1><p>No decision <code>${id}</code> that this session may see is in the log. <a href="/console/decisions">Back to the decisions</a>.</p>`, 404);
    }
    return render(c, `Decision ${id.slice(0, 8)}`, 'decisions', decisionPage(explained));
  });
}

/** A date alone means its start (UTC), as the CLI reads it. */
function normaliseTimes(filter: DecisionFilter): DecisionFilter {
  const at = (v: string | undefined): string | undefined => (v === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  const from = at(filter.from);
  const to = at(filter.to);
  return { ...filter, ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
