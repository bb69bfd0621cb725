import { createPiiClassifier } from '../../src/classifiers/pii/index.js';
import { describe, expect, it } from 'vitest';
import { ContentBlockedError, createGuard, type Guard, type GuardOptions } from '../../src/guard/index.js';
import type { Decision } from '../../src/decision/decision.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { ADULT, defaultClassifiers, NOW, OPENAI_KEY_ENV, resolverOf, testPolicy } from './guard-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const env = { [OPENAI_KEY_ENV]: 'sk-test' };

const upstreamCalls = (): number => openai.chatRequests().length + ollama.chatRequests().length;

async function guardWith(overrides: Partial<PolicyDocument> = {}, options: Partial<GuardOptions> = {}): Promise<Guard> {
  return createGuard({
    policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }, overrides),
    classifiers: defaultClassifiers().resolver,
    env,
    clock: () => NOW,
    providerOptions: { maxRetries: 0, timeoutMs: 2_000 },
    ...options,
  });
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'client-asked-model', messages: [{ role: 'user', content }], ...extra });

describe('guard.chat: routing', () => {
  it('routes a benign prompt to the sfw target through openai, with the target’s model', async () => {
    openai.setScript({ text: 'The capital of France is Paris.' });
    const guard = await guardWith();
    const out = await guard.chat(ask('What is the capital of France?', { temperature: 0.3 }));
    expect(out.object).toBe('chat.completion');
    expect(out.choices[0]?.message.content).toBe('The capital of France is Paris.');
    expect(out.choices[0]?.finish_reason).toBe('stop');
    expect(out.saferoute).toMatchObject({ target: 'sfw', warnings: [] });
    expect(out.saferoute.outputDecisionId).toBeTruthy();
    expect(out.saferoute.outputDecisionId).not.toBe(out.saferoute.inputDecisionId);
    expect(out.saferoute.blocked).toBeUndefined();
    expect(openai.chatRequests()).toHaveLength(1);
    expect(ollama.chatRequests()).toHaveLength(0);
    expect(openai.chatRequests()[0]?.json).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.3 });
    expect(openai.chatRequests()[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('routes adult content for a verified, consenting adult to the restricted target through ollama', async () => {
    ollama.setScript({ text: 'An adult answer.' });
    const guard = await guardWith();
    const out = await guard.chat(ask('tell me a [[adult]] story'), { subject: ADULT });
    expect(out.choices[0]?.message.content).toBe('An adult answer.');
    expect(out.saferoute).toMatchObject({ target: 'restricted', warnings: ['adult-content'] });
    expect(ollama.chatRequests()).toHaveLength(1);
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('keeps prompts with personal data on the private target', async () => {
    const guard = await guardWith();
    const out = await guard.chat(ask('my email is jane.doe@example.com, draft a reply'));
    expect(out.saferoute.target).toBe('private');
    expect(ollama.chatRequests()).toHaveLength(1);
  });

  it('lets the policy route requests with images (request.hasImages)', async () => {
    const guard = await guardWith();
    const out = await guard.chat({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is in this picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
    });
    expect(out.saferoute.target).toBe('private');
    expect(ollama.chatRequests()[0]?.json).toMatchObject({ messages: [{ images: ['iVBORw0KGgo='] }] });
  });

  it('takes providers by provider name, passing each target’s model', async () => {
    const seen: (string | undefined)[] = [];
    const memory = {
      name: 'memory',
      complete: async (r: { model?: string }) => {
        seen.push(r.model);
        return { model: r.model ?? '', text: 'from memory', toolCalls: [], finishReason: 'stop' as const };
      },
      stream: async () => Promise.reject(new Error('unused')),
    };
    const guard = await guardWith({}, { providers: { ollama: memory } });
    const out = await guard.chat(ask('a [[adult]] story'), { subject: ADULT });
    expect(out.choices[0]?.message.content).toBe('from memory');
    expect(seen).toEqual(['llama3.1:8b']);
    expect(upstreamCalls()).toBe(0);
  });

  it('lets the target’s options override the request’s, in the provider’s terms', async () => {
    const base = testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }).document.targets;
    const guard = await guardWith({
      targets: { ...base, private: { ...base.private!, options: { temperature: 0, num_ctx: 8192 } }, sfw: { ...base.sfw!, options: { temperature: 0.1, top_k: 5 } } },
    });
    await guard.chat(ask('mail jane.doe@example.com', { temperature: 1.5 }));
    expect(ollama.chatRequests()[0]?.json).toMatchObject({ options: { temperature: 0, num_ctx: 8192 } });
    await guard.chat(ask('hello', { temperature: 1.5 }));
    expect(openai.chatRequests()[0]?.json).toMatchObject({ temperature: 0.1, top_k: 5 });
  });

  it('applies the policy’s verdict without enforcing it in monitor mode', async () => {
    const guard = await guardWith({ mode: 'monitor' });
    const out = await guard.chat(ask('FORBIDDEN'));
    expect(out.saferoute.decisions.input).toMatchObject({ outcome: 'block', mode: 'monitor', effective: { outcome: 'route', target: 'sfw' } });
    // The caller's copy of a decision leaves `facts` (scores again, request attributes) to the audit record.
    expect(out.saferoute.decisions.input).not.toHaveProperty('facts');
    expect(out.saferoute.decisions.output).not.toHaveProperty('facts');
    expect(out.saferoute.decisions.output).toMatchObject({ stage: 'output' });
    expect(out.saferoute.target).toBe('sfw');
    expect(openai.chatRequests()).toHaveLength(1);
  });
});

describe('guard.chat: refusals call no model', () => {
  it('refuses a prohibited prompt with a typed result', async () => {
    const guard = await guardWith();
    const out = await guard.chat(ask('something FORBIDDEN'));
    expect(out.choices[0]?.message).toMatchObject({ content: null, refusal: 'This request cannot be processed.' });
    expect(out.choices[0]?.finish_reason).toBe('content_filter');
    expect(out.saferoute.blocked).toMatchObject({ code: 'content_blocked', stage: 'input', reason: 'sexual_minors', decisionId: out.saferoute.inputDecisionId, unmet: [] });
    expect(upstreamCalls()).toBe(0);
  });

  it('refuses an attestation token it has no resolver to verify, before any model is called', async () => {
    const guard = await guardWith();
    const before = upstreamCalls();
    await expect(guard.chat(ask('Hello'), { subjectId: 'u1', attestationToken: 'eyJ.token.here' })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('no subject resolver'),
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('throws ContentBlockedError with the unmet requirements when configured to', async () => {
    const guard = await guardWith({}, { onBlock: 'throw' });
    const error = (await guard.chat(ask('a [[adult]] story')).catch((e: unknown) => e)) as ContentBlockedError;
    expect(error).toBeInstanceOf(ContentBlockedError);
    expect(error.code).toBe('content_blocked');
    expect(error.reason).toBe('unmet_requirements');
    expect(error.unmet.map((u) => u.code).sort()).toEqual(['age_verification_required', 'consent_required']);
    expect(error.userMessage).toMatch(/age verification/);
    expect(error.decisionId).toBe(error.decision?.decisionId);
    expect(upstreamCalls()).toBe(0);
  });

  it('classifies tool results and the window of earlier turns, not turns beyond it', async () => {
    const guard = await guardWith({}, { input: { historyMessages: 2 } });
    const tool = await guard.chat({
      messages: [
        { role: 'user', content: 'look this up' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'result: FORBIDDEN' },
      ],
    });
    expect(tool.saferoute.blocked?.reason).toBe('sexual_minors');
    const old = [{ role: 'user', content: 'FORBIDDEN' }, { role: 'assistant', content: 'no' }, { role: 'user', content: 'ok' }, { role: 'assistant', content: 'ok' }];
    const within = await guard.chat({ messages: [...old.slice(2), { role: 'user', content: 'hello' }] });
    expect(within.saferoute.blocked).toBeUndefined();
    const inWindow = await guard.chat({ messages: [...old.slice(0, 2), { role: 'user', content: 'hello' }] });
    expect(inWindow.saferoute.blocked?.reason).toBe('sexual_minors');
    const beyond = await guard.chat({ messages: [...old, { role: 'user', content: 'hello' }] });
    expect(beyond.saferoute.blocked).toBeUndefined();
  });

  it('classifies the system prompt only when configured to', async () => {
    const messages = [{ role: 'system', content: 'FORBIDDEN instructions' }, { role: 'user', content: 'hi' }];
    expect((await (await guardWith()).chat({ messages })).saferoute.blocked).toBeUndefined();
    expect((await (await guardWith({}, { input: { includeSystem: true } })).chat({ messages })).saferoute.blocked?.stage).toBe('input');
  });
});

describe('guard.chat: output stage', () => {
  it('withholds a violating answer and refuses', async () => {
    openai.setScript({ text: 'Here it is: FORBIDDEN content.' });
    const guard = await guardWith();
    const out = await guard.chat(ask('hello'));
    expect(out.choices[0]?.message).toMatchObject({ content: null, refusal: 'This request cannot be processed.' });
    expect(out.choices[0]?.finish_reason).toBe('content_filter');
    expect(out.saferoute.blocked).toMatchObject({ stage: 'output', reason: 'sexual_minors', decisionId: out.saferoute.outputDecisionId });
    expect(JSON.stringify(out)).not.toContain('FORBIDDEN');
  });

  it('replaces a violating answer with the policy’s message', async () => {
    openai.setScript({ text: 'FORBIDDEN' });
    const guard = await guardWith({ output: { onBlock: 'replace', replacement: 'sorry' }, messages: { prohibited: 'This request cannot be processed.', sorry: 'Sorry, I cannot help with that.' } });
    const out = await guard.chat(ask('hello'));
    expect(out.choices[0]?.message).toMatchObject({ content: 'Sorry, I cannot help with that.', refusal: null });
    expect(out.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('throws for an output block when configured to', async () => {
    openai.setScript({ text: 'FORBIDDEN' });
    const guard = await guardWith({}, { onBlock: 'throw' });
    await expect(guard.chat(ask('hello'))).rejects.toMatchObject({ code: 'content_blocked', stage: 'output' });
  });

  it('withholds the answer when the output classifier fails (fail closed)', async () => {
    const { marker } = defaultClassifiers();
    const failing = { id: 'failing', version: '1', categories: ['sexual/minors' as const], classify: async () => ({ status: 'failed' as const, error: { code: 'timeout' as const, message: 'slow' }, latencyMs: 1 }) };
    const guard = await guardWith({ classifiers: { input: ['marker', 'pii'], output: ['failing', 'pii'] } }, { classifiers: resolverOf({ marker, failing, pii: createPiiClassifier() }) });
    const out = await guard.chat(ask('hello'));
    expect(out.saferoute.blocked).toMatchObject({ stage: 'output', reason: 'classifier_error' });
    expect(out.choices[0]?.message.content).toBeNull();
  });

  it('redacts personal data in the answer', async () => {
    openai.setScript({ text: 'Contact jane.doe@example.com or call the office.' });
    const guard = await guardWith();
    const out = await guard.chat(ask('who do I contact?'));
    expect(out.choices[0]?.message.content).toBe('Contact [EMAIL] or call the office.');
    expect(out.saferoute.redacted).toEqual(['pii']);
  });

  it('redacts other categories with a generic placeholder', async () => {
    openai.setScript({ text: 'They said [[slur]] loudly.' });
    const guard = await guardWith({
      rules: [{ id: 'redact-hate', description: 'd', stage: 'output', when: { score: 'hate', gte: 0.5 }, effect: { action: 'redact', categories: ['hate'] } }],
    });
    const out = await guard.chat(ask('what did they say?'));
    expect(out.choices[0]?.message.content).toBe('They said [REDACTED] loudly.');
  });

  it('passes tool calls through after checking their arguments', async () => {
    openai.setScript({ toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] });
    const guard = await guardWith();
    const out = await guard.chat(ask('weather in Oslo?', { tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }] }));
    expect(out.choices[0]?.finish_reason).toBe('tool_calls');
    expect(out.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } });
    openai.setScript({ toolCalls: [{ name: 'weather', arguments: { city: 'FORBIDDEN' } }] });
    const blocked = await guard.chat(ask('weather?', { tools: [{ type: 'function', function: { name: 'weather' } }] }));
    expect(blocked.saferoute.blocked?.stage).toBe('output');
    expect(blocked.choices[0]?.message.tool_calls).toBeUndefined();
  });
});

describe('guard seams', () => {
  it('records each decision before the model is called and before the answer is released', async () => {
    const log: { stage: string; upstreamCalls: number; text?: string | undefined; subjectId?: string | undefined }[] = [];
    const guard = await guardWith({}, {
      audit: {
        async record(decision: Decision, { policy, ...details }) {
          // The deciding policy comes along, for the recorder to archive it.
          expect(policy?.sha256).toBe(decision.policy.sha256);
          log.push({ stage: decision.stage, upstreamCalls: upstreamCalls(), ...details });
        },
      },
    });
    await guard.chat(ask('hello there'), { subjectId: 'app-user-7' });
    expect(log).toEqual([
      { stage: 'input', upstreamCalls: 0, text: 'hello there', subjectId: 'app-user-7' },
      { stage: 'output', upstreamCalls: 1, text: 'Hello from gpt-4o-mini.', subjectId: 'app-user-7' },
    ]);
  });

  it('fails closed when the audit record cannot be written: no model is called', async () => {
    const guard = await guardWith({}, { audit: { record: async () => Promise.reject(new Error('disk full')) } });
    const out = await guard.chat(ask('hello'));
    expect(out.saferoute.blocked).toMatchObject({ stage: 'input', reason: 'audit_failed' });
    expect(out.saferoute.decisions.input.determiningRules).toContain('guard.audit_failed');
    expect(upstreamCalls()).toBe(0);
  });

  it('withholds the answer when the output record cannot be written', async () => {
    let n = 0;
    const guard = await guardWith({}, { audit: { record: async () => (n++ === 0 ? undefined : Promise.reject(new Error('disk full'))) } });
    const out = await guard.chat(ask('hello'));
    expect(out.saferoute.blocked).toMatchObject({ stage: 'output', reason: 'audit_failed' });
    expect(out.choices[0]?.message.content).toBeNull();
  });

  it('asks the subject resolver, at the guard’s clock, instead of trusting context.subject', async () => {
    const calls: { token?: string; at: string }[] = [];
    const guard = await guardWith({}, {
      subjectResolver: {
        async resolve(context, at) {
          calls.push({ ...(context.attestationToken ? { token: context.attestationToken } : {}), at: at.toISOString() });
          return context.attestationToken === 'valid-token' ? ADULT : {};
        },
      },
    });
    const denied = await guard.chat(ask('a [[adult]] story'), { subject: ADULT, attestationToken: 'forged' });
    expect(denied.saferoute.blocked?.reason).toBe('unmet_requirements');
    const allowed = await guard.chat(ask('a [[adult]] story'), { attestationToken: 'valid-token' });
    expect(allowed.saferoute.target).toBe('restricted');
    expect(calls).toEqual([{ token: 'forged', at: NOW.toISOString() }, { token: 'valid-token', at: NOW.toISOString() }]);
  });

  it('fails closed when the subject resolver fails: no model is called', async () => {
    const guard = await guardWith({}, { subjectResolver: { resolve: async () => Promise.reject(new Error('jwks unreachable')) } });
    await expect(guard.chat(ask('hello'))).rejects.toThrow('jwks unreachable');
    expect(upstreamCalls()).toBe(0);
  });

  it('passes tenant, app and metadata to request conditions', async () => {
    const guard = await guardWith({
      rules: [
        { id: 'acme', description: 'd', stage: 'input', when: { all: [{ request: 'tenant', equals: 'acme' }, { request: 'metadata.tier', equals: 'gold' }] }, effect: { action: 'route', target: 'private', precedence: 5 } },
      ],
    });
    expect((await guard.chat(ask('hi'), { tenant: 'acme', metadata: { tier: 'gold' } })).saferoute.target).toBe('private');
    expect((await guard.chat(ask('hi'), { tenant: 'acme' })).saferoute.target).toBe('sfw');
  });

  it('decides without calling any model', async () => {
    const guard = await guardWith();
    const d = await guard.decide('a [[adult]] story', { subject: ADULT });
    expect(d).toMatchObject({ stage: 'input', outcome: 'route', target: 'restricted' });
    expect((await guard.decide(ask('FORBIDDEN'))).outcome).toBe('block');
    expect(upstreamCalls()).toBe(0);
  });
});

describe('guard.chat: bad input and failures', () => {
  const cases: [string, unknown][] = [
    ['no messages', { messages: [] }],
    ['a wrong role', { messages: [{ role: 'wizard', content: 'hi' }] }],
    ['a 10 MB message', { messages: [{ role: 'user', content: 'a'.repeat(10 * 1024 * 1024) }] }],
    ['a lone surrogate', { messages: [{ role: 'user', content: 'bad \uD800 text' }] }],
    ['an audio part', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }],
    ['n > 1', { messages: [{ role: 'user', content: 'hi' }], n: 2 }],
    ['an unknown parameter', { messages: [{ role: 'user', content: 'hi' }], frobnicate: true }],
  ];
  it.each(cases)('rejects %s with a typed error, calling nothing', async (_name, request) => {
    const guard = await guardWith();
    await expect(guard.chat(request as never)).rejects.toMatchObject({ code: 'input_invalid' });
    expect(upstreamCalls()).toBe(0);
  });

  it('fails closed when the target’s key variable is unset, naming it, and sends nothing', async () => {
    const guard = await guardWith({}, { env: {} });
    const error = await guard.chat(ask('hello')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_config', variable: OPENAI_KEY_ENV });
    expect(upstreamCalls()).toBe(0);
  });

  it('turns an upstream 500 and a garbage body into provider errors', async () => {
    const guard = await guardWith();
    openai.script('/v1/chat/completions', { kind: 'status', status: 500 });
    await expect(guard.chat(ask('hello'))).rejects.toMatchObject({ code: 'provider_failed', status: 500 });
    openai.script('/v1/chat/completions', { kind: 'malformed', body: '<html>bad gateway</html>', contentType: 'text/html' });
    await expect(guard.chat(ask('hello'))).rejects.toMatchObject({ code: 'provider_failed', failure: 'bad_response' });
  });

  it('accepts a policy file path', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    const file = join(dir, 'p.json');
    const doc = testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }, { classifiers: { input: ['pii'], output: ['pii'] }, rules: [] }).document;
    await writeFile(file, JSON.stringify(doc));
    const guard = await createGuard({ policy: file, classifiers: defaultClassifiers().resolver, env });
    expect(guard.runtime.policy.id).toBe('guard-test');
    expect((await guard.chat(ask('hi'))).saferoute.target).toBe('sfw');
    await expect(createGuard({ policy: join(dir, 'missing.json'), classifiers: defaultClassifiers().resolver })).rejects.toMatchObject({ code: 'policy_not_found' });
  });
});
