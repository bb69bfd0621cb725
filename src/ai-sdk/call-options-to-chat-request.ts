import type { LanguageModelV3CallOptions, LanguageModelV3FilePart, LanguageModelV3Message, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { InputError } from '../errors.js';
import type { ChatRequestInput } from '../guard/guard-core.js';

type ChatMessageInput = Record<string, unknown> & { role: string };

// File types whose bytes are text the model reads: classified like any other text.
const TEXT_MEDIA = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-ndjson)|image\/svg\+xml)/i;

/**
 * An AI SDK call (LanguageModelV3) as the guard's chat request: system, user, assistant and tool
 * messages with their text, reasoning, tool calls (inputs as JSON) and tool results; images mark
 * the request as carrying images; text files are read as text; tool definitions and the JSON
 * response schema are fields the model reads. Files the guard cannot read (PDF, audio, a remote
 * URL) are refused as `input_invalid` rather than forwarded unchecked.
 */
export function callOptionsToChatRequest(options: LanguageModelV3CallOptions, modelId?: string): ChatRequestInput {
  const messages: ChatMessageInput[] = [];
  options.prompt.forEach((m, i) => messages.push(...messageOf(m, i)));
  const request: ChatRequestInput & Record<string, unknown> = { messages };
  if (modelId) request.model = modelId;
  const tools = (options.tools ?? []).map((t) =>
    t.type === 'function'
      ? { type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.inputSchema as Record<string, unknown> } }
      : { type: 'function', function: { name: t.name } },
  );
  if (tools.length > 0) request.tools = tools;
  const format = options.responseFormat;
  if (format?.type === 'json') {
    request.response_format =
      format.schema != null
        ? { type: 'json_schema', json_schema: { name: format.name ?? 'response', ...(format.description ? { description: format.description } : {}), schema: format.schema as Record<string, unknown> } }
        : { type: 'json_object' };
  }
  if (options.toolChoice?.type === 'tool') request.tool_choice = { type: 'function', function: { name: options.toolChoice.toolName } };
  return request;
}

function messageOf(m: LanguageModelV3Message, index: number): ChatMessageInput[] {
  switch (m.role) {
    case 'system':
      return [{ role: 'system', content: m.content }];
    case 'user': {
      const parts = m.content.map((p, j) => (p.type === 'text' ? { type: 'text', text: p.text } : filePart(p, `prompt[${index}].content[${j}]`)));
      return [{ role: 'user', content: parts }];
    }
    case 'assistant': {
      const texts: string[] = [];
      const toolCalls: unknown[] = [];
      const results: ChatMessageInput[] = [];
      m.content.forEach((p, j) => {
        if (p.type === 'text' || p.type === 'reasoning') texts.push(p.text);
        else if (p.type === 'tool-call') toolCalls.push({ id: p.toolCallId, type: 'function', function: { name: p.toolName, arguments: jsonText(p.input) } });
        else if (p.type === 'tool-result') results.push({ role: 'tool', tool_call_id: p.toolCallId, content: toolResultText(p.output) });
        else if (p.type === 'file') {
          const part = filePart(p, `prompt[${index}].content[${j}]`);
          if (part.type === 'text') texts.push(part.text as string);
        }
      });
      const message: ChatMessageInput = { role: 'assistant', content: texts.join('\n') };
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      return [message, ...results];
    }
    case 'tool':
      return m.content.flatMap((p) =>
        p.type === 'tool-result'
          ? [{ role: 'tool', tool_call_id: p.toolCallId, content: toolResultText(p.output) }]
          : p.reason
            ? [{ role: 'tool', tool_call_id: p.approvalId, content: p.reason }]
            : [],
      );
  }
}

function filePart(p: LanguageModelV3FilePart, where: string): { type: string; [k: string]: unknown } {
  const media = p.mediaType.toLowerCase();
  if (media.startsWith('image/') && !media.startsWith('image/svg')) {
    // An image is not text: it only sets `hasImages` for the policy. Its bytes are not needed.
    return { type: 'image_url', image_url: { url: p.data instanceof URL ? p.data.href : `data:${media};base64,` } };
  }
  if (TEXT_MEDIA.test(media) && !(p.data instanceof URL)) {
    const text = typeof p.data === 'string' ? Buffer.from(p.data, 'base64').toString('utf8') : Buffer.from(p.data).toString('utf8');
    return { type: 'text', text };
  }
  const what = p.data instanceof URL ? `a file by URL (\`${p.data.protocol}\`)` : `a \`${p.mediaType}\` file`;
  throw new InputError(`${where}: the guard cannot read ${what}, so it cannot be checked; send its text (or the file's bytes for text types) instead`);
}

function toolResultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return jsonText(output.value);
    case 'execution-denied':
      return output.reason ?? '';
    case 'content':
      return output.value.map((v) => (v.type === 'text' ? v.text : '')).filter((t) => t !== '').join('\n');
  }
}

function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
