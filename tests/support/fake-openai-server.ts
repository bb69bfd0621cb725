import { createHash } from 'node:crypto';
import {
  OPENAI_MODERATION_CATEGORIES,
  type OpenAIModerationCategory,
} from '../../src/taxonomy/openai-moderation-mapping.js';
import {
  sendJson,
  startFakeHttpServer,
  type FakeHttpServer,
  type RecordedRequest,
} from './fake-http-server.js';

export type ModerationScorer = (text: string) => Partial<Record<OpenAIModerationCategory, number>>;

export interface FakeOpenAIServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get a real-shaped 401. */
  apiKey?: string;
  /** Scores per input text; the default reads `[[category=score,…]]` markers (see `markerModerationScorer`). */
  scorer?: ModerationScorer;
}

export interface FakeOpenAIServer extends FakeHttpServer {
  /** `http://127.0.0.1:PORT/v1`: what `new OpenAI({ baseURL })` wants. */
  readonly baseURL: string;
  /** The moderation requests received, with `inputs` normalised to an array. */
  moderationRequests(): Array<RecordedRequest & { model: string; inputs: string[] }>;
  setScorer(scorer: ModerationScorer): void;
}

export const MODERATIONS_PATH = '/v1/moderations';

/** Real model snapshot names the `-latest` aliases resolve to in responses. */
const MODEL_SNAPSHOTS: Record<string, string> = {
  'omni-moderation-latest': 'omni-moderation-2024-09-26',
  'text-moderation-latest': 'text-moderation-007',
  'text-moderation-stable': 'text-moderation-007',
};

/** The error body OpenAI sends: `{ error: { message, type, param, code } }`. */
export function openAIErrorBody(status: number, message?: string): unknown {
  const [type, code, text] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided: sk-te***st. You can find your API key at https://platform.openai.com/account/api-keys.']
      : status === 429
        ? ['requests', 'rate_limit_exceeded', 'Rate limit reached for omni-moderation-latest in organization org-fake on requests per min (RPM): Limit 1000, Used 1000, Requested 1. Please try again in 60ms.']
        : status === 400
          ? ['invalid_request_error', null, 'Invalid request.']
          : status >= 500
            ? ['server_error', null, 'The server had an error while processing your request. Sorry about that!']
            : ['invalid_request_error', null, `HTTP ${status}`];
  return { error: { message: message ?? text, type, param: null, code } };
}

/**
 * Reads `[[sexual=0.93, hate=0.4]]` markers in the text; every other category gets a tiny,
 * deterministic score derived from the text, as the real endpoint gives benign text.
 */
export const markerModerationScorer: ModerationScorer = (text) => {
  const digest = createHash('sha256').update(text).digest();
  const scores: Partial<Record<OpenAIModerationCategory, number>> = {};
  OPENAI_MODERATION_CATEGORIES.forEach((c, i) => {
    scores[c] = ((digest[i % digest.length] as number) + 1) / 1e6;
  });
  for (const m of text.matchAll(/\[\[([^\]]*)\]\]/g)) {
    for (const pair of (m[1] as string).split(',')) {
      const [name, value] = pair.split('=').map((s) => s.trim());
      if (name && value && (OPENAI_MODERATION_CATEGORIES as readonly string[]).includes(name)) {
        scores[name as OpenAIModerationCategory] = Number(value);
      }
    }
  }
  return scores;
};

/**
 * A fake OpenAI API on 127.0.0.1 answering `POST /v1/moderations` with the real response shape
 * (`id`, `model`, `results[]` with `flagged`, `categories`, `category_scores`,
 * `category_applied_input_types`). Other endpoints (chat completions, JSON or SSE) can be
 * added with `route('POST', '/v1/chat/completions', handler)` and the helpers of
 * `fake-http-server.ts`; misbehaviours are scripted per path with `script` and `always`.
 */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const base = await startFakeHttpServer({ errorBody: (status) => openAIErrorBody(status) });
  let scorer = options.scorer ?? markerModerationScorer;
  let counter = 0;

  base.route('POST', MODERATIONS_PATH, (req, res) => {
    if (options.apiKey != null && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, openAIErrorBody(401));
      return;
    }
    const parsed = readModerationRequest(req.json);
    if ('error' in parsed) {
      sendJson(res, 400, { error: { message: parsed.error, type: 'invalid_request_error', param: 'input', code: null } });
      return;
    }
    const omni = parsed.model.startsWith('omni');
    const categories = OPENAI_MODERATION_CATEGORIES.filter((c) => omni || !c.startsWith('illicit'));
    const results = parsed.inputs.map((text) => {
      const raw = scorer(text);
      const scores = Object.fromEntries(categories.map((c) => [c, raw[c] ?? 0]));
      const flags = Object.fromEntries(categories.map((c) => [c, (raw[c] ?? 0) >= 0.5]));
      const result: Record<string, unknown> = {
        flagged: Object.values(flags).some(Boolean),
        categories: flags,
        category_scores: scores,
      };
      if (omni) result.category_applied_input_types = Object.fromEntries(categories.map((c) => [c, ['text']]));
      return result;
    });
    counter += 1;
    sendJson(
      res,
      200,
      { id: `modr-${counter.toString(16).padStart(8, '0')}`, model: MODEL_SNAPSHOTS[parsed.model] ?? parsed.model, results },
      { 'x-request-id': `req_fake_${counter}` },
    );
  });

  return Object.assign(base, {
    baseURL: `${base.url}/v1`,
    moderationRequests() {
      return base.requests
        .filter((r) => r.path === MODERATIONS_PATH)
        .map((r) => {
          const parsed = readModerationRequest(r.json);
          return 'error' in parsed ? { ...r, model: '', inputs: [] } : { ...r, ...parsed };
        });
    },
    setScorer(next: ModerationScorer) {
      scorer = next;
    },
  });
}

function readModerationRequest(body: unknown): { model: string; inputs: string[] } | { error: string } {
  if (typeof body !== 'object' || body === null) return { error: 'We could not parse the JSON body of your request.' };
  const { model, input } = body as { model?: unknown; input?: unknown };
  const name = typeof model === 'string' ? model : 'omni-moderation-latest';
  if (typeof input === 'string') return { model: name, inputs: [input] };
  if (Array.isArray(input) && input.length > 0) {
    const inputs: string[] = [];
    for (const item of input) {
      if (typeof item === 'string') inputs.push(item);
      else if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text') {
        inputs.push(String((item as { text?: unknown }).text ?? ''));
      } else return { error: "Invalid value for 'input'." };
    }
    return { model: name, inputs };
  }
  return { error: "'input' is a required property" };
}
