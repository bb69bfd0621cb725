import { Ollama, type Message as OllamaMessage, type Options as OllamaOptions, type Tool as OllamaTool } from 'ollama';
import { InputError } from '../errors.js';
import type {
  ChatMessage,
  ChatProvider,
  FinishReason,
  ProviderCallOptions,
  ProviderCompletion,
  ProviderRequest,
  ProviderStream,
  ProviderStreamEvent,
  ToolCall,
} from './chat-provider.js';
import { createCallDeadline, type CallDeadline } from './call-deadline.js';
import { ProviderConfigError, ProviderError } from './provider-error.js';
import { isRecord } from './openai-wire.js';
import { describeCause, resolveApiKey } from './provider-support.js';

export interface OllamaProviderOptions {
  /** Ollama's address (default `http://127.0.0.1:11434`). */
  host?: string;
  /** Default model, used when a request names none. */
  model?: string;
  /** For an Ollama behind an authenticating proxy or ollama.com: sent as a bearer token. */
  apiKey?: string;
  apiKeyEnv?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** A whole completion, or a stream's first event, must arrive within this (default 60 000 ms). */
  timeoutMs?: number;
  /** A stream may pause this long between events (default 30 000 ms). */
  idleTimeoutMs?: number;
  /** Passed to Ollama so the model stays loaded between calls (e.g. `'30m'`). */
  keepAlive?: string | number;
  fetch?: typeof fetch;
  /** Provider name in errors (default `ollama`). */
  name?: string;
}

/** An HTTP error or a garbage line, raised inside our `fetch` before ollama-js logs or skips it. */
class OllamaWireError extends Error {
  constructor(
    readonly kind: 'status' | 'bad_response',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const LIB_NO_DONE = /did not receive done/i;

/**
 * `/api/chat` through the `ollama` package, streamed as NDJSON or not. ollama-js passes no signal
 * for non-streamed calls and only its own for streamed ones, so each call gets a client whose
 * `fetch` carries our deadline (caller abort, timeouts); that fetch also rejects HTTP errors and
 * garbage lines itself, which ollama-js would otherwise log and silently skip.
 */
export function createOllamaProvider(options: OllamaProviderOptions = {}): ChatProvider {
  const name = options.name ?? 'ollama';
  const host = options.host ?? 'http://127.0.0.1:11434';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const baseFetch = options.fetch ?? fetch;

  const prepare = (request: ProviderRequest, deadline: CallDeadline): { client: Ollama; body: Record<string, unknown> } => {
    const model = request.model || options.model;
    if (!model) throw new ProviderConfigError(`the ${name} provider has no model to call`);
    const key = resolveApiKey(name, options);
    const client = new Ollama({
      host,
      ...(key != null ? { headers: { authorization: `Bearer ${key}` } } : {}),
      fetch: async (url, init) => {
        const inner = init?.signal;
        const signal = inner ? AbortSignal.any([inner, deadline.signal]) : deadline.signal;
        const response = await baseFetch(url, { ...init, signal });
        if (!response.ok) {
          const text = await response.text().catch(() => '');
          throw new OllamaWireError('status', `${name} answered HTTP ${response.status}${errorText(text)}`, response.status);
        }
        return response.body ? new Response(response.body.pipeThrough(ndjsonGuard(name)), response) : response;
      },
    });
    return { client, body: requestBody(model, request, options.keepAlive) };
  };

  const fail = (deadline: CallDeadline, error: unknown): unknown => {
    if (deadline.signal.aborted) return deadline.failure(name, error);
    return mapOllamaError(name, host, error);
  };

  return {
    name,
    async complete(request, callOptions?: ProviderCallOptions): Promise<ProviderCompletion> {
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs });
      try {
        const { client, body } = prepare(request, deadline);
        const response: unknown = await client.chat({ ...body, stream: false } as never);
        const read = readOllamaMessage(response);
        if (typeof read === 'string') throw new ProviderError(name, 'bad_response', `${name} sent an invalid chat response: ${read}`);
        const r = response as Record<string, unknown>;
        const out: ProviderCompletion = {
          model: typeof r.model === 'string' ? r.model : (body.model as string),
          text: read.content,
          toolCalls: read.toolCalls,
          finishReason: finishReason(r.done_reason, read.toolCalls),
        };
        const usage = usageOf(r);
        if (usage) out.usage = usage;
        return out;
      } catch (error) {
        throw fail(deadline, error);
      } finally {
        deadline.dispose();
      }
    },

    async stream(request, callOptions?: ProviderCallOptions): Promise<ProviderStream> {
      const deadline = createCallDeadline({ signal: callOptions?.signal, firstMs: timeoutMs, idleMs: idleTimeoutMs });
      let upstream: AsyncIterable<unknown> & { abort(): void };
      let model: string;
      try {
        const prepared = prepare(request, deadline);
        model = prepared.body.model as string;
        upstream = (await prepared.client.chat({ ...prepared.body, stream: true } as never)) as unknown as AsyncIterable<unknown> & { abort(): void };
      } catch (error) {
        deadline.dispose();
        throw fail(deadline, error);
      }

      async function* events(): AsyncGenerator<ProviderStreamEvent> {
        let done = false;
        const toolCalls: ToolCall[] = [];
        try {
          for await (const part of upstream) {
            deadline.progress();
            const read = readOllamaMessage(part);
            if (typeof read === 'string') throw new ProviderError(name, 'bad_response', `${name} sent an invalid stream line: ${read}`);
            toolCalls.push(...read.toolCalls);
            const r = part as Record<string, unknown>;
            if (typeof r.model === 'string' && r.model) model = r.model;
            if (read.content) yield { type: 'delta', text: read.content };
            if (r.done === true) {
              done = true;
              const usage = usageOf(r);
              yield { type: 'done', model, toolCalls, finishReason: finishReason(r.done_reason, toolCalls), ...(usage ? { usage } : {}) };
              return;
            }
          }
          throw new ProviderError(name, 'truncated', `${name} closed the stream before it finished`);
        } catch (error) {
          if (error instanceof ProviderError && !deadline.signal.aborted) throw error;
          throw fail(deadline, error);
        } finally {
          if (!done) {
            deadline.abort();
            upstream.abort();
          }
          deadline.dispose();
        }
      }

      const iterator = events();
      return {
        [Symbol.asyncIterator]: () => iterator,
        abort: () => deadline.abort(),
      };
    },
  };
}

