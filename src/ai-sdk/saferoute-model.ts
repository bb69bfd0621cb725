import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { GuardCore } from '../guard/guard-core.js';
import { ProviderConfigError } from '../providers/provider-error.js';
import { callOptionsToChatRequest } from './call-options-to-chat-request.js';
import { contextOf, type AiSdkContextOption } from './call-context.js';
import { checkedGenerate, refusalResult, type AiSdkOnBlock } from './checked-generate.js';
import { checkedStream } from './checked-stream.js';
import { blockedStream } from './saferoute-middleware.js';

export interface SaferouteModelOptions {
  /** A guard (`createGuard`) or a guard core (`createGuardCore`). */
  guard: GuardCore;
  /** The AI SDK model that serves each of the policy's targets: `{ sfw: openai('gpt-4o-mini'), restricted: ollama('…') }`. */
  targets: Readonly<Record<string, LanguageModelV3>>;
  /** The subject, tenant, … of each call; also read from `providerOptions.saferoute` of the call. */
  context?: AiSdkContextOption;
  /** See `saferouteMiddleware`: `refuse` (default) or `throw`. */
  onBlock?: AiSdkOnBlock;
  modelId?: string;
}

/**
 * A language model that decides first and then calls the model of the target the policy chose —
 * the AI SDK's own providers do the calling. Every call is checked like the guard's: the prompt
 * before any model is called, the answer (streamed or not) before it is returned.
 */
export function saferouteModel(options: SaferouteModelOptions): LanguageModelV3 {
  const core = options.guard;
  const onBlock = options.onBlock ?? 'refuse';
  const missing = Object.keys(core.runtime.policy.document.targets).filter((t) => options.targets[t] == null);
  if (missing.length > 0) {
    throw new ProviderConfigError(
      `saferouteModel needs a model for every target of policy \`${core.runtime.policy.id}\`; missing: ${missing.map((t) => `\`${t}\``).join(', ')} (pass \`targets: { ${missing.map((t) => `${t}: …`).join(', ')} }\`)`,
    );
  }

  const route = async (params: LanguageModelV3CallOptions) => {
    const input = await core.checkInput(callOptionsToChatRequest(params, options.modelId), contextOf(params, options.context));
    const { saferoute: _own, ...providerOptions } = params.providerOptions ?? {};
    const forwarded: LanguageModelV3CallOptions = { ...params, providerOptions };
    const model = input.target != null ? options.targets[input.target] : undefined;
    return { input, forwarded, model };
  };

  return {
    specificationVersion: 'v3',
    provider: 'saferoute',
    modelId: options.modelId ?? `saferoute:${core.runtime.policy.id}`,
    // No URL is handled natively: the AI SDK downloads files first, so the guard can read text files.
    supportedUrls: {},
    async doGenerate(params) {
      const { input, forwarded, model } = await route(params);
      if (input.blocked) return refusalResult(input, onBlock);
      if (!model || input.target == null) throw new ProviderConfigError(`the policy routes to \`${input.target ?? '?'}\`, which saferouteModel has no model for`);
      return checkedGenerate(core, input, input.target, () => model.doGenerate(forwarded), onBlock);
    },
    async doStream(params) {
      const { input, forwarded, model } = await route(params);
      if (input.blocked) return blockedStream(input, onBlock);
      if (!model || input.target == null) throw new ProviderConfigError(`the policy routes to \`${input.target ?? '?'}\`, which saferouteModel has no model for`);
      return checkedStream(core, input, input.target, await model.doStream(forwarded), onBlock);
    },
  };
}
