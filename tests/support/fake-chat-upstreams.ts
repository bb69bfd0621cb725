import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type RecordedRequest } from './fake-http-server.js';
import { openAIErrorBody, startFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server.js';
import { startFakeOllamaServer, type FakeOllamaServer } from './fake-ollama-server.js';

/**
 * Chat endpoints for the fake servers of `fake-openai-server.ts` and `fake-ollama-server.ts`:
 * `POST /v1/chat/completions` (JSON, or SSE `data: {chunk}\n\n` … `data: [DONE]`) and Ollama's
 * `POST /api/chat` (JSON, or NDJSON ending with a `done: true` line), in the vendors' real shapes.
 * Each request's answer is scripted (text, pieces, pace, how it breaks), and the servers record
 * when a client closed the connection before the answer was complete.
 */
export interface ChatScript {
  /** The answer (default `Hello from <model>.`). */
  text?: string;
  /** Streamed pieces (default: the text in pieces of 8 characters). */
  pieces?: string[];
  /** Wait between streamed pieces. */
  delayMs?: number;
  /** Stream only this many pieces, then: `stall` (send nothing more, keep open), `destroy` (drop the connection), `end` (end the body without finishing). */
  breakAfter?: { pieces: number; how: 'stall' | 'destroy' | 'end' };
  /** Replace piece N (0-based) with this raw line (a garbage chunk). */
  garbageAt?: { index: number; line: string };
  /** Tool calls; `arguments` given as a string is sent exactly as written (escapes, broken JSON). */
  toolCalls?: { name: string; arguments: Record<string, unknown> | string }[];
  /**
   * OpenAI streams: the tool calls' arguments sent in pieces of this many characters, the calls'
   * pieces interleaved (default: each call's arguments in one delta).
   */
  toolCallPieceChars?: number;
  /** Raw deltas sent after the text (OpenAI streams: `{ refusal }`, `{ function_call }`, …; Ollama streams: message fields). */
  deltas?: Record<string, unknown>[];
  /** Fields merged into the answer's `message` (non-streaming): `refusal`, `function_call`, `audio`, `annotations`, … */
  message?: Record<string, unknown>;
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'function_call';
}

export type ChatScripter = (body: Record<string, unknown>) => ChatScript;

export interface ChatUpstream {
  /** Chat requests received (bodies parsed), oldest first. */
  chatRequests(): RecordedRequest[];
  /** Answers whose connection the client closed before they were complete. */
  readonly closedEarly: number;
  /** Resolves at the next early close (or at once if one happened since the last `reset`). */
  waitForEarlyClose(timeoutMs?: number): Promise<void>;
  /** Streamed pieces actually written, per request, in order. */
  readonly piecesWritten: number[];
  setScript(script: ChatScript | ChatScripter): void;
}

export type FakeOpenAIChatServer = FakeOpenAIServer & ChatUpstream;
export type FakeOllamaChatServer = FakeOllamaServer & ChatUpstream;

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';
export const OLLAMA_CHAT_PATH = '/api/chat';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function createTracker(path: string, base: { requests: RecordedRequest[] }, initial: ChatScript | ChatScripter) {
  let scripter: ChatScripter = typeof initial === 'function' ? initial : () => initial;
  let closedEarly = 0;
  let waiters: (() => void)[] = [];
  let seenSinceWait = 0;
  const piecesWritten: number[] = [];
  // The chat requests among `base.requests`, counted as they arrive: filtering the whole log on
  // every request made a long run (a benchmark) quadratic.
  let scanned = 0;
  let counted = 0;
  const forget = (): void => {
    scanned = 0;
    counted = 0;
  };
  return {
    chatRequests: () => base.requests.filter((r) => r.path === path),
    /** The index of the chat request being answered (0 for the first since start or `reset`). */
    latestIndex(): number {
      if (base.requests.length < scanned) forget();
      for (; scanned < base.requests.length; scanned++) if (base.requests[scanned]?.path === path) counted++;
      return counted - 1;
    },
    forget,
    get closedEarly() {
      return closedEarly;
    },
    piecesWritten,
    setScript(script: ChatScript | ChatScripter) {
      scripter = typeof script === 'function' ? script : () => script;
    },
    waitForEarlyClose(timeoutMs = 2_000): Promise<void> {
      if (seenSinceWait > 0) {
        seenSinceWait = 0;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the client never closed the connection early')), timeoutMs);
        waiters.push(() => {
          clearTimeout(t);
          seenSinceWait = 0;
          resolve();
        });
      });
    },
    script: (body: Record<string, unknown>) => scripter(body),
    watch(res: ServerResponse, index: number) {
      piecesWritten[index] = 0;
      res.on('close', () => {
        if (res.writableFinished) return;
        closedEarly++;
        seenSinceWait++;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      });
    },
    wrote(index: number) {
      piecesWritten[index] = (piecesWritten[index] ?? 0) + 1;
    },
  };
}

