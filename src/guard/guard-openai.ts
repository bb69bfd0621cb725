import type OpenAI from 'openai';
import type {
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ChatProvider } from '../providers/chat-provider.js';
import { createOpenAIProvider } from '../providers/openai-provider.js';
import { ContentBlockedError } from './content-blocked-error.js';
import { normaliseOnBlock, type LegacyOnBlock } from './on-block.js';
import type { ChatRequestInput, Guard } from './create-guard.js';
import type { GuardContext } from './guard-context.js';
import type { GuardedChunk, GuardedCompletion } from './openai-shapes.js';
import type { GuardedStream } from './guarded-stream.js';
import type { SaferouteInfo } from './saferoute-info.js';

export interface GuardOpenAIOptions {
  /**
   * A blocked call rejects with `ContentBlockedError` (`throw`, default, as the SDK rejects on
   * errors) or resolves to a completion carrying the refusal (`refuse`; `refusal` is its earlier
   * spelling).
   */
  onBlock?: 'throw' | 'refuse' | Extract<LegacyOnBlock, 'refusal'>;
  /** The subject, tenant, … of every call, or a function of the call's parameters. */
  context?: GuardContext | ((params: ChatCompletionCreateParams) => GuardContext);
  /**
   * Serve the policy's `openai` targets that name no `baseURL` through the wrapped client (its
   * key and base URL), default true. Targets with a `baseURL` are other servers and keep the
   * guard's providers.
   */
  useClient?: boolean;
}

export interface GuardedRequestOptions {
  signal?: AbortSignal;
  /** This call's context, merged over the wrapper's. */
  saferoute?: GuardContext;
}

/** What a streamed `create` resolves to: an async iterable of chunks, like the SDK's `Stream`. */
export interface GuardedOpenAIStream extends AsyncIterable<GuardedChunk> {
  /** Aborting it stops the stream and cancels the upstream request, as with the SDK. */
  readonly controller: AbortController;
  readonly saferoute: SaferouteInfo;
}

export interface GuardedCompletions {
  create(params: ChatCompletionCreateParamsStreaming, options?: GuardedRequestOptions): Promise<GuardedOpenAIStream>;
  create(params: ChatCompletionCreateParamsNonStreaming, options?: GuardedRequestOptions): Promise<GuardedCompletion>;
  create(params: ChatCompletionCreateParams, options?: GuardedRequestOptions): Promise<GuardedOpenAIStream | GuardedCompletion>;
}

export type GuardedOpenAI = Omit<OpenAI, 'chat'> & {
  chat: Omit<OpenAI['chat'], 'completions'> & { completions: Omit<OpenAI['chat']['completions'], 'create'> & GuardedCompletions };
};

/**
 * Wraps an OpenAI client so that `chat.completions.create` goes through the guard, streamed or
 * not, and returns the same shapes (plus a `saferoute` field). Everything else on the client is
 * the client's own. An app changes one line: `const openai = guardOpenAI(new OpenAI(), guard)`.
 */
export function guardOpenAI(client: OpenAI, guard: Guard, options: GuardOpenAIOptions = {}): GuardedOpenAI {
  const onBlock = normaliseOnBlock(options.onBlock, 'throw');
  const overrides: Record<string, ChatProvider> = {};
  if (options.useClient !== false) {
    const provider = createOpenAIProvider({ client });
    for (const [name, target] of Object.entries(guard.runtime.policy.document.targets)) {
      if (target.provider === 'openai' && target.baseURL == null) overrides[name] = provider;
    }
  }

  async function create(params: ChatCompletionCreateParams, requestOptions: GuardedRequestOptions = {}): Promise<GuardedOpenAIStream | GuardedCompletion> {
    const base = typeof options.context === 'function' ? options.context(params) : (options.context ?? {});
    const controller = new AbortController();
    const signals = [requestOptions.signal, base.signal, requestOptions.saferoute?.signal].filter((s): s is AbortSignal => s != null);
    const signal = signals.length > 0 ? AbortSignal.any([...signals, controller.signal]) : controller.signal;
    const context: GuardContext = { ...base, ...requestOptions.saferoute, signal };
    const result = await guard.chat(params as ChatRequestInput, context, { onBlock: onBlock === 'throw' ? 'throw' : 'refuse', providers: overrides });
    if (!isStream(result)) return result;
    controller.signal.addEventListener('abort', () => result.abort(), { once: true });
    return {
      controller,
      saferoute: result.saferoute,
      async *[Symbol.asyncIterator]() {
        for await (const chunk of result) {
          yield chunk;
          // The refusal chunk went out first, so an app that only reads `delta.content` still ends cleanly.
          if (onBlock === 'throw' && chunk.saferoute?.blocked) {
            throw new ContentBlockedError(chunk.saferoute.blocked, chunk.saferoute.decisions.output ?? chunk.saferoute.decisions.input);
          }
        }
      },
    };
  }

  const completions = overlay(client.chat.completions, { create });
  const chat = overlay(client.chat, { completions });
  return overlay(client, { chat }) as unknown as GuardedOpenAI;
}

function isStream(value: GuardedCompletion | GuardedStream): value is GuardedStream {
  return typeof (value as GuardedStream).abort === 'function';
}

/** `target` with some properties replaced; everything else read from (and bound to) `target`. */
function overlay<T extends object>(target: T, replaced: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && prop in replaced) return replaced[prop];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}
