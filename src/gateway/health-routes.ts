import { policyRef, type GatewayHost } from './gateway-host.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: unknown }>;
}

/**
 * `/readyz`: policies loaded (and the last reload, if it was refused), the audit sink writing, the
 * consent store and the single-use token store (`issuers.replay`) answering. An upstream model is not checked: it is optional per request.
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
  const probe = async (name: string, answer: () => Promise<unknown>): Promise<void> => {
    try {
      await Promise.race([answer(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref())]);
      checks[name] = { ok: true };
    } catch (err) {
      checks[name] = { ok: false, detail: (err as Error).message };
    }
  };
  const store = host.subjects.consentStore;
  const replay = host.subjects.replayStore;
  // Every single-use token is refused while its store is down: not ready, and said why.
  await Promise.all([store ? probe('consent', () => store.events('saferoute-readyz-probe')) : undefined, replay ? probe('replay', () => replay.probe()) : undefined]);
  if (draining) checks.shutdown = { ok: false, detail: 'draining: the gateway is shutting down' };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
