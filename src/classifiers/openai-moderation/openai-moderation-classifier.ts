import { performance } from 'node:perf_hooks';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import type { Scores } from '../../taxonomy/categories.js';
import { createMicroBatcher } from './micro-batcher.js';
import { OPENAI_MODERATION_CANONICAL_CATEGORIES, parseModerationResponse } from './moderation-response.js';
import { retryAfterMs } from './retry-after.js';
import { wellFormedText } from './well-formed-text.js';
import { startRemoteCall } from '../remote-call.js';
import { retryWithBackoff, type RetryVerdict } from './retry-with-backoff.js';

export interface OpenAIModerationClassifierOptions {
  /** The key itself; prefer `apiKeyEnv` so the key never sits in configuration. */
  apiKey?: string;
  /** Name of the environment variable holding the key (default `OPENAI_API_KEY`). */
  apiKeyEnv?: string;
  /** Where `apiKeyEnv` is read (default `process.env`), read at each call until a key is found. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default `https://api.openai.com/v1`; any server speaking `POST /moderations`. */
  baseURL?: string;
  model?: string;
  /** Bound on one call's total time, retries and waits included (default 10 000 ms). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and connection failures (default 3). */
  maxRetries?: number;
  /** Full-jitter backoff when the server gives no `Retry-After` (defaults 250 ms and 4 000 ms). */
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Concurrent calls within `maxWaitMs` share one request of up to `maxSize` inputs; `false` sends each alone. */
  batch?: { maxSize?: number; maxWaitMs?: number } | false;
  /** Classifier id (default `openai-moderation`). */
  id?: string;
}

type ItemResult = { ok: true; scores: Scores } | { ok: false; code: string; message: string };

export const DEFAULT_OPENAI_MODERATION_MODEL = 'omni-moderation-latest';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * OpenAI's moderation endpoint as a `Classifier`. The SDK's own retries are off (`maxRetries: 0`)
 * so that retrying, its bound and its error codes are ours and tested. Never throws: every
 * failure is `{ status: 'failed' }` with `rate_limited`, `timeout`, `upstream_error`,
 * `bad_response`, `auth`, `aborted` or `config`; the API key never appears in a message.
 */