function requestBody(model: string, request: ProviderRequest, keepAlive: string | number | undefined): Record<string, unknown> {
  const p = request.params;
  const o: Partial<OllamaOptions> = { ...(p.providerOptions as Partial<OllamaOptions> | undefined) };
  if (p.temperature !== undefined) o.temperature = p.temperature;
  if (p.top_p !== undefined) o.top_p = p.top_p;
  const maxTokens = p.max_completion_tokens ?? p.max_tokens;
  if (maxTokens !== undefined) o.num_predict = maxTokens;
  if (p.stop !== undefined) o.stop = p.stop;
  if (p.seed !== undefined) o.seed = p.seed;
  if (p.presence_penalty !== undefined) o.presence_penalty = p.presence_penalty;
  if (p.frequency_penalty !== undefined) o.frequency_penalty = p.frequency_penalty;
  const body: Record<string, unknown> = { model, messages: toOllamaMessages(request.messages) };
  if (Object.keys(o).length > 0) body.options = o;
  if (p.response_format?.type === 'json_object') body.format = 'json';
  else if (p.response_format?.type === 'json_schema') body.format = p.response_format.json_schema.schema ?? 'json';
  if (p.tools && p.tools.length > 0) body.tools = p.tools as unknown as OllamaTool[];
  if (keepAlive != null) body.keep_alive = keepAlive;
  return body;
}

