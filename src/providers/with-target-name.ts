import type { ChatProvider, ProviderStream } from './chat-provider.js';
import { ProviderConfigError, ProviderError } from './provider-error.js';

/** The same provider failure, its message prefixed with the target it served (once). */
function named(target: string, error: unknown): unknown {
  if (!(error instanceof ProviderError || error instanceof ProviderConfigError) || error.message.startsWith('target `')) return error;
  const message = `target \`${target}\`: ${error.message}`;
  if (error instanceof ProviderConfigError) return new ProviderConfigError(message, { ...(error.variable != null ? { variable: error.variable } : {}), cause: error });
  return new ProviderError(error.provider, error.failure, message, { ...(error.status != null ? { status: error.status } : {}), cause: error });
}

/**
 * A provider whose errors say which policy target they are about — `target \`sfw\`: the openai API
 * key variable …`, `target \`restricted\`: cannot reach ollama at …` — so whoever reads them (the
 * app's logs, `saferoute chat`, a gateway's 502) knows which entry of which policy to check. A
 * provider that names its target already is left as it is.
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