export function createOpenAIModerationClassifier(options: OpenAIModerationClassifierOptions = {}): Classifier {
  const id = options.id ?? 'openai-moderation';
  const model = options.model ?? DEFAULT_OPENAI_MODERATION_MODEL;
  const apiKeyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const baseURL = options.baseURL ?? DEFAULT_BASE_URL;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelayMs = options.retry?.baseDelayMs ?? 250;
  const maxDelayMs = options.retry?.maxDelayMs ?? 4_000;
  const batchOptions = options.batch === false ? { maxSize: 1, maxWaitMs: 0 } : options.batch ?? {};

  let client: OpenAI | undefined;
  let apiKey: string | undefined;

  const resolveClient = (): OpenAI | undefined => {
    if (client) return client;
    const key = options.apiKey ?? (options.env ?? process.env)[apiKeyEnv];
    if (key == null || key.trim() === '') return undefined;
    apiKey = key;
    client = new OpenAI({ apiKey: key, baseURL, maxRetries: 0, timeout: timeoutMs, logLevel: 'off' });
    return client;
  };

  const redact = (message: string): string => {
    let out = apiKey ? message.split(apiKey).join('[redacted]') : message;
    // OpenAI echoes a masked key (`sk-ab***yz`) in 401 messages: drop even that.
    out = out.replace(/\bsk-[A-Za-z0-9_*.-]{3,}/g, 'sk-[redacted]');
    return out;
  };

  const describe = (error: unknown): ItemResult => {
    if (error instanceof APIUserAbortError) return { ok: false, code: 'aborted', message: 'the moderation request was aborted' };
    if (error instanceof APIConnectionTimeoutError) {
      return { ok: false, code: 'timeout', message: `openai moderation did not answer within ${timeoutMs} ms` };
    }
    if (error instanceof APIConnectionError) {
      const cause = describeCause(error.cause);
      return { ok: false, code: 'upstream_error', message: redact(`cannot reach openai moderation at \`${baseURL}\`${cause}`) };
    }
    if (error instanceof APIError && error.status != null) {
      const status = error.status;
      if (status === 401 || status === 403) {
        const source = options.apiKey != null ? 'the configured API key' : `the API key in \`${apiKeyEnv}\``;
        return { ok: false, code: 'auth', message: `openai moderation rejected ${source} (HTTP ${status})` };
      }
      if (status === 429) return { ok: false, code: 'rate_limited', message: redact(`openai moderation is rate limiting (HTTP 429): ${error.message}`) };
      return { ok: false, code: 'upstream_error', message: redact(`openai moderation answered HTTP ${status}: ${error.message}`) };
    }
    if (error instanceof SyntaxError) return { ok: false, code: 'bad_response', message: 'the moderation response is not valid JSON' };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'upstream_error', message: redact(`openai moderation call failed: ${message}`) };
  };

  const shouldRetry = (error: unknown): RetryVerdict => {
    if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError) return { retry: false };
    if (error instanceof APIConnectionError) return { retry: true };
    if (error instanceof APIError && error.status != null && (error.status === 429 || error.status >= 500)) {
      return { retry: true, retryAfterMs: retryAfterMs(error.headers) };
    }
    return { retry: false };
  };

  const runBatch = async (texts: readonly string[], signal: AbortSignal): Promise<ItemResult[]> => {
    const api = resolveClient();
    if (!api) return texts.map(() => missingKey());
    const deadline = performance.now() + timeoutMs;
    try {
      const body: unknown = await retryWithBackoff(
        () =>
          api.moderations.create(
            { model, input: texts.length === 1 ? (texts[0] as string) : [...texts] },
            { signal, maxRetries: 0, timeout: Math.max(1, Math.ceil(deadline - performance.now())) },
          ),
        { maxRetries, baseDelayMs, maxDelayMs, deadline, signal, shouldRetry },
      );
      const parsed = parseModerationResponse(body, texts.length);
      if ('error' in parsed) return texts.map(() => ({ ok: false, code: 'bad_response', message: parsed.error }));
      return parsed.results.map((r) => (r.ok ? r : { ok: false, code: 'bad_response', message: r.message }));
    } catch (error) {
      const described = describe(error);
      return texts.map(() => described);
    }
  };

  const missingKey = (): ItemResult => ({
    ok: false,
    code: 'config',
    message: `no OpenAI API key: set the environment variable \`${apiKeyEnv}\``,
  });

  const batcher = createMicroBatcher<string, ItemResult>({
    maxSize: batchOptions.maxSize ?? 32,
    maxWaitMs: batchOptions.maxWaitMs ?? 5,
    run: runBatch,
    fail: (error) => ({ ok: false, code: 'upstream_error', message: redact(error instanceof Error ? error.message : String(error)) }),
  });

  return {
    id,
    version: model,
    categories: OPENAI_MODERATION_CANONICAL_CATEGORIES,
    async classify(input: ClassifierInput, callOptions?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const signal = callOptions?.signal;
      const call = startRemoteCall('openai moderation', timeoutMs, signal);
      try {
        if (signal?.aborted) return call.failed('aborted', 'the call was aborted before it started');
        if (!resolveClient()) {
          const r = missingKey() as { code: string; message: string };
          return call.failed(r.code, r.message);
        }
        // Classifying `''` instead would return low scores for text nobody looked at.
        if (typeof input?.text !== 'string') return call.failed('input_invalid', 'the input text is not a string');
        const result = await batcher.submit(wellFormedText(input.text), call.signal);
        if (result.status === 'aborted') return call.stoppedOutcome();
        const value = result.value;
        if (!value.ok) return call.failed(value.code, value.message);
        return { status: 'ok', scores: { ...value.scores }, latencyMs: call.elapsed() };
      } catch (error) {
        // Unreachable by design (the batcher never rejects); kept so a bug cannot become a throw.
        return call.failed('upstream_error', redact(error instanceof Error ? error.message : String(error)));
      } finally {
        call.dispose();
      }
    },
  };
}

/** `fetch failed` says nothing; the cause chain holds `ECONNRESET`, `ECONNREFUSED`, … */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c = cause, depth = 0; c instanceof Error && depth < 4; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${c.message} (${code})` : c.message);
  }
  return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}