/** OpenAI-style messages to Ollama's: text parts joined, `data:` images as base64, tool calls as objects. */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((m): OllamaMessage => {
    const images: string[] = [];
    const texts: string[] = [];
    const content = m.content;
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') texts.push(part.text);
        else if (part.type === 'refusal') texts.push(part.refusal);
        else images.push(dataUrlBase64(part.image_url.url));
      }
    }
    const out: OllamaMessage = { role: m.role === 'developer' ? 'system' : m.role, content: texts.join('\n') };
    if (images.length > 0) out.images = images;
    if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
      out.tool_calls = m.tool_calls.map((c) => {
        toolNames.set(c.id, c.function.name);
        return { function: { name: c.function.name, arguments: parseArguments(c.function.arguments) } };
      });
    }
    if (m.role === 'tool') {
      const toolName = toolNames.get(m.tool_call_id);
      if (toolName) out.tool_name = toolName;
    }
    return out;
  });
}

function dataUrlBase64(url: string): string {
  const m = /^data:[^;,]+;base64,(.*)$/s.exec(url);
  if (!m) throw new InputError('an ollama target takes images only as `data:` URLs with base64 content, not links');
  return m[1] as string;
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function readOllamaMessage(value: unknown): { content: string; toolCalls: ToolCall[] } | string {
  if (!isRecord(value)) return 'not a JSON object';
  const message = value.message;
  if (message == null) return value.done === true ? { content: '', toolCalls: [] } : 'no `message`';
  if (!isRecord(message)) return '`message` is not an object';
  if (message.content != null && typeof message.content !== 'string') return '`message.content` is not a string';
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') return 'a tool call has no function name';
      const args = call.function.arguments;
      toolCalls.push({
        id: `call_${Math.random().toString(36).slice(2, 14)}`,
        type: 'function',
        function: { name: call.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
      });
    }
  }
  return { content: (message.content as string | undefined) ?? '', toolCalls };
}

function finishReason(doneReason: unknown, toolCalls: ToolCall[]): FinishReason {
  if (toolCalls.length > 0) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

function usageOf(r: Record<string, unknown>): ProviderCompletion['usage'] {
  const p = r.prompt_eval_count;
  const c = r.eval_count;
  if (typeof p !== 'number' || typeof c !== 'number') return undefined;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

function errorText(text: string): string {
  let detail = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && typeof parsed.error === 'string') detail = parsed.error;
  } catch {
    // not JSON: the text itself
  }
  return detail ? `: ${detail.slice(0, 300)}` : '';
}

/**
 * Passes the body through unchanged but errors it at the first line that is not JSON, so a
 * garbage stream is a typed failure rather than lines ollama-js skips with a console warning.
 */
function ndjsonGuard(name: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  const check = (line: string, controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    if (line.trim() === '') return true;
    try {
      JSON.parse(line);
      return true;
    } catch {
      controller.error(new OllamaWireError('bad_response', `${name} sent a line that is not JSON: \`${line.slice(0, 80)}\``));
      return false;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (!check(line, controller)) return;
      controller.enqueue(chunk);
    },
    flush(controller) {
      pending += decoder.decode();
      check(pending, controller);
    },
  });
}

function mapOllamaError(name: string, host: string, error: unknown): unknown {
  if (error instanceof ProviderError || error instanceof ProviderConfigError || error instanceof InputError) return error;
  const wire = findWireError(error);
  if (wire) return new ProviderError(name, wire.kind, wire.message, { ...(wire.status != null ? { status: wire.status } : {}), cause: error });
  if (error instanceof SyntaxError) return new ProviderError(name, 'bad_response', `${name} sent a body that is not valid JSON`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  if (LIB_NO_DONE.test(message)) return new ProviderError(name, 'truncated', `${name} closed the stream before it finished`, { cause: error });
  if (error instanceof TypeError) {
    return new ProviderError(name, 'connection', `cannot reach ${name} at \`${host}\`: ${message}${describeCause(error.cause)}`, { cause: error });
  }
  // ollama-js throws a plain Error for an `{"error": …}` line in the stream.
  return new ProviderError(name, 'bad_response', `${name} reported an error: ${message}`, { cause: error });
}

function findWireError(error: unknown): OllamaWireError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e instanceof OllamaWireError) return e;
  return undefined;
}
