import { describe, expect, it, vi } from 'vitest';
import { createMetrics } from './create-metrics.js';
import { combineObservers } from './notify-observers.js';
import type { Decision } from '../decision/decision.js';

const decision = (over: Partial<Decision> = {}): Decision => ({
  decisionId: '0190-x',
  stage: 'input',
  outcome: 'block',
  effective: { outcome: 'block' },
  reason: 'minors',
  determiningRules: ['minors-block'],
  matchedRules: ['minors-block'],
  unmet: [{ code: 'age_verification_required', target: 'restricted', detail: 'no evidence' }],
  warnings: [],
  scores: {},
  evidence: [],
  classifierErrors: [],
  policy: { id: 'default', revision: '7', sha256: 'abc' },
  mode: 'enforce',
  decidedAt: '2026-12-01T00:00:00Z',
  latencyMs: 0.2,
  ...over,
});

describe('createMetrics', () => {
  it('counts decisions, blocks and unmet requirements with their labels', async () => {
    const m = createMetrics();
    m.observer.decision?.({ decision: decision(), tenant: 'acme' });
    m.observer.decision?.({ decision: decision({ outcome: 'route', effective: { outcome: 'route', target: 'sfw' }, unmet: [] }), tenant: 'acme' });
    const text = await m.text();
    expect(text).toContain('saferoute_decisions_total{stage="input",outcome="block",target="",policy="default",revision="7",tenant="acme",mode="enforce"} 1');
    expect(text).toContain('saferoute_decisions_total{stage="input",outcome="route",target="sfw",policy="default",revision="7",tenant="acme",mode="enforce"} 1');
    expect(text).toContain('saferoute_blocks_total{stage="input",reason="minors",tenant="acme"} 1');
    expect(text).toContain('saferoute_unmet_requirements_total{code="age_verification_required",target="restricted"} 1');
    expect(text).toContain('saferoute_decision_duration_seconds_count{stage="input"} 2');
  });

  it('records classifier, provider, audit, stream and HTTP figures', async () => {
    const m = createMetrics();
    m.observer.classifierCall?.({ classifier: 'embedded', stage: 'input', status: 'failed', code: 'timeout', seconds: 0.01 });
    m.observer.providerCall?.({ target: 'sfw', provider: 'openai', streaming: true, outcome: 'ok', seconds: 0.3 });
    m.observer.auditAppend?.({ ok: false, seconds: 0.002 });
    m.observer.stream?.({ type: 'release', chars: 120, target: 'sfw' });
    m.observer.stream?.({ type: 'block', target: 'sfw', releasedChars: 120 });
    const end = m.httpRequest('/v1/chat/completions', 'POST');
    expect(await m.text()).toContain('saferoute_http_requests_in_flight{route="/v1/chat/completions"} 1');
    end(200, 'acme');
    end(500); // a second end is ignored
    const text = await m.text();
    expect(text).toContain('saferoute_classifier_failures_total{classifier="embedded",code="timeout"} 1');
    expect(text).toContain('saferoute_provider_duration_seconds_count{target="sfw",provider="openai",streaming="true",outcome="ok"} 1');
    expect(text).toContain('saferoute_audit_append_failures_total 1');
    expect(text).toContain('saferoute_stream_released_chars_total{target="sfw"} 120');
    expect(text).toContain('saferoute_stream_blocks_total{target="sfw"} 1');
    expect(text).toContain('saferoute_http_requests_total{route="/v1/chat/completions",method="POST",status="200",tenant="acme"} 1');
    expect(text).toContain('saferoute_http_requests_in_flight{route="/v1/chat/completions"} 0');
  });

  it('keeps one active-policy series per tenant across reloads', async () => {
    const m = createMetrics();
    m.policyActive('acme', { id: 'p', revision: '1', sha256: 'a' });
    m.policyActive('acme', { id: 'p', revision: '2', sha256: 'b' });
    m.policyReload('acme', 'invalid');
    const text = await m.text();
    expect(text).not.toContain('revision="1"');
    expect(text).toContain('saferoute_policy_active{tenant="acme",policy="p",revision="2",sha256="b"} 1');
    expect(text).toContain('saferoute_policy_reloads_total{tenant="acme",result="invalid"} 1');
  });

  it('two instances never share series', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observer.auditAppend?.({ ok: false, seconds: 0 });
    expect(await b.text()).toContain('saferoute_audit_append_failures_total 0');
  });
});

describe('combineObservers', () => {
  it('reports what an observer throws or rejects, and still calls the others', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const m = createMetrics();
    const all = combineObservers(
      [
        { decision: () => { throw new Error('boom'); } },
        { decision: () => Promise.reject(new Error('later')) as unknown as void },
        { decision: (e) => void seen.push(e.decision.decisionId) },
        m.observer,
      ],
      (where, error) => errors.push(`${where}: ${(error as Error).message}`),
    );
    expect(() => all.decision({ decision: decision() })).not.toThrow();
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(seen).toEqual(['0190-x']);
    expect(errors).toEqual(['decision: boom', 'decision: later']);
    expect(await m.text()).toContain('saferoute_observer_errors_total{hook="decision"} 2');
  });
});
