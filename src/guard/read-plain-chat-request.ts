import type { ChatMessage } from '../providers/chat-provider.js';
import type { ChatRequest } from './chat-request.js';
import { findLoneSurrogate } from './find-lone-surrogate.js';

const PLAIN_ROLES = new Set(['system', 'developer', 'user', 'assistant']);

/**
 * The common chat request checked by hand: text messages (`role`, `content` as a string, an
 * optional `name`) of the system, developer, user and assistant roles, with at most `model` and
 * `stream` beside them. It gives what the schema (`validateChatRequest`) gives for such a
 * request, at a fraction of its cost on the path of every call. Anything else, valid or not,
 * gives `undefined`: the schema then checks it, and explains what is wrong.
 */
export function readPlainChatRequest(raw: Readonly<Record<string, unknown>>, maxChars: number, maxMessages: number): ChatRequest | undefined {
  let model: string | undefined;
  let stream = false;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (key === 'messages') continue;
    if (key === 'model' && (value === undefined || typeof value === 'string')) model = value;
    else if (key === 'stream' && (value == null || typeof value === 'boolean')) stream = value === true;
    else return undefined;
  }
  const list = raw.messages;
  if (!Array.isArray(list) || list.length === 0 || list.length > maxMessages) return undefined;
  const messages: ChatMessage[] = [];
  for (const m of list as unknown[]) {
    const message = readPlainMessage(m, maxChars);
    if (!message) return undefined;
    messages.push(message);
  }
  const request: ChatRequest = { messages, stream, params: {} };
  if (model != null && model !== '') request.model = model;
  return request;
}

function readPlainMessage(value: unknown, maxChars: number): ChatMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  for (const key of Object.keys(m)) if (key !== 'role' && key !== 'content' && key !== 'name') return undefined;
  const { role, content, name } = m;
  if (typeof role !== 'string' || !PLAIN_ROLES.has(role) || typeof content !== 'string') return undefined;
  if ('name' in m && (typeof name !== 'string' || name === '')) return undefined;
  if (content.length > maxChars || findLoneSurrogate(content) >= 0) return undefined;
  // The schema's key order (role, content, name): the JSON sent upstream is the same either way.
  return (name === undefined ? { role, content } : { role, content, name }) as ChatMessage;
}
