import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { fastCounter, fastGauge, fastHistogram } from './fast-labels.js';
import type { GuardObserver } from './guard-events.js';

export interface MetricsOptions {
  /** Register into this registry (default: a new one, so two hosts in a process never collide). */
  registry?: Registry;
  /** Metric name prefix (default `saferoute_`). */
  prefix?: string;
  /** Also collect prom-client's process and Node.js metrics (default false). */
  defaultMetrics?: boolean;
}

export interface HttpRequestEvent {
  /** The route pattern (`/v1/chat/completions`), never the raw path. */
  route: string;
  method: string;
  status: number;
  seconds: number;
  tenant?: string;
}

/**
 * Prometheus metrics over what the guard and the gateway do. `observer` plugs into
 * `createGuard({ observers: [metrics.observer] })`; `text()` is the exposition a host serves at
 * `/metrics` with `contentType`.
 */
export interface SaferouteMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  readonly observer: GuardObserver;
  text(): Promise<string>;
  /** Call when a request starts; call the returned function with its status when it ends. */
  httpRequest(route: string, method: string): (status: number, tenant?: string) => void;
  /** A policy (re)load: `ok` swapped in, `invalid` refused (the old one keeps serving). */
  policyReload(tenant: string, result: 'ok' | 'invalid'): void;
  /** The revision a tenant is serving now (one series per tenant, value 1). */
  policyActive(tenant: string, policy: { id: string; revision: string; sha256: string }): void;
}

const LATENCY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PROVIDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const HTTP_SECONDS_BUCKETS = [...LATENCY_BUCKETS.slice(0, -1), ...PROVIDER_BUCKETS.filter((b) => b > 5)];

