import { DEFAULT_INPUT } from '../policy/resolve-policy-defaults.js';
import type { ChatMessage } from '../providers/chat-provider.js';
import { dataUrlText } from './data-url-text.js';
import { withDecodedViews } from './decoded-views.js';
import { toolCallText } from './tool-call-text.js';

export interface ExtractTextOptions {
  /**
   * Earlier messages (user, assistant, tool) classified together with the latest user turn
   * (default 4). A violation split over turns is caught within this window; 0 classifies the
   * latest turn alone.
   */
  historyMessages?: number;
  /** Classify system and developer messages too (default false: they come from the app, not the user). */
  includeSystem?: boolean;
}

export interface ExtractedText {
  /** What the input stage classifies, messages in their order, separated by blank lines. */
  text: string;
  /** The latest user turn: the context the output stage classifies an answer against. */
  prompt: string;
  /** Some user message carries an image (`request.hasImages` for the policy). */
  hasImages: boolean;
}

export const DEFAULT_HISTORY_MESSAGES: number = DEFAULT_INPUT.historyMessages;

/**
 * Chooses the text of a conversation to classify: the latest user turn, everything after it
 * (tool results, the assistant's tool calls), up to `historyMessages` earlier turns, and the
 * system prompt only when asked. Text parts of multimodal messages are classified, and so is text
 * sent as a `data:` URL in an image part; images are not text, so they only set `hasImages` and
 * the policy decides (pass, block or route).
 */
export function extractText(messages: readonly ChatMessage[], options: ExtractTextOptions = {}): ExtractedText {
  const history = Math.max(0, options.historyMessages ?? DEFAULT_HISTORY_MESSAGES);
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      last = i;
      break;
    }
  }
  const chosen = new Set<number>();
  for (let i = Math.max(last, 0); i < messages.length; i++) chosen.add(i);
  let taken = 0;
  for (let i = last - 1; i >= 0 && taken < history; i--) {
    const role = messages[i]?.role;
    if (role === 'system' || role === 'developer') continue;
    chosen.add(i);
    taken++;
  }
  let hasImages = false;
  const parts: string[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'user' && Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url')) hasImages = true;
    const isSystem = m.role === 'system' || m.role === 'developer';
    if (isSystem ? !options.includeSystem : !chosen.has(i)) return;
    const text = messageText(m);
    if (text !== '') parts.push(text);
  });
  const latest = last >= 0 ? messages[last] : undefined;
  return { text: parts.join('\n\n'), prompt: latest ? messageText(latest) : '', hasImages };
}

/**
 * The text of one message as the model reads it: its `name`, content or its text parts, text
 * sent as a `data:` URL in an image part, a refusal, tool calls (see `toolCallText`) — each with
 * its escapes decoded too (`\u0046` reads as `F` to a model), so spelling cannot hide meaning.
 */
export function messageText(m: ChatMessage): string {
  const out: string[] = [];
  if ('name' in m && m.name) out.push(m.name);
  const content = m.content;
  if (typeof content === 'string') out.push(content);
  else if (Array.isArray(content)) {
    for (const p of content) {
      if (p.type === 'text') out.push(p.text);
      else if (p.type === 'refusal') out.push(p.refusal);
      else if (p.type === 'image_url') out.push(dataUrlText(p.image_url.url) ?? '');
    }
  }
  const texts = out.filter((t) => t !== '').map((t) => withDecodedViews(t).text);
  if (m.role === 'assistant') {
    if (m.refusal) texts.push(withDecodedViews(m.refusal).text);
    for (const c of m.tool_calls ?? []) texts.push(toolCallText(c.function));
  }
  return texts.join('\n');
}
