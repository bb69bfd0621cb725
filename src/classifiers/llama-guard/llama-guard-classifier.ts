import { Ollama, type Options as OllamaOptions } from 'ollama';
import type { Classifier, ClassifierInput, ClassifierOutcome, Evidence } from '../classifier.js';
import type { Category, Scores } from '../../taxonomy/categories.js';
import { LLAMA_GUARD_TO_CANONICAL, isLlamaGuardCode } from '../../taxonomy/llama-guard-mapping.js';
import { llamaGuardMessages } from './llama-guard-messages.js';
import { startRemoteCall } from '../remote-call.js';
import { parseLlamaGuardVerdict } from './parse-llama-guard-verdict.js';

export interface LlamaGuardClassifierOptions {
  /** Ollama's address (default `http://127.0.0.1:11434`). */
  host?: string;
  model?: string;
  /** Bound on one call (default 30 000 ms: an 8B model on a CPU is slow). */
  timeoutMs?: number;
  /** Passed to Ollama so the model stays loaded between calls (e.g. `'30m'`). */
  keepAlive?: string | number;
  /** Extra sampling options; `temperature` is always 0 so the verdict is repeatable. */
  options?: Partial<OllamaOptions>;
  /** Classifier id (default `llama-guard`). */
  id?: string;
}

export const DEFAULT_LLAMA_GUARD_MODEL = 'llama-guard3:8b';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/**
 * Every canonical category a Llama Guard 3 code maps to, plus `unsafe` for the verdict itself
 * (Llama Guard's `unsafe` is exactly "harmful or refusable", whatever the code).
 */
export const LLAMA_GUARD_CANONICAL_CATEGORIES: readonly Category[] = [
  ...new Set<Category>([...Object.values(LLAMA_GUARD_TO_CANONICAL).flat(), 'unsafe']),
];

/** An HTTP error from Ollama, raised in our `fetch` so ollama-js never logs or reshapes it. */
class OllamaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Llama Guard 3 served by Ollama (`POST /api/chat`, not streamed, temperature 0). The verdict
 * has no scores: each covered category becomes 1 when a code maps to it, else 0, and
 * `verdictOnly` says so. `unsafe` without a known code scores `unsafe` only: the other
 * categories stay unknown rather than being called clean. Never throws.
 */
export function createLlamaGuardClassifier(options: LlamaGuardClassifierOptions = {}): Classifier {
  const id = options.id ?? 'llama-guard';
  const host = options.host ?? DEFAULT_OLLAMA_HOST;
  const model = options.model ?? DEFAULT_LLAMA_GUARD_MODEL;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A verdict is a handful of tokens; capping generation bounds a model that rambles.
  const sampling: Partial<OllamaOptions> = { num_predict: 64, ...options.options, temperature: 0 };

  return {
    id,
    version: model,
    categories: LLAMA_GUARD_CANONICAL_CATEGORIES,
    async classify(input: ClassifierInput, callOptions?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const signal = callOptions?.signal;
      const call = startRemoteCall('llama guard', timeoutMs, signal);
      if (signal?.aborted || typeof input?.text !== 'string') {
        call.dispose();
        return signal?.aborted
          ? call.failed('aborted', 'the call was aborted before it started')
          : call.failed('input_invalid', 'the input text is not a string');
      }

      // ollama-js passes no signal for non-streamed calls, so each call gets a client whose
      // fetch carries ours; it also turns HTTP errors into ours before ollama-js logs them.
      const client = new Ollama({
        host,
        fetch: async (url, init) => {
          const response = await fetch(url, { ...init, signal: call.signal });
          if (!response.ok) throw new OllamaHttpError(response.status, await response.text().catch(() => ''));
          return response;
        },
      });

      try {
        const response: unknown = await client.chat({
          model,
          messages: llamaGuardMessages(input),
          stream: false,
          options: sampling,
          ...(options.keepAlive != null ? { keep_alive: options.keepAlive } : {}),
        });
        const content = (response as { message?: { content?: unknown } } | null)?.message?.content;
        if (typeof content !== 'string') return call.failed('bad_response', 'the ollama chat response has no `message.content`');
        const verdict = parseLlamaGuardVerdict(content);
        if ('error' in verdict) return call.failed('bad_response', verdict.error);
        return { status: 'ok', ...verdictToScores(verdict, input.text.length, id), latencyMs: call.elapsed() };
      } catch (error) {
        if (call.stopped()) return call.stoppedOutcome();
        if (error instanceof OllamaHttpError) return call.failed(...describeHttpError(error, model, host));
        if (error instanceof SyntaxError) return call.failed('bad_response', 'the ollama chat response is not valid JSON');
        return call.failed('upstream_error', `cannot reach ollama at \`${host}\`${describeCause(error)}`);
      } finally {
        call.dispose();
      }
    },
  };
}

function verdictToScores(
  verdict: { safe: boolean; codes: string[] },
  textLength: number,
  source: string,
): { scores: Scores; evidence?: Evidence[]; verdictOnly: Category[] } {
  const scores: Scores = {};
  if (verdict.safe) {
    for (const c of LLAMA_GUARD_CANONICAL_CATEGORIES) scores[c] = 0;
    return { scores, verdictOnly: [...LLAMA_GUARD_CANONICAL_CATEGORIES] };
  }
  scores.unsafe = 1;
  const evidence: Evidence[] = [];
  const known = verdict.codes.filter(isLlamaGuardCode);
  if (known.length > 0) {
    for (const c of LLAMA_GUARD_CANONICAL_CATEGORIES) if (c !== 'unsafe') scores[c] = 0;
  }
  for (const code of verdict.codes) {
    // The verdict is about the whole text, so its evidence spans all of it.
    const categories: readonly Category[] = isLlamaGuardCode(code) ? LLAMA_GUARD_TO_CANONICAL[code] : ['unsafe'];
    for (const category of categories) {
      scores[category] = 1;
      evidence.push({ category, start: 0, end: textLength, match: code, source });
    }
  }
  if (verdict.codes.length === 0) evidence.push({ category: 'unsafe', start: 0, end: textLength, match: 'unsafe', source });
  return { scores, evidence, verdictOnly: Object.keys(scores) as Category[] };
}

function describeHttpError(error: OllamaHttpError, model: string, host: string): [string, string] {
  let detail = error.body.trim().slice(0, 200);
  try {
    const parsed = JSON.parse(error.body) as { error?: unknown };
    if (typeof parsed.error === 'string') detail = parsed.error;
  } catch {
    // Not JSON: the raw text is the best detail there is.
  }
  const suffix = detail !== '' ? `: ${detail}` : '';
  if (error.status === 404) return ['upstream_error', `ollama at \`${host}\` has no model \`${model}\` (HTTP 404${suffix}); run \`ollama pull ${model}\``];
  if (error.status === 401 || error.status === 403) return ['auth', `ollama at \`${host}\` refused the request (HTTP ${error.status})`];
  if (error.status === 429) return ['rate_limited', `ollama at \`${host}\` is overloaded (HTTP 429${suffix})`];
  return ['upstream_error', `ollama at \`${host}\` answered HTTP ${error.status}${suffix}`];
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let c = error, depth = 0; c instanceof Error && depth < 4; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${c.message} (${code})` : c.message);
  }
  return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}
