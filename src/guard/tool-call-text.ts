import { withDecodedViews } from './decoded-views.js';
import { jsonStringsText } from './json-strings-text.js';

/** A function call as the model wrote it: a tool call's `function`, or the legacy `function_call`. */
export interface FunctionCallText {
  name: string;
  arguments: string;
}

/**
 * A tool call as text to classify, in every form something downstream reads it: `name(arguments)`
 * as written; the same with its escapes decoded (`\u0046` → `F`, to the depth nested JSON needs);
 * and, when the arguments are JSON, every key and string value as the tool that parses them sees
 * it, JSON text inside a string value opened in turn. Arguments that are not JSON (cut short,
 * malformed) are still checked as written and decoded, so nothing passes unread.
 */
export function toolCallText(call: FunctionCallText): string {
  const written = withDecodedViews(`${call.name}(${call.arguments})`).text;
  // Without a backslash every key and value of JSON arguments is already there, spelt as parsed.
  if (!call.arguments.includes('\\')) return written;
  const parsed = jsonStringsText(call.arguments);
  return parsed != null && parsed !== '' ? `${written}\n${withDecodedViews(parsed).text}` : written;
}

/**
 * Everything besides `content` an answer carries to the caller, as text to classify: its tool
 * calls, a legacy `function_call` and the model's own `refusal` (decoded views included).
 */
export function answerExtraText(answer: { toolCalls: readonly { function: FunctionCallText }[]; functionCall?: FunctionCallText | undefined; refusal?: string | undefined }): string {
  const parts = answer.toolCalls.map((c) => toolCallText(c.function));
  if (answer.functionCall) parts.push(toolCallText(answer.functionCall));
  if (answer.refusal) parts.push(withDecodedViews(answer.refusal).text);
  return parts.join('\n');
}
