import type { LanguageModelV3CallOptions, LanguageModelV3Middleware, LanguageModelV3StreamPart, LanguageModelV3StreamResult } from '@ai-sdk/provider';
import type { GuardCore } from '../guard/guard-core.js';
import type { InputCheck } from '../guard/guard-checks.js';
import { callOptionsToChatRequest } from './call-options-to-chat-request.js';
import { checkedGenerate, refusalResult, type AiSdkOnBlock } from './checked-generate.js';
import { checkedStream, REFUSAL_ID } from './checked-stream.js';
import { contextOf, type AiSdkContextOption } from './call-context.js';
import { EMPTY_USAGE } from './checked-generate.js';

export interface SaferouteMiddlewareOptions {
  /** A guard (`createGuard`) or a guard core (`createGuardCore`). */
  guard: GuardCore;
  /** The subject, tenant, … of each call; also read from `providerOptions.saferoute` of the call. */
  context?: AiSdkContextOption;
  /**
   * A block becomes a normal result that carries the refusal as its text, with `finishReason`
   * `content-filter` (`refuse`, default), or a `ContentBlockedError` (`throw`). Either way the
   * decision is in `providerMetadata.saferoute`.
   */
  onBlock?: AiSdkOnBlock;
  /**
   * The policy target the wrapped model serves (default: the policy's default route). A request
   * the policy routes to another target (restricted, private) is refused with reason
   * `target_not_served` — the middleware cannot reroute; use `saferouteModel` for that.
   */
  target?: string;
}

/**
 * A Vercel AI SDK middleware (`wrapLanguageModel({ model, middleware })`, ai@6): the prompt is
 * checked before the model is called (`transformParams`), the answer before it is returned
 * (`wrapGenerate`), and a streamed answer through the hold-back stream checker (`wrapStream`).
 */
export function saferouteMiddleware(options: SaferouteMiddlewareOptions): LanguageModelV3Middleware {
  const core = options.guard;
  const onBlock = options.onBlock ?? 'refuse';
  const served = options.target ?? core.runtime.policy.document.defaults.route;
  const checks = new WeakMap<LanguageModelV3CallOptions, Promise<InputCheck>>();

  const inputCheck = (params: LanguageModelV3CallOptions, modelId: string): Promise<InputCheck> => {
    let check = checks.get(params);
    if (!check) {
      check = core.checkInput(callOptionsToChatRequest(params, modelId), contextOf(params, options.context)).then((c) => notServedIsBlocked(core, c, served));
      checks.set(params, check);
    }
    return check;
  };

  return {
    specificationVersion: 'v3',
    async transformParams({ params, model }) {
      // The check runs here, before any model is called; wrapGenerate/wrapStream act on it. The
      // subject's token and ids stay here: the model's provider never receives them.
      const check = inputCheck(params, model.modelId);
      await check;
      const { saferoute: _own, ...providerOptions } = params.providerOptions ?? {};
      const forwarded: LanguageModelV3CallOptions = { ...params, providerOptions };
      checks.set(forwarded, check);
      return forwarded;
    },
    async wrapGenerate({ doGenerate, params, model }) {
      const input = await inputCheck(params, model.modelId);
      if (input.blocked) return refusalResult(input, onBlock);
      return checkedGenerate(core, input, served, doGenerate, onBlock);
    },
    async wrapStream({ doStream, params, model }) {
      const input = await inputCheck(params, model.modelId);
      if (input.blocked) return blockedStream(input, onBlock);
      return checkedStream(core, input, served, await doStream(), onBlock);
    },
  };
}

/** A route to a target this model does not serve is a block: sending it here would break the policy. */
function notServedIsBlocked(core: GuardCore, check: InputCheck, served: string): InputCheck {
  if (check.blocked || check.target === served) return check;
  const decision = check.decision;
  const message = `This request must be served by the \`${check.target ?? 'unknown'}\` model, which this application does not call.`;
  const { target: _target, ...rest } = check;
  return {
    ...rest,
    blocked: { ...core.blockInfo(decision), reason: 'target_not_served', message },
  };
}

/** A stream that carries only the refusal (or the error), for a prompt blocked before any model call. */
export function blockedStream(input: InputCheck, onBlock: AiSdkOnBlock): LanguageModelV3StreamResult {
  const parts: LanguageModelV3StreamPart[] = [];
  try {
    const result = refusalResult(input, onBlock);
    parts.push(
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: REFUSAL_ID },
      { type: 'text-delta', id: REFUSAL_ID, delta: input.blocked?.message ?? '' },
      { type: 'text-end', id: REFUSAL_ID },
      { type: 'finish', usage: EMPTY_USAGE, finishReason: result.finishReason, providerMetadata: result.providerMetadata ?? {} },
    );
  } catch (error) {
    // onBlock `throw`: the block is the stream's error, as any other model error would be.
    parts.push({ type: 'error', error });
  }
  return {
    stream: new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    }),
  };
}
