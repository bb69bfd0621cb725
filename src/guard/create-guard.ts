import { randomUUID } from 'node:crypto';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { SaferouteError } from '../errors.js';
import type { Decision } from '../decision/decision.js';
import { createPolicyRuntime, type ClassifierResolver, type PolicyRuntime } from '../decision/policy-runtime.js';
import { DEFAULT_MESSAGES, type EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { ChatParams, ChatProvider, ProviderRequest, ProviderStreamEvent } from '../providers/chat-provider.js';
import { createTargetProvider, type TargetProviderOptions } from '../providers/create-target-providers.js';
import { ProviderConfigError } from '../providers/provider-error.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import { parseChatRequest, type ChatRequest, type ChatRequestLimits } from './chat-request.js';
import { ContentBlockedError } from './content-blocked-error.js';
import { extractText, type ExtractTextOptions } from './extract-text.js';
import { requestFieldText, type ExtraTextMode } from './request-field-text.js';
import { failClosedDecision } from './fail-closed-decision.js';
import type { GuardAuditRecorder } from './guard-audit-recorder.js';
import type { GuardContext, SubjectResolver } from './guard-context.js';
import { blockedStream, createGuardedStream, type GuardedStream } from './guarded-stream.js';
import { buildCompletion, type GuardedCompletion } from './openai-shapes.js';
import { withDecodedViews } from './decoded-views.js';
import { contentRedaction, redactSpans } from './redact-output.js';
import { answerExtraText } from './tool-call-text.js';
import { publicDecision, type BlockInfo, type SaferouteInfo } from './saferoute-info.js';

/** What `guard.chat` and `guard.decide` accept: an OpenAI-style chat request (validated by the guard). */
export type ChatRequestInput = object & { messages: readonly unknown[]; model?: string; stream?: boolean | null };

export type OnBlock = 'return' | 'throw';

export interface GuardOptions {
  /** A policy file, a loaded policy (or any `EvaluablePolicy`), or a runtime already bound to classifiers. */
  policy: string | EvaluablePolicy | PolicyRuntime;
  /** Resolves the classifier names of the policy (default: the built-in registry over `env`). */
  classifiers?: ClassifierResolver;
  /**
   * Providers by target name, or by provider name (`openai`, `ollama`) for every target of that
   * provider (the target's model is passed with each request). Missing ones are built from the
   * policy's targets.
   */
  providers?: Readonly<Record<string, ChatProvider>>;
  /** Records every decision durably before anything is released; a failure blocks. */
  audit?: GuardAuditRecorder;
  /** Verifies the subject (attestation, consent); without one, `context.subject` is used as given. */
  subjectResolver?: SubjectResolver;
  /** A blocked call resolves to a refusal (`return`, default) or rejects with `ContentBlockedError`. */
  onBlock?: OnBlock;
  clock?: () => Date;
  /** Where key variables and classifier settings are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** What the input stage classifies, and request limits. */
  input?: ExtractTextOptions & ChatRequestLimits & {
    /**
     * Text the model reads outside message content — tool and schema descriptions, message names,
     * text `data:` URLs: `classify` it with the messages (default) or `refuse` requests carrying it.
     */
    extraText?: ExtraTextMode;
  };
  /** Timeouts and retries of the providers built from the policy's targets. */
  providerOptions?: Omit<TargetProviderOptions, 'env'>;
}

export interface ChatCallOptions {
  onBlock?: OnBlock;
  /** Providers for this call, by target or provider name, before the guard's own. */
  providers?: Readonly<Record<string, ChatProvider>>;
}

export interface Guard {
  readonly runtime: PolicyRuntime;
  /** The input decision for a request (or a prompt), recorded, without calling any model. */
  decide(request: ChatRequestInput | string, context?: GuardContext): Promise<Decision>;
  chat(request: ChatRequestInput & { stream: true }, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedStream>;
  chat(request: ChatRequestInput & { stream?: false | null }, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedCompletion>;
  chat(request: ChatRequestInput, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedCompletion | GuardedStream>;
}

const SAMPLING_KEYS = new Set(['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'presence_penalty', 'frequency_penalty']);

/**
 * The guarded call: validate the request, resolve the subject, classify the prompt, decide,
 * record, then call the chosen target's model (or refuse without calling any), check what comes
 * back — streamed or not — record, and only then release it.
 */
export async function createGuard(options: GuardOptions): Promise<Guard> {
  const env = options.env ?? process.env;
  const runtime = await resolveRuntime(options.policy, options.classifiers, env);
  const doc = runtime.policy.document;
  const messages: Record<string, string> = doc.messages ?? {};
  const output = {
    onBlock: doc.output?.onBlock ?? 'refuse',
    replacement: doc.output?.replacement,
    mode: doc.output?.streaming?.mode ?? 'hold-back',
    holdBackChars: doc.output?.streaming?.holdBackChars ?? 200,
    checkEveryChars: doc.output?.streaming?.checkEveryChars ?? 200,
  };
  const clock = options.clock ?? (() => new Date());
  const defaultOnBlock = options.onBlock ?? 'return';
  const limits: ChatRequestLimits = {
    ...(options.input?.maxMessageChars != null ? { maxMessageChars: options.input.maxMessageChars } : {}),
    ...(options.input?.maxMessages != null ? { maxMessages: options.input.maxMessages } : {}),
  };
  // The guard's options win over the policy's `input` section, which wins over the defaults.
  const historyMessages = options.input?.historyMessages ?? doc.input?.historyMessages;
  const includeSystem = options.input?.includeSystem ?? doc.input?.includeSystem;
  const extraText: ExtraTextMode = options.input?.extraText ?? doc.input?.extraText ?? 'classify';
  const extractOptions: ExtractTextOptions = {
    ...(historyMessages != null ? { historyMessages } : {}),
    ...(includeSystem != null ? { includeSystem } : {}),
  };
  const builtProviders = new Map<string, ChatProvider>();
  const providerOptions: TargetProviderOptions = { ...options.providerOptions, env };

  const providerFor = (targetName: string, overrides: Readonly<Record<string, ChatProvider>> | undefined): ChatProvider => {
    const target = doc.targets[targetName];
    if (!target) throw new ProviderConfigError(`the policy routes to \`${targetName}\`, which is not one of its targets`);
    const given = overrides?.[targetName] ?? options.providers?.[targetName] ?? overrides?.[target.provider] ?? options.providers?.[target.provider];
    if (given) return given;
    let built = builtProviders.get(targetName);
    if (!built) {
      built = createTargetProvider(targetName, target, providerOptions);
      builtProviders.set(targetName, built);
    }
    return built;
  };

  const subjectFor = async (context: GuardContext, at: Date): Promise<SubjectContext | undefined> => {
    if (options.subjectResolver) return options.subjectResolver.resolve(context, at);
    if (context.attestationToken != null) {
      // Ignoring it would leave the subject unverified (fail-closed, but silently puzzling).
      throw new SaferouteError(
        'config_invalid',
        'the call carries an `attestationToken`, but the guard has no subject resolver to verify it; pass `createGuard({ subjectResolver: createSubjectResolver({ verifier, consentStore }) })`, or pass the verified `subject` instead',
      );
    }
    let subject = context.subject;
    if (context.jurisdiction != null && subject?.jurisdiction == null) subject = { ...subject, jurisdiction: context.jurisdiction };
    if (context.subjectId != null && subject?.id == null) subject = { ...subject, id: context.subjectId };
    return subject;
  };

  const attributesOf = (request: ChatRequest, context: GuardContext, hasImages: boolean): RequestAttributes => ({
    ...(context.tenant != null ? { tenant: context.tenant } : {}),
    ...(context.app != null ? { app: context.app } : {}),
    ...(request.model != null ? { model: request.model } : {}),
    hasImages,
    ...(context.metadata ? { metadata: context.metadata } : {}),
  });

  /** `true` once durable; `false` when the recorder failed (the caller blocks). */
  const record = async (decision: Decision, text: string, subjectId: string | undefined): Promise<boolean> => {
    if (!options.audit) return true;
    try {
      await options.audit.record(decision, { text, ...(subjectId != null ? { subjectId } : {}) });
      return true;
    } catch {
      return false;
    }
  };

  const auditFailed = (decision: Decision): Decision => failClosedDecision(decision, 'audit_failed', messages.audit_failed ?? DEFAULT_MESSAGES.classifier_error ?? 'blocked');

  const blockInfoOf = (decision: Decision): BlockInfo => ({
    code: 'content_blocked',
    stage: decision.stage,
    reason: decision.reason ?? 'blocked',
    message: decision.message ?? (decision.stage === 'output' ? outputBlockedMessage() : DEFAULT_MESSAGES.blocked ?? 'blocked'),
    decisionId: decision.decisionId,
    unmet: decision.unmet,
  });

  const outputBlockedMessage = (): string => messages.output_blocked ?? DEFAULT_MESSAGES.output_blocked ?? 'blocked';

  /** What replaces a blocked answer: the policy's refusal, or its replacement message as content. */
  const outputBlockDelta = (decision: Decision): ChatCompletionChunk.Choice.Delta => {
    if (output.onBlock === 'replace') {
      const id = output.replacement;
      return { content: (id != null ? (messages[id] ?? DEFAULT_MESSAGES[id]) : undefined) ?? outputBlockedMessage() };
    }
    return { refusal: blockInfoOf(decision).message };
  };

  const inputStage = async (input: ChatRequestInput | string, context: GuardContext) => {
    const request = parseChatRequest(typeof input === 'string' ? { messages: [{ role: 'user', content: input }] } : input, limits);
    const now = clock();
    // Before the subject is resolved: a request the policy refuses outright costs nothing more.
    const fieldText = requestFieldText(request, extraText);
    const subject = await subjectFor(context, now);
    const extracted = extractText(request.messages, extractOptions);
    const text = fieldText === '' ? extracted.text : extracted.text === '' ? fieldText : `${extracted.text}\n\n${fieldText}`;
    const attributes = attributesOf(request, context, extracted.hasImages);
    let decision = await runtime.decide(
      { text, stage: 'input', ...(subject ? { subject } : {}), request: attributes, now },
      context.signal ? { signal: context.signal } : {},
    );
    const subjectId = subject?.id ?? context.subjectId;
    if (!(await record(decision, text, subjectId))) decision = auditFailed(decision);
    return { request, subject, extracted, attributes, decision, subjectId };
  };

  async function chat(input: ChatRequestInput, context: GuardContext = {}, call: ChatCallOptions = {}): Promise<GuardedCompletion | GuardedStream> {
    const onBlock = call.onBlock ?? defaultOnBlock;
    const { request, subject, extracted, attributes, decision, subjectId } = await inputStage(input, context);
    const created = Math.floor(clock().getTime() / 1000);
    const info: SaferouteInfo = { inputDecisionId: decision.decisionId, warnings: [...decision.warnings], decisions: { input: publicDecision(decision) } };

    if (decision.effective.outcome === 'block') {
      const blocked = blockInfoOf(decision);
      info.blocked = blocked;
      if (onBlock === 'throw') throw new ContentBlockedError(blocked, publicDecision(decision));
      const id = `chatcmpl-${decision.decisionId}`;
      const model = request.model ?? 'saferoute';
      if (request.stream) return blockedStream({ info, delta: { refusal: blocked.message }, id, model, created });
      return buildCompletion({ id, model, created, content: null, refusal: blocked.message, finishReason: 'content_filter', saferoute: info });
    }

    // A caller that went away while the prompt was classified gets no model call.
    context.signal?.throwIfAborted();
    const targetName = decision.effective.target;
    if (targetName == null) throw new SaferouteError('config_invalid', 'the decision routes to no target');
    const target = doc.targets[targetName];
    const provider = providerFor(targetName, call.providers);
    const providerRequest: ProviderRequest = {
      ...(target?.model ? { model: target.model } : {}),
      messages: request.messages,
      params: mergeParams(request.params, target?.options),
    };
    info.target = targetName;
    if (target?.model) info.model = target.model;

    const checkOutput = (text: string): Promise<Decision> =>
      runtime.decide(
        { text, stage: 'output', servedTarget: targetName, prompt: extracted.prompt, ...(subject ? { subject } : {}), request: attributes, now: clock() },
        context.signal ? { signal: context.signal } : {},
      );
    const callOptions = context.signal ? { signal: context.signal } : {};

    if (request.stream) {
      const upstream = await provider.stream(providerRequest, callOptions);
      return createGuardedStream({
        upstream,
        info,
        mode: output.mode,
        holdBackChars: output.holdBackChars,
        checkEveryChars: output.checkEveryChars,
        check: checkOutput,
        record: (d, text) => record(d, text, subjectId),
        blockDelta: outputBlockDelta,
        blockInfo: blockInfoOf,
        auditFailedDecision: auditFailed,
        toolCallText: (done: Extract<ProviderStreamEvent, { type: 'done' }>) => answerExtraText(done),
        id: `chatcmpl-${randomUUID()}`,
        model: target?.model ?? request.model ?? 'unknown',
        created,
        includeUsage: request.params.include_usage === true,
      });
    }

    const completion = await provider.complete(providerRequest, callOptions);
    // The answer as written and as decoded (JSON-mode content, escaped tool arguments), then
    // everything else it carries: the check sees what a client or a tool will read.
    const view = withDecodedViews(completion.text);
    const extra = answerExtraText(completion);
    const outputText = extra !== '' ? `${view.text}\n${extra}` : view.text;
    let out = await checkOutput(outputText);
    let content = completion.text;
    if (out.effective.outcome !== 'block' && out.mode === 'enforce' && out.redact && out.redact.length > 0) {
      const found = contentRedaction(out.evidence, out.redact, view);
      if ('missing' in found) out = failClosedDecision(out, 'redaction_unavailable', outputBlockedMessage());
      else {
        content = redactSpans(completion.text, found.spans);
        info.redacted = [...new Set(found.spans.map((e) => e.category))].sort();
      }
    }
    if (!(await record(out, outputText, subjectId))) out = auditFailed(out);
    info.outputDecisionId = out.decisionId;
    info.decisions.output = publicDecision(out);
    info.model = completion.model;
    info.warnings = [...new Set([...info.warnings, ...out.warnings])].sort();
    const id = completion.id ?? `chatcmpl-${randomUUID()}`;
    if (out.effective.outcome === 'block') {
      const blocked = blockInfoOf(out);
      info.blocked = blocked;
      delete info.redacted;
      if (onBlock === 'throw') throw new ContentBlockedError(blocked, publicDecision(out));
      const delta = outputBlockDelta(out);
      return buildCompletion({
        id,
        model: completion.model,
        created,
        content: delta.content ?? null,
        ...(delta.refusal != null ? { refusal: delta.refusal } : {}),
        finishReason: 'content_filter',
        ...(completion.usage ? { usage: completion.usage } : {}),
        saferoute: info,
      });
    }
    return buildCompletion({
      id,
      model: completion.model,
      created,
      content: content === '' && (completion.toolCalls.length > 0 || completion.functionCall != null || completion.refusal != null) ? null : content,
      ...(completion.refusal != null ? { refusal: completion.refusal } : {}),
      toolCalls: completion.toolCalls,
      ...(completion.functionCall ? { functionCall: completion.functionCall } : {}),
      finishReason: completion.finishReason,
      ...(completion.usage ? { usage: completion.usage } : {}),
      saferoute: info,
    });
  }

  return {
    runtime,
    async decide(input, context = {}) {
      return (await inputStage(input, context)).decision;
    },
    chat: chat as Guard['chat'],
  };
}

async function resolveRuntime(
  policy: GuardOptions['policy'],
  classifiers: ClassifierResolver | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PolicyRuntime> {
  if (isPolicyRuntime(policy)) return policy;
  let evaluable: EvaluablePolicy;
  if (typeof policy === 'string') {
    const { loadPolicyOrThrow } = await import('../policy/load-policy.js');
    evaluable = await loadPolicyOrThrow(policy);
  } else evaluable = policy;
  // Loaded lazily: the built-in registry pulls in the embedded models only when it is needed.
  const resolver = classifiers ?? (await defaultResolver(env));
  return createPolicyRuntime(evaluable, resolver);
}

async function defaultResolver(env: Readonly<Record<string, string | undefined>>): Promise<ClassifierResolver> {
  const { createClassifierRegistry, defaultClassifierFactories } = await import('../classifiers/registry.js');
  return createClassifierRegistry(defaultClassifierFactories(env));
}

function isPolicyRuntime(value: GuardOptions['policy']): value is PolicyRuntime {
  return typeof value === 'object' && value !== null && typeof (value as PolicyRuntime).decide === 'function' && typeof (value as PolicyRuntime).classifiers === 'function';
}

/** The request's sampling options, overridden by the target's (the policy has the last word). */
function mergeParams(params: ChatParams, targetOptions: Readonly<Record<string, unknown>> | undefined): ChatParams {
  if (!targetOptions) return params;
  const out: ChatParams = { ...params };
  const provider: Record<string, unknown> = { ...params.providerOptions };
  for (const [k, v] of Object.entries(targetOptions)) {
    if (SAMPLING_KEYS.has(k)) (out as Record<string, unknown>)[k] = v;
    else provider[k] = v;
  }
  if (Object.keys(provider).length > 0) out.providerOptions = provider;
  return out;
}
