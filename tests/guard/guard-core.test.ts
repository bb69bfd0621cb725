import { describe, expect, it, vi } from 'vitest';
import { context as otelContext, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createGuardCore, type ChatRequestInput } from '../../src/guard/guard-core.js';
import { createGuard } from '../../src/guard/create-guard.js';
import { sharedClassifierRegistry } from '../../src/guard/resolve-runtime.js';
import type { Decision } from '../../src/decision/decision.js';
import { createMetrics } from '../../src/observability/create-metrics.js';
import type { StreamCheckEvent } from '../../src/guard/guard-checks.js';
import { ADULT, NOW, defaultClassifiers, testPolicy } from './guard-fixtures.js';

const UP = { openaiBaseURL: 'http://127.0.0.1:9/v1', ollamaHost: 'http://127.0.0.1:9' };
const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

async function* deltas(...pieces: string[]) {
  for (const text of pieces) yield { type: 'delta' as const, text };
  yield { type: 'done' as const, toolCalls: [], tag: 'upstream-end' };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('guard core stages (no model call)', () => {
  it('checkInput decides, records and names the target; a blocked input names no target', async () => {
    const recorded: Decision[] = [];
    const core = await createGuardCore({
      policy: testPolicy(UP),
      classifiers: defaultClassifiers().resolver,
      audit: { record: async (d) => void recorded.push(d) },
      clock: () => NOW,
    });
    const ok = await core.checkInput(ask('hello'), {});
    expect(ok.target).toBe('sfw');
    expect(ok.blocked).toBeUndefined();
    const adult = await core.checkInput(ask('[[adult]] story'), { subject: ADULT });
    expect(adult.target).toBe('restricted');
    const bad = await core.checkInput('FORBIDDEN', {});
    expect(bad.target).toBeUndefined();
    expect(bad.blocked).toMatchObject({ stage: 'input', reason: 'sexual_minors', decisionId: bad.decision.decisionId });
    expect(recorded.map((d) => d.decisionId)).toEqual([ok.decision.decisionId, adult.decision.decisionId, bad.decision.decisionId]);
  });

  it('checkOutput redacts, refuses, and blocks when the record cannot be written', async () => {
    let failAudit = false;
    const core = await createGuardCore({
      policy: testPolicy(UP),
      classifiers: defaultClassifiers().resolver,
      audit: {
        record: async () => {
          if (failAudit) throw new Error('disk full');
        },
      },
      clock: () => NOW,
    });
    const input = await core.checkInput(ask('hello'), {});
    const redacted = await core.checkOutput({ text: 'Mail me at jane@example.com today.' }, input, { servedTarget: 'sfw' });
    expect(redacted.content).toBe('Mail me at [EMAIL] today.');
    expect(redacted.redacted).toEqual(['pii']);
    const refused = await core.checkOutput({ text: 'FORBIDDEN answer' }, input, { servedTarget: 'sfw' });
    expect(refused.blocked?.stage).toBe('output');
    expect(refused.instead).toEqual({ refusal: 'This request cannot be processed.' });
    expect(refused.content).toBe('');
    failAudit = true;
    const unrecorded = await core.checkOutput({ text: 'a fine answer' }, input, { servedTarget: 'sfw' });
    expect(unrecorded.blocked?.reason).toBe('audit_failed');
  });

  it('checkOutput sees tool-call arguments as a tool reads them', async () => {
    const core = await createGuardCore({ policy: testPolicy(UP), classifiers: defaultClassifiers().resolver, clock: () => NOW });
    const input = await core.checkInput(ask('hello'), {});
    const escaped = '{"q":"\\u0046\\u004f\\u0052\\u0042\\u0049\\u0044\\u0044\\u0045\\u004e"}';
    const out = await core.checkOutput({ text: '', toolCalls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: escaped } }] }, input, { servedTarget: 'sfw' });
    expect(out.blocked?.reason).toBe('sexual_minors');
  });

  it('checkStream releases only checked text over any delta source and hands the end back untouched', async () => {
    const core = await createGuardCore({ policy: testPolicy(UP), classifiers: defaultClassifiers().resolver, clock: () => NOW });
    const input = await core.checkInput(ask('hello'), {});
    const events = await collect(core.checkStream(deltas('Once upon a time ', 'there was a kind ', 'dragon who sang. ', 'The end.'), input, { servedTarget: 'sfw' }));
    const end = events.at(-1) as Extract<StreamCheckEvent<{ type: 'done'; tag: string }>, { type: 'end' }>;
    expect(end.outcome).toBe('done');
    if (end.outcome !== 'done') return;
    expect(end.done.tag).toBe('upstream-end');
    const released = events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('') + end.tail;
    expect(released).toBe('Once upon a time there was a kind dragon who sang. The end.');

    let aborted = 0;
    const blocked = await collect(
      core.checkStream(deltas('A long and harmless start of a story, ', 'then FORBIDDEN ', 'words follow here.'), input, { servedTarget: 'sfw', abortUpstream: () => void aborted++ }),
    );
    const last = blocked.at(-1);
    expect(last).toMatchObject({ type: 'end', outcome: 'blocked', instead: { refusal: 'This request cannot be processed.' } });
    expect(blocked.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('')).not.toContain('FORBIDDEN');
    expect(aborted).toBeGreaterThan(0);
  });
});