/** Adds the tracker's members to a server object (getters stay live). */
function attach<S extends { reset(): void }>(server: S, tracker: ReturnType<typeof createTracker>): S & ChatUpstream {
  const reset = server.reset;
  Object.defineProperties(server, {
    reset: {
      value: () => {
        reset();
        tracker.forget();
      },
    },
    chatRequests: { value: tracker.chatRequests },
    closedEarly: { get: () => tracker.closedEarly },
    waitForEarlyClose: { value: tracker.waitForEarlyClose },
    piecesWritten: { value: tracker.piecesWritten },
    setScript: { value: tracker.setScript },
  });
  return server as S & ChatUpstream;
}

function piecesOf(script: ChatScript, text: string): string[] {
  return script.pieces ?? text.match(/[\s\S]{1,8}/g) ?? [];
}

/**
 * Writes `lines` with the script's pace and breakage. Returns false when the stream was broken
 * on purpose (the caller then writes no ending).
 */
async function writeLines(
  res: ServerResponse,
  raw: IncomingMessage,
  lines: string[],
  script: ChatScript,
  onPiece: () => void,
): Promise<boolean> {
  for (let i = 0; i < lines.length; i++) {
    if (res.destroyed) return false;
    if (script.breakAfter && i === script.breakAfter.pieces) {
      if (script.breakAfter.how === 'destroy') raw.socket.destroy();
      else if (script.breakAfter.how === 'end') res.end();
      return false;
    }
    res.write(script.garbageAt?.index === i ? script.garbageAt.line : (lines[i] as string));
    onPiece();
    if (script.delayMs) await pause(script.delayMs);
  }
  if (script.breakAfter && script.breakAfter.pieces >= lines.length) {
    if (script.breakAfter.how === 'destroy') raw.socket.destroy();
    else if (script.breakAfter.how === 'end') res.end();
    return false;
  }
  return true;
}