export function createMetrics(options: MetricsOptions = {}): SaferouteMetrics {
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? 'saferoute_';
  const registers = [registry];
  if (options.defaultMetrics) {
    // Loaded here, not at the top: most hosts never ask for them.
    void import('prom-client').then(({ collectDefaultMetrics }) => collectDefaultMetrics({ register: registry, prefix: p }));
  }

  const decisions = new Counter({
    name: `${p}decisions_total`,
    help: 'Decisions by stage, outcome (as enforced), target, policy, tenant and mode.',
    labelNames: ['stage', 'outcome', 'target', 'policy', 'revision', 'tenant', 'mode'] as const,
    registers,
  });
  const decisionSeconds = new Histogram({
    name: `${p}decision_duration_seconds`,
    help: 'Time to decide, classification included, by stage.',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const blocksByReason = new Counter({
    name: `${p}blocks_total`,
    help: 'Blocks by stage and reason (rule reason, unmet_requirements, classifier_error, audit_failed, …).',
    labelNames: ['stage', 'reason', 'tenant'] as const,
    registers,
  });
  const unmet = new Counter({
    name: `${p}unmet_requirements_total`,
    help: 'Unmet requirements by code and target.',
    labelNames: ['code', 'target'] as const,
    registers,
  });
  const classifierSeconds = new Histogram({
    name: `${p}classifier_duration_seconds`,
    help: 'Classification latency by classifier, stage and status.',
    labelNames: ['classifier', 'stage', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const classifierFailures = new Counter({
    name: `${p}classifier_failures_total`,
    help: 'Classifier failures by classifier and code (each one is handled by onClassifierError).',
    labelNames: ['classifier', 'code'] as const,
    registers,
  });
  const providerSeconds = new Histogram({
    name: `${p}provider_duration_seconds`,
    help: 'Model calls by target, provider, streaming and outcome, until the answer was complete.',
    labelNames: ['target', 'provider', 'streaming', 'outcome'] as const,
    buckets: PROVIDER_BUCKETS,
    registers,
  });
  const auditSeconds = new Histogram({
    name: `${p}audit_append_duration_seconds`,
    help: 'Durable audit appends (a decision is released only after its record is durable).',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const auditFailures = new Counter({
    name: `${p}audit_append_failures_total`,
    help: 'Audit appends that failed (each one blocked its request: fail closed).',
    registers,
  });
  const streamReleasedChars = new Counter({
    name: `${p}stream_released_chars_total`,
    help: 'Characters of streamed answers released after a passed check, by target.',
    labelNames: ['target'] as const,
    registers,
  });
  const streamReleases = new Counter({
    name: `${p}stream_releases_total`,
    help: 'Releases of checked text in streamed answers, by target.',
    labelNames: ['target'] as const,
    registers,
  });
  const streamBlocks = new Counter({
    name: `${p}stream_blocks_total`,
    help: 'Streamed answers stopped by an output check, by target.',
    labelNames: ['target'] as const,
    registers,
  });
  const observerErrors = new Counter({
    name: `${p}observer_errors_total`,
    help: 'Errors thrown by onDecision hooks and other observers (never passed to the request).',
    labelNames: ['hook'] as const,
    registers,
  });
  const httpRequests = new Counter({
    name: `${p}http_requests_total`,
    help: 'Gateway HTTP requests by route, method, status and tenant.',
    labelNames: ['route', 'method', 'status', 'tenant'] as const,
    registers,
  });
  const httpSeconds = new Histogram({
    name: `${p}http_request_duration_seconds`,
    help: 'Gateway HTTP request latency by route and method (streams: until the last byte).',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_SECONDS_BUCKETS,
    registers,
  });
  const httpInFlight = new Gauge({
    name: `${p}http_requests_in_flight`,
    help: 'Gateway HTTP requests in progress.',
    labelNames: ['route'] as const,
    registers,
  });
  const reloads = new Counter({
    name: `${p}policy_reloads_total`,
    help: 'Policy reloads by tenant and result (invalid: the previous policy keeps serving).',
    labelNames: ['tenant', 'result'] as const,
    registers,
  });
  const active = new Gauge({
    name: `${p}policy_active`,
    help: 'The policy revision each tenant serves (value 1).',
    labelNames: ['tenant', 'policy', 'revision', 'sha256'] as const,
    // Several worker processes serving one revision still serve it once.
    aggregator: 'max',
    registers,
  });
  const activeByTenant = new Map<string, Record<string, string>>();
  // The metrics every request touches, updated by label set without prom-client's per-call
  // label validation and hashing (the same state, read by the same exposition). \u0001 cannot
  // occur in the label values joined into a key.
  const decisionsBy = fastCounter(decisions);
  const decisionSecondsBy = fastHistogram(decisionSeconds, LATENCY_BUCKETS);
  const classifierSecondsBy = fastHistogram(classifierSeconds, LATENCY_BUCKETS);
  const providerSecondsBy = fastHistogram(providerSeconds, PROVIDER_BUCKETS);
  const httpRequestsBy = fastCounter(httpRequests);
  const httpSecondsBy = fastHistogram(httpSeconds, HTTP_SECONDS_BUCKETS);
  const httpInFlightBy = fastGauge(httpInFlight);

  const observer: GuardObserver = {
    decision({ decision, tenant }) {
      const t = tenant ?? '';
      const stage = decision.stage;
      const outcome = decision.effective.outcome;
      const target = decision.effective.target ?? '';
      const { id: policy, revision } = decision.policy;
      const mode = decision.mode;
      decisionsBy(`${stage}\u0001${outcome}\u0001${target}\u0001${policy}\u0001${revision}\u0001${t}\u0001${mode}`, () => ({ stage, outcome, target, policy, revision, tenant: t, mode }));
      decisionSecondsBy(stage, () => ({ stage }), decision.latencyMs / 1000);
      if (decision.effective.outcome === 'block') blocksByReason.inc({ stage: decision.stage, reason: decision.reason ?? 'blocked', tenant: t });
      for (const u of decision.unmet) unmet.inc({ code: u.code, target: u.target });
    },
    classifierCall(e) {
      classifierSecondsBy(`${e.classifier}\u0001${e.stage}\u0001${e.status}`, () => ({ classifier: e.classifier, stage: e.stage, status: e.status }), e.seconds);
      if (e.status === 'failed') classifierFailures.inc({ classifier: e.classifier, code: e.code ?? 'unknown' });
    },
    providerCall(e) {
      const streaming = String(e.streaming);
      providerSecondsBy(`${e.target}\u0001${e.provider}\u0001${streaming}\u0001${e.outcome}`, () => ({ target: e.target, provider: e.provider, streaming, outcome: e.outcome }), e.seconds);
    },
    auditAppend(e) {
      auditSeconds.observe(e.seconds);
      if (!e.ok) auditFailures.inc();
    },
    stream(e) {
      if (e.type === 'release') {
        streamReleases.inc({ target: e.target });
        streamReleasedChars.inc({ target: e.target }, e.chars);
      } else streamBlocks.inc({ target: e.target });
    },
    observerError(where) {
      observerErrors.inc({ hook: where });
    },
  };

  return {
    registry,
    contentType: registry.contentType,
    observer,
    text: () => registry.metrics(),
    httpRequest(route, method) {
      const started = performance.now();
      const inFlight = (): { route: string } => ({ route });
      httpInFlightBy(route, inFlight, 1);
      let ended = false;
      return (status, tenant) => {
        if (ended) return;
        ended = true;
        httpInFlightBy(route, inFlight, -1);
        const code = String(status);
        const t = tenant ?? '';
        httpRequestsBy(`${route}\u0001${method}\u0001${code}\u0001${t}`, () => ({ route, method, status: code, tenant: t }));
        httpSecondsBy(`${route}\u0001${method}`, () => ({ route, method }), (performance.now() - started) / 1000);
      };
    },
    policyReload(tenant, result) {
      reloads.inc({ tenant, result });
    },
    policyActive(tenant, policy) {
      const previous = activeByTenant.get(tenant);
      if (previous) active.remove(previous);
      const labels = { tenant, policy: policy.id, revision: policy.revision, sha256: policy.sha256 };
      active.set(labels, 1);
      activeByTenant.set(tenant, labels);
    },
  };
}
