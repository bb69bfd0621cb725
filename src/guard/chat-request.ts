import { z } from 'zod';
import { InputError } from '../errors.js';
import type { ChatMessage, ChatParams } from '../providers/chat-provider.js';
import { findLoneSurrogate } from './find-lone-surrogate.js';
import { readPlainChatRequest } from './read-plain-chat-request.js';

/** A chat request after validation at the boundary: trusted from here on. */
export interface ChatRequest {
  messages: ChatMessage[];
  /** The model the client asked for: a request attribute for rules, never what is called. */
  model?: string;
  stream: boolean;
  params: ChatParams;
}

export interface ChatRequestLimits {
  /** Most characters (UTF-16 code units) of text in one message (default 1 048 576). */
  maxMessageChars?: number;
  /** Most messages in one request (default 1 000). */
  maxMessages?: number;
}

export const DEFAULT_MAX_MESSAGE_CHARS = 1_048_576;
export const DEFAULT_MAX_MESSAGES = 1_000;

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const ImagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const RefusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });
const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});
const name = z.string().min(1).optional();

const MessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: z.union([z.string(), z.array(TextPart)]), name }),
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(z.union([TextPart, ImagePart]))]), name }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.union([TextPart, RefusalPart])), z.null()]).optional(),
    name,
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(ToolCallSchema).optional(),
  }),
  z.object({ role: z.literal('tool'), content: z.union([z.string(), z.array(TextPart)]), tool_call_id: z.string().min(1) }),
]);

const ResponseFormat = z.union([
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({ name: z.string(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullable().optional(), description: z.string().optional() }),
  }),
]);