/** A fake OpenAI server (moderations included) that also answers Chat Completions. */
export async function startFakeOpenAIChatServer(options: { apiKey?: string; script?: ChatScript | ChatScripter } = {}): Promise<FakeOpenAIChatServer> {
  const server = await startFakeOpenAIServer(options.apiKey != null ? { apiKey: options.apiKey } : {});
  const tracker = createTracker(CHAT_COMPLETIONS_PATH, server, options.script ?? {});
  let n = 0;
  server.route('POST', CHAT_COMPLETIONS_PATH, async (req, res, raw) => {
    const index = tracker.latestIndex();
    tracker.watch(res, index);
    if (options.apiKey != null && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, openAIErrorBody(401));
      return;
    }
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendJson(res, 400, { error: { message: "'messages' and 'model' are required", type: 'invalid_request_error', param: null, code: null } });
      return;
    }
    const script = tracker.script(body);
    const model = body.model;
    const text = script.text ?? `Hello from ${model}.`;
    const id = `chatcmpl-fake${++n}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = (script.toolCalls ?? []).map((c, i) => ({
      id: `call_${n}_${i}`,
      type: 'function',
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const finish = script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const usage = { prompt_tokens: 12, completion_tokens: Math.max(1, text.split(/\s+/).length), total_tokens: 12 + Math.max(1, text.split(/\s+/).length) };
    if (body.stream !== true) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: (toolCalls.length > 0 || script.message) && !script.text ? null : text,
              refusal: null,
              annotations: [],
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
              ...script.message,
            },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_fake',
      });
      return;
    }
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_fake', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(chunk({ role: 'assistant', content: '', refusal: null }));
    const lines = piecesOf(script, script.text === undefined && (toolCalls.length > 0 || script.deltas) ? '' : text).map((p) => chunk({ content: p }));
    if (!(await writeLines(res, raw, lines, script, () => tracker.wrote(index)))) return;
    if (res.destroyed) return;
    if (toolCalls.length > 0) {
      res.write(chunk({ tool_calls: toolCalls.map((c, i) => ({ index: i, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } })) }));
      const size = script.toolCallPieceChars ?? Infinity;
      const pieces = toolCalls.map((c) => (Number.isFinite(size) ? (c.function.arguments.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []) : [c.function.arguments]));
      for (let k = 0; pieces.some((p) => k < p.length); k++) {
        pieces.forEach((p, i) => {
          if (k < p.length) res.write(chunk({ tool_calls: [{ index: i, function: { arguments: p[k] } }] }));
        });
      }
    }
    for (const d of script.deltas ?? []) res.write(chunk(d));
    res.write(chunk({}, finish));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    }
    res.write('data: [DONE]\n\n');
    res.end();
  });
  return attach(server, tracker);
}

/** A fake Ollama whose `/api/chat` answers as a chat model (scripted) instead of Llama Guard. */
export async function startFakeOllamaChatServer(options: { models?: string[]; script?: ChatScript | ChatScripter } = {}): Promise<FakeOllamaChatServer> {
  const models = options.models ?? ['llama3.1:8b'];
  const server = await startFakeOllamaServer({ models });
  const tracker = createTracker(OLLAMA_CHAT_PATH, server, options.script ?? {});
  server.route('POST', OLLAMA_CHAT_PATH, async (req, res, raw) => {
    const index = tracker.latestIndex();
    tracker.watch(res, index);
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body.model !== 'string') {
      sendJson(res, 400, { error: 'model is required' });
      return;
    }
    if (!models.includes(body.model)) {
      sendJson(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
      return;
    }
    const script = tracker.script(body);
    const model = body.model;
    const text = script.text ?? `Hello from ${model}.`;
    const createdAt = new Date().toISOString();
    const toolCalls = (script.toolCalls ?? []).map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
    const stats = { total_duration: 184_000_000, load_duration: 12_000_000, prompt_eval_count: 20, prompt_eval_duration: 150_000_000, eval_count: 9, eval_duration: 20_000_000 };
    const doneReason = script.finishReason ?? 'stop';
    if (body.stream === false) {
      sendJson(res, 200, {
        model,
        created_at: createdAt,
        message: { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}), ...script.message },
        done_reason: doneReason,
        done: true,
        ...stats,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const lines = piecesOf(script, text).map((p) => `${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content: p }, done: false })}\n`);
    if (!(await writeLines(res, raw, lines, script, () => tracker.wrote(index)))) return;
    if (res.destroyed) return;
    if (toolCalls.length > 0) res.write(`${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false })}\n`);
    for (const d of script.deltas ?? []) res.write(`${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content: '', ...d }, done: false })}\n`);
    res.write(`${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content: '' }, done_reason: doneReason, done: true, ...stats })}\n`);
    res.end();
  });
  return attach(server, tracker);
}
