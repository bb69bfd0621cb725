import { policyRef, type GatewayHost } from './gateway-host.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: unknown }>;
}

/**
 * `/readyz`: policies loaded (and the last reload, if it was refused), the audit sink writing, the
 * consent store answering. An upstream model is not checked: it is optional per request.
 */
export async function readiness(host: GatewayHost, draining: boolean): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  const state = host.state;
  checks.policies = {
    ok: state.tenants.size > 0,
    detail: [...state.tenants.values()].map((t) => ({ tenant: t.id, ...policyRef(t), generation: state.generation })),
  };
  const refused = host.lastRefusedReload;
  // A refused reload leaves the previous policies serving: ready, and the problems are shown.
  if (refused) checks.reload = { ok: true, detail: { refused: true, at: refused.at, problems: refused.problems } };
  if (host.audit) {
    const h = host.audit.health();
    checks.audit = { ok: h.status === 'ok' || h.status === 'degraded', detail: { status: h.status, sink: h.sink, writer: h.writer, ...(h.failure ? { failure: h.failure } : {}) } };
  }
  const store = host.subjects.consentStore;
  if (store) {
    try {
      await Promise.race([store.events('saferoute-readyz-probe'), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref())]);
      checks.consent = { ok: true };
    } catch (err) {
      checks.consent = { ok: false, detail: (err as Error).message };
    }
  }
  if (draining) checks.shutdown = { ok: false, detail: 'draining: the gateway is shutting down' };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
