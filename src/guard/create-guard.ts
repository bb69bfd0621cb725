import { randomUUID } from 'node:crypto';
import type { Decision } from '../decision/decision.js';
import type { PolicyRuntime } from '../decision/policy-runtime.js';
import { SaferouteError } from '../errors.js';
import { inSpan } from '../observability/tracing.js';
import type { ChatParams, ChatProvider, ProviderRequest } from '../providers/chat-provider.js';
import { createTargetProvider, type TargetProviderOptions } from '../providers/create-target-providers.js';
import { ProviderConfigError } from '../providers/provider-error.js';
import { combineObservers } from '../observability/notify-observers.js';
import { ContentBlockedError } from './content-blocked-error.js';
import { createGuardCore, type ChatRequestInput, type GuardCore, type GuardCoreOptions } from './guard-core.js';
import type { GuardContext } from './guard-context.js';
import { blockedStream, createGuardedStream, type GuardedStream } from './guarded-stream.js';
import { normaliseOnBlock, type LegacyOnBlock, type OnBlock } from './on-block.js';
import { buildCompletion, type GuardedCompletion } from './openai-shapes.js';
import { publicDecision, type SaferouteInfo } from './saferoute-info.js';

export type { ChatRequestInput } from './guard-core.js';

export interface GuardOptions extends GuardCoreOptions {
  /**
   * Providers by target name, or by provider name (`openai`, `ollama`) for every target of that
   * provider (the target's model is passed with each request). Missing ones are built from the
   * policy's targets.
   */
  providers?: Readonly<Record<string, ChatProvider>>;
  /**
   * A blocked call resolves to an answer carrying the refusal (`refuse`, default; the policy's
   * `output.onBlock: replace` puts its replacement in the content instead) or rejects with
   * `ContentBlockedError` (`throw`). `return` is the earlier spelling of `refuse`.
   */
  onBlock?: 'refuse' | 'throw' | Extract<LegacyOnBlock, 'return'>;
  /** Timeouts and retries of the providers built from the policy's targets. */
  providerOptions?: Omit<TargetProviderOptions, 'env'>;
}

export interface ChatCallOptions {
  onBlock?: GuardOptions['onBlock'];
  /** Providers for this call, by target or provider name, before the guard's own. */
  providers?: Readonly<Record<string, ChatProvider>>;
}