const ToolDefinition = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const RequestSchema = z.object({
  messages: z.array(z.unknown()),
  model: z.string().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.literal(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  user: z.string().optional(),
  response_format: ResponseFormat.optional(),
  tools: z.array(ToolDefinition).optional(),
  tool_choice: z.unknown().optional(),
  logprobs: z.literal(false).nullable().optional(),
});

/** Accepted as they are and passed to OpenAI-compatible targets; other providers ignore them. */
const PASSED_THROUGH = new Set([
  'metadata',
  'store',
  'service_tier',
  'reasoning_effort',
  'parallel_tool_calls',
  'logit_bias',
  'verbosity',
  'safety_identifier',
  'prompt_cache_key',
]);
const KNOWN = new Set([...Object.keys(RequestSchema.shape), ...PASSED_THROUGH]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const PART_TYPES = new Set(['text', 'image_url', 'refusal']);

/**
 * Validates an OpenAI-style chat request. Everything wrong is an `InputError` (`input_invalid`)
 * thrown before anything is classified or sent:
 * - no messages, an unknown role or content part (audio, files: they cannot be checked);
 * - a message longer than `maxMessageChars`, more than `maxMessages` messages;
 * - text with a lone UTF-16 surrogate. Such text is rejected, not repaired: it cannot be encoded
 *   for the model as it is, and repairing it would make the text classified differ from the
 *   text the client believes it sent;
 * - parameters the guard cannot honour safely: `n` > 1 (one answer is checked), `logprobs`
 *   (token data would bypass the output check), `audio` and any unknown parameter.
 */
export function parseChatRequest(value: unknown, limits: ChatRequestLimits = {}): ChatRequest {
  const maxChars = limits.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS;
  const maxMessages = limits.maxMessages ?? DEFAULT_MAX_MESSAGES;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('the chat request must be a JSON object');
  const raw = value as Record<string, unknown>;
  return readPlainChatRequest(raw, maxChars, maxMessages) ?? validateChatRequest(raw, maxChars, maxMessages);
}

/** `parseChatRequest` without its hand-checked path for plain requests: every request through the schema. */
export function validateChatRequest(raw: Readonly<Record<string, unknown>>, maxChars: number, maxMessages: number): ChatRequest {
  const unknownKeys = Object.keys(raw).filter((k) => raw[k] !== undefined && !KNOWN.has(k));
  if (unknownKeys.length > 0) {
    throw new InputError(`the guard does not support ${unknownKeys.map((k) => `\`${k}\``).join(', ')} in a chat request`);
  }
  if (raw.n != null && raw.n !== 1) throw new InputError(`the guard checks one answer per request: \`n\` must be 1, not \`${String(raw.n)}\``);
  if (raw.logprobs === true) throw new InputError('the guard does not return `logprobs`: token data would bypass the output check');
  const top = RequestSchema.safeParse(raw);
  if (!top.success) throw new InputError(`invalid chat request: ${formatIssues(top.error.issues)}`);
  const r = top.data;
  if (r.messages.length === 0) throw new InputError('the chat request has no messages');
  if (r.messages.length > maxMessages) throw new InputError(`the chat request has ${r.messages.length} messages, more than the ${maxMessages} allowed`);

  const messages: ChatMessage[] = r.messages.map((m, i) => parseMessage(m, i, maxChars));

  const params: ChatParams = {};
  if (r.temperature != null) params.temperature = r.temperature;
  if (r.top_p != null) params.top_p = r.top_p;
  if (r.max_tokens != null) params.max_tokens = r.max_tokens;
  if (r.max_completion_tokens != null) params.max_completion_tokens = r.max_completion_tokens;
  if (r.stop != null) params.stop = typeof r.stop === 'string' ? [r.stop] : r.stop;
  if (r.seed != null) params.seed = r.seed;
  if (r.presence_penalty != null) params.presence_penalty = r.presence_penalty;
  if (r.frequency_penalty != null) params.frequency_penalty = r.frequency_penalty;
  if (r.user != null) params.user = r.user;
  if (r.response_format) params.response_format = r.response_format as NonNullable<ChatParams['response_format']>;
  if (r.tools && r.tools.length > 0) params.tools = r.tools as NonNullable<ChatParams['tools']>;
  if (r.tool_choice !== undefined) params.tool_choice = r.tool_choice;
  if (r.stream_options?.include_usage) params.include_usage = true;
  const extra: Record<string, unknown> = {};
  for (const k of PASSED_THROUGH) if (raw[k] !== undefined) extra[k] = raw[k];
  if (Object.keys(extra).length > 0) params.extra = extra;

  const request: ChatRequest = { messages, stream: r.stream === true, params };
  if (r.model != null && r.model !== '') request.model = r.model;
  return request;
}

function parseMessage(value: unknown, index: number, maxChars: number): ChatMessage {
  const where = `message ${index}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where} is not an object`);
  const m = value as Record<string, unknown>;
  if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
    throw new InputError(`${where} has the role \`${String(m.role)}\`; expected one of ${[...ROLES].map((r) => `\`${r}\``).join(', ')}`);
  }
  if (Array.isArray(m.content)) {
    for (const [j, part] of m.content.entries()) {
      const type = (part as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !PART_TYPES.has(type)) {
        throw new InputError(`${where} has a content part \`${String(type)}\` (part ${j}) the guard cannot check; only text and images are accepted`);
      }
    }
  }
  // Length first: a huge message is refused without walking it further.
  checkLength(messageTexts(m), where, maxChars);
  const parsed = MessageSchema.safeParse(m);
  if (!parsed.success) throw new InputError(`invalid ${where}: ${formatIssues(parsed.error.issues)}`);
  // Checked again on the parsed copy, which is what goes on: an object with getters could answer
  // the first read with a short text and the schema's read with a long one.
  const texts = messageTexts(parsed.data as Record<string, unknown>);
  checkLength(texts, where, maxChars);
  for (const t of texts) {
    if (typeof t !== 'string') continue;
    const at = findLoneSurrogate(t);
    if (at >= 0) throw new InputError(`${where} contains invalid UTF-16 (a lone surrogate at offset ${at})`);
  }
  return parsed.data as ChatMessage;
}

function checkLength(texts: readonly unknown[], where: string, maxChars: number): void {
  let length = 0;
  for (const t of texts) if (typeof t === 'string') length += t.length;
  if (length > maxChars) throw new InputError(`${where} has ${length} characters of text, more than the ${maxChars} allowed`);
}

/** Every text of a not-yet-validated message: content, parts (text `data:` URLs included), refusal, tool call arguments. */
function messageTexts(m: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (typeof m.content === 'string') out.push(m.content);
  else if (Array.isArray(m.content)) {
    for (const p of m.content as Record<string, unknown>[]) {
      out.push(p.type === 'text' ? p.text : p.type === 'refusal' ? p.refusal : p.type === 'image_url' ? textDataUrl(p.image_url) : undefined);
    }
  }
  if (typeof m.refusal === 'string') out.push(m.refusal);
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls as { function?: { arguments?: unknown } }[]) out.push(c?.function?.arguments);
  }
  return out;
}

/** The URL of an image part when it is a `data:` URL holding text (classified, so counted as text). */
function textDataUrl(imageUrl: unknown): string | undefined {
  const url = (imageUrl as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || !/^\s*data:/i.test(url)) return undefined;
  return /^\s*data:image\/(?!svg)/i.test(url) ? undefined : url;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(request)'}: ${i.message.replace(/^[A-Z]/, (c) => c.toLowerCase())}`)
    .join('; ');
}