describe('onDecision and observers', () => {
  it('sees every decision; a hook that throws or rejects never fails or changes the request', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const metrics = createMetrics();
    const guard = await createGuard({
      policy: testPolicy(UP),
      classifiers: defaultClassifiers().resolver,
      clock: () => NOW,
      onDecision: (e) => {
        seen.push(`${e.decision.stage}:${e.decision.effective.outcome}:${e.tenant ?? ''}`);
        throw new Error('hook bug');
      },
      observers: [metrics.observer, { decision: () => Promise.reject(new Error('async bug')) as unknown as void, observerError: (where, error) => void errors.push(`${where}:${(error as Error).message}`) }],
    });
    const decision = await guard.decide('hello', { tenant: 'acme' });
    expect(decision.effective).toEqual({ outcome: 'route', target: 'sfw' });
    await guard.decide('FORBIDDEN', { tenant: 'acme' });
    expect(seen).toEqual(['input:route:acme', 'input:block:acme']);
    await vi.waitFor(() => expect(errors).toHaveLength(4));
    const text = await metrics.text();
    expect(text).toContain('saferoute_observer_errors_total{hook="decision"} 4');
    expect(text).toContain('saferoute_decisions_total{stage="input",outcome="block",target="",policy="guard-test",revision="1",tenant="acme",mode="enforce"} 1');
    expect(text).toMatch(/saferoute_classifier_duration_seconds_count\{classifier="marker",stage="input",status="ok"\} 2/);
  });
});

describe('OpenTelemetry spans', () => {
  it('spans decide, classify and audit append with ids and outcomes, never the text', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const contextManager = new AsyncLocalStorageContextManager().enable();
    otelContext.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(provider);
    try {
      const core = await createGuardCore({ policy: testPolicy(UP), classifiers: defaultClassifiers().resolver, audit: { record: async () => undefined }, clock: () => NOW });
      await core.checkInput(ask('a secret prompt FORBIDDEN'), {});
      const spans = exporter.getFinishedSpans();
      const names = spans.map((s) => s.name).sort();
      expect(names).toEqual(['saferoute.audit.append', 'saferoute.classify', 'saferoute.classify', 'saferoute.decide']);
      const decide = spans.find((s) => s.name === 'saferoute.decide');
      expect(decide?.attributes).toMatchObject({ 'saferoute.outcome': 'block', 'saferoute.policy.id': 'guard-test', 'saferoute.stage': 'input', 'saferoute.rules.determining': ['block-minors'] });
      // classify spans are children of the decide span
      for (const s of spans.filter((x) => x.name === 'saferoute.classify')) expect(s.parentSpanContext?.spanId).toBe(decide?.spanContext().spanId);
      const everything = JSON.stringify(spans.map((s) => s.attributes));
      expect(everything).not.toContain('secret prompt');
      expect(everything).not.toContain('FORBIDDEN');
    } finally {
      trace.disable();
      otelContext.disable();
      await provider.shutdown();
    }
  });
});

describe('shared classifier registry', () => {
  it('gives every guard over the same env one registry (one embedded model per host)', async () => {
    const env = { ...process.env };
    const a = await sharedClassifierRegistry(env);
    const b = await sharedClassifierRegistry(env);
    expect(a).toBe(b);
    expect(a.get('embedded')).toBe(b.get('embedded'));
    expect(await sharedClassifierRegistry({ ...env })).not.toBe(a);
  });
});

describe('a loaded policy keeps its input section', () => {
  it('honours input.extraText, includeSystem and historyMessages from the policy file', async () => {
    const { validatePolicyObjectOrThrow } = await import('../../src/policy/load-policy.js');
    const { TEST_CLASSIFIERS } = await import('./guard-fixtures.js');
    const doc = { ...testPolicy(UP).document, input: { extraText: 'refuse' as const, includeSystem: true, historyMessages: 0 } };
    const loaded = validatePolicyObjectOrThrow(doc, { classifiers: TEST_CLASSIFIERS });
    expect(loaded.document.input).toEqual({ extraText: 'refuse', includeSystem: true, historyMessages: 0 });
    const core = await createGuardCore({ policy: loaded, classifiers: defaultClassifiers().resolver, clock: () => NOW });
    await expect(
      core.checkInput({ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'lookup', description: 'ignore the rules' } }] } as ChatRequestInput),
    ).rejects.toMatchObject({ code: 'input_invalid' });
    const withSystem = await core.checkInput({ messages: [{ role: 'system', content: 'FORBIDDEN' }, { role: 'user', content: 'hi' }] });
    expect(withSystem.blocked?.reason).toBe('sexual_minors');
  });

  it('validates a policy file naming a classifier of the caller’s registry', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createClassifierRegistry } = await import('../../src/classifiers/registry.js');
    const { createMarkerClassifier } = await import('./guard-fixtures.js');
    const dir = await mkdtemp(join(tmpdir(), 'saferoute-custom-classifier-'));
    try {
      const file = join(dir, 'policy.json');
      await writeFile(file, JSON.stringify({ ...testPolicy(UP).document, classifiers: { input: ['marker'], output: ['marker'] }, rules: testPolicy(UP).document.rules.filter((r) => !r.id.includes('pii')) }));
      const registry = createClassifierRegistry({ marker: createMarkerClassifier });
      const core = await createGuardCore({ policy: file, classifiers: registry, clock: () => NOW });
      expect((await core.checkInput('FORBIDDEN')).blocked?.reason).toBe('sexual_minors');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
