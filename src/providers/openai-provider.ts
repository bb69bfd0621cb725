import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatParams,
  ChatProvider,
  ProviderCallOptions,
  ProviderCompletion,
  ProviderRequest,
  ProviderStream,
} from './chat-provider.js';
import { createCallDeadline, type CallDeadline } from './call-deadline.js';
import { ProviderConfigError, ProviderError } from './provider-error.js';
import { providerCompletion } from './openai-wire.js';
import { openAIStreamEvents } from './openai-stream-events.js';
import { describeCause, redactApiKey, resolveApiKey } from './provider-support.js';

/** What every provider of an OpenAI-compatible server is configured with. */
export interface OpenAICompatibleOptions {
  /** Default model, used when a request names none. */
  model?: string;
  /** Any OpenAI-compatible server (`http://127.0.0.1:8000/v1` for vLLM, …); default `OPENAI_BASE_URL`, else api.openai.com. */
  baseURL?: string;
  /** The key itself; prefer `apiKeyEnv` so the key never sits in configuration. */
  apiKey?: string;
  /** Name of the environment variable holding the key, read at each call. */
  apiKeyEnv?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** A whole completion, or a stream's first event, must arrive within this (default 60 000 ms). */
  timeoutMs?: number;
  /** A stream may pause this long between events (default 30 000 ms). */
  idleTimeoutMs?: number;
  /** Provider name in errors (default `openai`). */
  name?: string;
}

export interface OpenAIProviderOptions extends OpenAICompatibleOptions {
  /** SDK retries of the initial request on 408/409/429/5xx and connection errors (default 2). */
  maxRetries?: number;
  fetch?: typeof fetch;
  /** An existing client to call through (its key, base URL and fetch); the options above about them are then ignored. */
  client?: OpenAI;
}

/**
 * Chat Completions through the `openai` package. Without a key and without `baseURL` nothing is
 * sent (`provider_config`); with a `baseURL` and no key a placeholder is sent, as local servers
 * (llama.cpp, LM Studio, Ollama's `/v1`) ignore it.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): ChatProvider {
  const name = options.name ?? 'openai';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  // Before a client exists: where the SDK will send (it reads OPENAI_BASE_URL from the process
  // environment when no baseURL is given). Once a client exists its own `baseURL` is used.
  const configuredWhere = options.client?.baseURL ?? options.baseURL ?? (process.env['OPENAI_BASE_URL']?.trim() || 'https://api.openai.com/v1');
  let cached: { key: string; client: OpenAI } | undefined;

  const clientFor = (): { client: OpenAI; key: string } => {
    if (options.client) return { client: options.client, key: options.client.apiKey ?? '' };
    const key = resolveApiKey(name, options) ?? (options.baseURL != null ? 'unused' : undefined);
    if (key == null) {
      throw new ProviderConfigError(`the ${name} provider for \`${configuredWhere}\` needs an API key: set \`apiKeyEnv\` (or \`apiKey\`)`);
    }
    if (cached?.key !== key) {
      cached = {
        key,
        client: new OpenAI({
          apiKey: key,
          ...(options.baseURL != null ? { baseURL: options.baseURL } : {}),
          maxRetries,
          timeout: timeoutMs,
          logLevel: 'off',
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      };
    }
    return cached;
  };

  const modelOf = (request: ProviderRequest): string => {
    const model = request.model || options.model;
    if (!model) throw new ProviderConfigError(`the ${name} provider has no model to call`);
    return model;
  };

  const fail = (deadline: CallDeadline, client: OpenAI, key: string, error: unknown): unknown => {
    if (deadline.signal.aborted) return deadline.failure(name, error);
    // The client's own base URL: the server really called, whatever set it (option or OPENAI_BASE_URL).
    return mapOpenAIError(name, client.baseURL || configuredWhere, key, error);
  };

  return {
    name,
    async complete(request, callOptions?: ProviderCallOptions): Promise<ProviderCompletion> {
      const model = modelOf(request);
      const { client, key } = clientFor();
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs });
      try {
        const body: unknown = await client.chat.completions.create(
          { ...requestBody(model, request), stream: false } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal: deadline.signal },
        );
        return providerCompletion(name, model, body);
      } catch (error) {
        throw fail(deadline, client, key, error);
      } finally {
        deadline.dispose();
      }
    },

    async stream(request, callOptions?: ProviderCallOptions): Promise<ProviderStream> {
      const model = modelOf(request);
      const { client, key } = clientFor();
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs, idleMs: idleTimeoutMs });
      let upstream: AsyncIterable<unknown>;
      try {
        const body = {
          ...requestBody(model, request),
          stream: true,
          ...(request.params.include_usage ? { stream_options: { include_usage: true } } : {}),
        };
        upstream = (await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, {
          signal: deadline.signal,
        })) as AsyncIterable<unknown>;
      } catch (error) {
        deadline.dispose();
        throw fail(deadline, client, key, error);
      }

      const iterator = openAIStreamEvents(name, model, upstream, deadline, (error) => fail(deadline, client, key, error));
      return {
        [Symbol.asyncIterator]: () => iterator,
        abort: () => deadline.abort(),
      };
    },
  };
}

/** The Chat Completions body for `request`: its parameters, the target's provider options, the model. */
export function requestBody(model: string, request: ProviderRequest): Record<string, unknown> {
  const p: ChatParams = request.params;
  const body: Record<string, unknown> = { ...(p.extra ?? {}), model, messages: request.messages };
  const copy = ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'user', 'response_format', 'tools', 'tool_choice'] as const;
  for (const k of copy) if (p[k] !== undefined) body[k] = p[k];
  // Without provider options the spread below would copy `body` as it is (model and messages are
  // already its own): skipped, as an object literal opening with a spread costs about 1 µs on Node 20.
  if (!p.providerOptions) return body;
  return { ...body, ...p.providerOptions, model, messages: request.messages };
}

function mapOpenAIError(name: string, where: string, key: string, error: unknown): unknown {
  const redact = (s: string): string => redactApiKey(key, s);
  if (error instanceof ProviderError || error instanceof ProviderConfigError) return error;
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(name, 'timeout', `${name} at \`${where}\` did not answer in time`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(name, 'connection', redact(`cannot reach ${name} at \`${where}\`${describeCause(error.cause)}`), { cause: error });
  }
  if (error instanceof APIError) {
    if (error.status != null) {
      return new ProviderError(name, 'status', redact(`${name} answered HTTP ${error.status}: ${error.message}`), { status: error.status, cause: error });
    }
    return new ProviderError(name, 'bad_response', redact(`${name} reported an error in the stream: ${error.message}`), { cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError(name, 'bad_response', `${name} sent a body that is not valid JSON`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(name, 'connection', redact(`${name} connection failed: ${message}${describeCause((error as Error)?.cause)}`), { cause: error });
}