/** The guard core plus the OpenAI-shaped adapter that calls the chosen target's model. */
export interface Guard extends GuardCore {
  readonly runtime: PolicyRuntime;
  /** The input decision for a request (or a prompt), recorded, without calling any model. */
  decide(request: ChatRequestInput | string, context?: GuardContext): Promise<Decision>;
  chat(request: ChatRequestInput & { stream: true }, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedStream>;
  chat(request: ChatRequestInput & { stream?: false | null }, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedCompletion>;
  chat(request: ChatRequestInput, context?: GuardContext, options?: ChatCallOptions): Promise<GuardedCompletion | GuardedStream>;
}

export type { OnBlock } from './on-block.js';

const SAMPLING_KEYS = new Set(['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'presence_penalty', 'frequency_penalty']);

/**
 * The guarded call in OpenAI shapes: the core's input stage, then the chosen target's model (or a
 * refusal without calling any), then the core's output stage — streamed or not — and only then
 * the release.
 */
export async function createGuard(options: GuardOptions): Promise<Guard> {
  const env = options.env ?? process.env;
  const core = await createGuardCore(options);
  const doc = core.runtime.policy.document;
  const clock = options.clock ?? (() => new Date());
  const defaultOnBlock: OnBlock = normaliseOnBlock(options.onBlock, 'refuse');
  const providerEvents = combineObservers(options.observers ?? []);
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

  async function chat(input: ChatRequestInput, context: GuardContext = {}, call: ChatCallOptions = {}): Promise<GuardedCompletion | GuardedStream> {
    const onBlock = normaliseOnBlock(call.onBlock, defaultOnBlock);
    const inputCheck = await core.checkInput(input, context);
    const { request, decision } = inputCheck;
    const created = Math.floor(clock().getTime() / 1000);
    const info: SaferouteInfo = { inputDecisionId: decision.decisionId, warnings: [...decision.warnings], decisions: { input: publicDecision(decision) } };

    if (inputCheck.blocked) {
      const blocked = inputCheck.blocked;
      info.blocked = blocked;
      if (onBlock === 'throw') throw new ContentBlockedError(blocked, publicDecision(decision));
      const id = `chatcmpl-${decision.decisionId}`;
      const model = request.model ?? 'saferoute';
      if (request.stream) return blockedStream({ info, delta: { refusal: blocked.message }, id, model, created });
      return buildCompletion({ id, model, created, content: null, refusal: blocked.message, finishReason: 'content_filter', saferoute: info });
    }

    // A caller that went away while the prompt was classified gets no model call.
    context.signal?.throwIfAborted();
    const targetName = inputCheck.target;
    if (targetName == null) throw new SaferouteError('config_invalid', 'the decision routes to no target');
    const target = doc.targets[targetName];
    const provider = providerFor(targetName, call.providers);
    const params = mergeParams(request.params, target?.options);
    const providerRequest: ProviderRequest = target?.model ? { model: target.model, messages: request.messages, params } : { messages: request.messages, params };
    info.target = targetName;
    if (target?.model) info.model = target.model;
    const callOptions = context.signal ? { signal: context.signal } : {};
    const spanAttributes = { 'saferoute.target': targetName, 'saferoute.provider': provider.name, 'saferoute.model': target?.model ?? '', 'saferoute.streaming': Boolean(request.stream) };
    const started = performance.now();
    const reportCall = (outcome: 'ok' | 'error' | 'aborted'): void =>
      providerEvents.providerCall({ target: targetName, provider: provider.name, streaming: Boolean(request.stream), outcome, seconds: (performance.now() - started) / 1000 });

    if (request.stream) {
      const upstream = await inSpan('saferoute.provider.call', spanAttributes, () => provider.stream(providerRequest, callOptions)).catch((error: unknown) => {
        reportCall(context.signal?.aborted ? 'aborted' : 'error');
        throw error;
      });
      return createGuardedStream({
        upstream,
        core,
        input: inputCheck,
        servedTarget: targetName,
        info,
        id: `chatcmpl-${randomUUID()}`,
        model: target?.model ?? request.model ?? 'unknown',
        created,
        includeUsage: request.params.include_usage === true,
        onFinished: reportCall,
      });
    }

    const completion = await inSpan('saferoute.provider.call', spanAttributes, () => provider.complete(providerRequest, callOptions)).then(
      (c) => {
        reportCall('ok');
        return c;
      },
      (error: unknown) => {
        reportCall(context.signal?.aborted ? 'aborted' : 'error');
        throw error;
      },
    );
    const out = await core.checkOutput(completion, inputCheck, { servedTarget: targetName });
    info.outputDecisionId = out.decision.decisionId;
    info.decisions.output = publicDecision(out.decision);
    info.model = completion.model;
    info.warnings = [...new Set([...info.warnings, ...out.decision.warnings])].sort();
    const id = completion.id ?? `chatcmpl-${randomUUID()}`;
    if (out.blocked) {
      info.blocked = out.blocked;
      if (onBlock === 'throw') throw new ContentBlockedError(out.blocked, publicDecision(out.decision));
      const instead = out.instead ?? { refusal: out.blocked.message };
      return buildCompletion({
        id,
        model: completion.model,
        created,
        content: 'content' in instead ? instead.content : null,
        ...('refusal' in instead ? { refusal: instead.refusal } : {}),
        finishReason: 'content_filter',
        ...(completion.usage ? { usage: completion.usage } : {}),
        saferoute: info,
      });
    }
    if (out.redacted.length > 0) info.redacted = out.redacted;
    const content = out.content;
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
    ...core,
    async decide(input, context = {}) {
      return (await core.checkInput(input, context)).decision;
    },
    chat: chat as Guard['chat'],
  };
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
