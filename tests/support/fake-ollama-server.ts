import {
  sendJson,
  sendNdjson,
  startFakeHttpServer,
  type FakeHttpServer,
  type RecordedRequest,
} from './fake-http-server.js';

export interface OllamaChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream: boolean;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
}

/** What the model "says" to a chat request. */
export type OllamaReply = (body: OllamaChatBody) => string;

export interface FakeOllamaServerOptions {
  /** Models that exist; others get Ollama's 404 `model "x" not found`. */
  models?: string[];
  reply?: OllamaReply;
}

export interface FakeOllamaServer extends FakeHttpServer {
  /** The `host` for `new Ollama({ host })`. */
  readonly host: string;
  chatRequests(): Array<RecordedRequest & { chat: OllamaChatBody }>;
  setReply(reply: OllamaReply): void;
}

export const CHAT_PATH = '/api/chat';

/**
 * Answers like Llama Guard: `[[lg:unsafe|S1,S10]]` in the last message makes it say
 * `unsafe\nS1,S10` (`|` stands for a newline); without a marker it says `safe`.
 */
export const markerLlamaGuardReply: OllamaReply = (body) => {
  const last = body.messages[body.messages.length - 1]?.content ?? '';
  const m = /\[\[lg:([^\]]*)\]\]/.exec(last);
  return m ? (m[1] as string).split('|').join('\n') : 'safe';
};

/**
 * A fake Ollama on 127.0.0.1: `POST /api/chat` with the real non-streaming shape
 * (`model`, `created_at`, `message`, `done`, `done_reason`, durations and counts) and, when
 * `stream` is true or absent (Ollama's default), NDJSON chunks ending with a `done: true` line.
 * Also `GET /api/version` and `GET /api/tags`. Misbehaviours are scripted per path.
 */
export async function startFakeOllamaServer(options: FakeOllamaServerOptions = {}): Promise<FakeOllamaServer> {
  const base = await startFakeHttpServer({ errorBody: (status) => ({ error: `fake ollama status ${status}` }) });
  const models = options.models ?? ['llama-guard3:8b', 'llama-guard3:1b'];
  let reply = options.reply ?? markerLlamaGuardReply;

  base.route('GET', '/api/version', (_req, res) => sendJson(res, 200, { version: '0.12.0' }));
  base.route('GET', '/api/tags', (_req, res) =>
    sendJson(res, 200, {
      models: models.map((name) => ({ name, model: name, modified_at: '2025-01-01T00:00:00Z', size: 4_920_000_000, digest: 'fake' })),
    }),
  );
  base.route('POST', CHAT_PATH, async (req, res) => {
    const body = readChatBody(req.json);
    if ('error' in body) {
      sendJson(res, 400, { error: body.error });
      return;
    }
    if (!models.includes(body.model)) {
      sendJson(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
      return;
    }
    const content = reply(body);
    const createdAt = new Date().toISOString();
    const stats = {
      total_duration: 184_000_000,
      load_duration: 12_000_000,
      prompt_eval_count: 220,
      prompt_eval_duration: 150_000_000,
      eval_count: Math.max(1, content.split(/\s+/).length),
      eval_duration: 20_000_000,
    };
    if (!body.stream) {
      sendJson(res, 200, {
        model: body.model,
        created_at: createdAt,
        message: { role: 'assistant', content },
        done_reason: 'stop',
        done: true,
        ...stats,
      });
      return;
    }
    const pieces = content.match(/[\s\S]{1,4}/g) ?? [];
    await sendNdjson(res, [
      ...pieces.map((piece) => ({ model: body.model, created_at: createdAt, message: { role: 'assistant', content: piece }, done: false })),
      { model: body.model, created_at: createdAt, message: { role: 'assistant', content: '' }, done_reason: 'stop', done: true, ...stats },
    ]);
  });

  return Object.assign(base, {
    host: base.url,
    chatRequests() {
      return base.requests
        .filter((r) => r.path === CHAT_PATH)
        .flatMap((r) => {
          const chat = readChatBody(r.json);
          return 'error' in chat ? [] : [{ ...r, chat }];
        });
    },
    setReply(next: OllamaReply) {
      reply = next;
    },
  });
}

function readChatBody(json: unknown): OllamaChatBody | { error: string } {
  if (typeof json !== 'object' || json === null) return { error: 'invalid request body' };
  const b = json as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return { error: 'model is required' };
  const messages = Array.isArray(b.messages) ? b.messages : [];
  const parsed: OllamaChatBody['messages'] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) return { error: 'invalid message' };
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') return { error: 'invalid message role' };
    parsed.push({ role, content: typeof content === 'string' ? content : '' });
  }
  const out: OllamaChatBody = { model: b.model, messages: parsed, stream: b.stream !== false };
  if (typeof b.options === 'object' && b.options !== null) out.options = b.options as Record<string, unknown>;
  if (typeof b.keep_alive === 'string' || typeof b.keep_alive === 'number') out.keep_alive = b.keep_alive;
  return out;
}
