/**
 * The model side of the guard: one interface per way of calling a chat model. The shapes here
 * are internal (validated OpenAI-style messages in, plain text and metadata out); each provider
 * translates them to and from its vendor's wire format in its own file.
 */

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface RefusalPart {
  type: 'refusal';
  refusal: string;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | TextPart[]; name?: string }
  | { role: 'user'; content: string | (TextPart | ImagePart)[]; name?: string }
  | {
      role: 'assistant';
      content?: string | (TextPart | RefusalPart)[] | null;
      name?: string;
      refusal?: string | null;
      tool_calls?: ToolCall[];
    }
  | { role: 'tool'; content: string | TextPart[]; tool_call_id: string };

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

/**
 * Sampling and output options. `extra` carries other OpenAI parameters the guard accepted
 * as-is (`response_format`, `metadata`, …); providers that cannot honour one ignore it.
 */
export interface ChatParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  user?: string;
  response_format?:
    | { type: 'text' }
    | { type: 'json_object' }
    | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };
  tools?: ToolDefinition[];
  tool_choice?: unknown;
  /** The caller asked for token usage at the end of a stream. */
  include_usage?: boolean;
  extra?: Record<string, unknown>;
  /**
   * A target's own options beyond the common sampling ones, in its provider's terms: added to the
   * request body for OpenAI-compatible servers, to `options` for Ollama (`num_ctx`, …).
   */
  providerOptions?: Record<string, unknown>;
}

export interface ProviderRequest {
  /** The model to call (the guard passes its target's, never the one the client asked for); the provider's default when absent. */
  model?: string;
  messages: ChatMessage[];
  params: ChatParams;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ProviderCompletion {
  /** The upstream's id, when it gives one. */
  id?: string;
  /** The model that answered, as the upstream names it. */
  model: string;
  text: string;
  /** A refusal the model itself gave (OpenAI `message.refusal`). */
  refusal?: string;
  toolCalls: ToolCall[];
  /** The legacy `function_call` some OpenAI-compatible servers still send instead of a tool call. */
  functionCall?: ToolCall['function'];
  finishReason: FinishReason;
  usage?: TokenUsage;
}

/** A stream yields text deltas in order, then exactly one `done` event. */
export type ProviderStreamEvent =
  | { type: 'delta'; text: string }
  | ({ type: 'done' } & Omit<ProviderCompletion, 'text'>);

export interface ProviderStream extends AsyncIterable<ProviderStreamEvent> {
  /** Cancels the upstream request (the connection is closed); iteration then ends with an error. */
  abort(): void;
}

export interface ProviderCallOptions {
  signal?: AbortSignal;
}

export interface ChatProvider {
  /** `openai`, `ollama`, …: for messages and the audit trail. */
  readonly name: string;
  /**
   * One whole completion. Throws `ProviderError` (`provider_failed`) for anything the upstream
   * did wrong, `ProviderConfigError` (`provider_config`) before sending anything when the
   * provider cannot be used as configured, and the signal's reason when the caller aborted.
   */
  complete(request: ProviderRequest, options?: ProviderCallOptions): Promise<ProviderCompletion>;
  /**
   * Starts a streamed completion; resolves once the upstream accepted the request (so an HTTP
   * error rejects here), then errors mid-stream surface from the iteration.
   */
  stream(request: ProviderRequest, options?: ProviderCallOptions): Promise<ProviderStream>;
}
