import type { ChatProvider, ProviderStream } from '../providers/chat-provider.js';
import { ProviderError } from '../providers/provider-error.js';

/** The same failure, its message saying which policy target's upstream it was. */
function named(target: string, error: unknown): unknown {
  // A target provider names its target already; a provider given to the gateway does not.
  if (!(error instanceof ProviderError) || error.message.startsWith('target `')) return error;
  return new ProviderError(error.provider, error.failure, `target \`${target}\`: ${error.message}`, { ...(error.status != null ? { status: error.status } : {}), cause: error });
}

/**
 * A provider whose failures name the policy target they served (`target \`sfw\`: cannot reach
 * openai at …`), so a 502 tells the operator which entry of which policy to check.
 */
export function withTargetName(target: string, provider: ChatProvider): ChatProvider {
  return {
    name: provider.name,
    complete: (request, options) => provider.complete(request, options).catch((error: unknown) => Promise.reject(named(target, error))),
    async stream(request, options) {
      const upstream = await provider.stream(request, options).catch((error: unknown) => Promise.reject(named(target, error)));
      const wrapped: ProviderStream = {
        abort: () => upstream.abort(),
        async *[Symbol.asyncIterator]() {
          try {
            yield* upstream;
          } catch (error) {
            throw named(target, error);
          }
        },
      };
      return wrapped;
    },
  };
}
