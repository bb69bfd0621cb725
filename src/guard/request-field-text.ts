import { InputError } from '../errors.js';
import type { ChatParams } from '../providers/chat-provider.js';
import type { ChatRequest } from './chat-request.js';
import { dataUrlText } from './data-url-text.js';
import { withDecodedViews } from './decoded-views.js';

/** What the input stage does with text the model sees outside message content. */
export type ExtraTextMode = 'classify' | 'refuse';

/** One piece of text of a request field, where it is, and whether it is prose (refused in `refuse` mode). */
export interface FieldText {
  /** `tools[0].function.parameters.properties.q.description`, … */
  path: string;
  text: string;
  /** Free text (a description, a title, an example, a message name, a text `data:` URL) rather than an identifier. */
  prose: boolean;
}

// JSON Schema keywords whose value is free text the model reads as instructions.
const PROSE = new Set(['description', 'title', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
// JSON types: the one vocabulary left out (`"type": "object"` says nothing); any other string is read.
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
// Keywords whose value maps names (of properties, definitions) to schemas.
const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependentRequired']);
// The rest of JSON Schema: walked, their strings (`enum`, `const`, `pattern`) classified as identifiers.
const KEYWORDS = new Set([
  ...PROSE,
  ...NAMED_SCHEMAS,
  'type', 'format', '$ref', '$schema', '$id', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', 'contentEncoding',
  'contentMediaType', 'required', 'strict',
  'items', 'prefixItems', 'additionalItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems',
  'propertyNames', 'anyOf', 'allOf', 'oneOf', 'not', 'if', 'then', 'else', 'enum', 'const', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'minContains', 'maxContains', 'nullable', 'discriminator',
]);
const MAX_DEPTH = 64;

/**
 * Every text of a request the model reads besides its messages: tool names, descriptions and
 * parameter schemas (property names, descriptions, titles, enums, examples, …, recursively), the
 * `response_format` JSON schema with its name and description, and `tool_choice`.
 */
export function paramFieldTexts(params: ChatParams): FieldText[] {
  const out: FieldText[] = [];
  params.tools?.forEach((tool, i) => {
    const at = `tools[${i}].function`;
    out.push({ path: `${at}.name`, text: tool.function.name, prose: false });
    if (tool.function.description) out.push({ path: `${at}.description`, text: tool.function.description, prose: true });
    if (tool.function.parameters) walkSchema(tool.function.parameters, `${at}.parameters`, false, out, 0);
  });
  const format = params.response_format;
  if (format?.type === 'json_schema') {
    const at = 'response_format.json_schema';
    out.push({ path: `${at}.name`, text: format.json_schema.name, prose: false });
    if (format.json_schema.description) out.push({ path: `${at}.description`, text: format.json_schema.description, prose: true });
    if (format.json_schema.schema) walkSchema(format.json_schema.schema, `${at}.schema`, false, out, 0);
  }
  // `"auto"`, `"none"`, `"required"`, or an object naming tools: its strings are identifiers.
  if (typeof params.tool_choice === 'object' && params.tool_choice !== null) walkStrings(params.tool_choice, 'tool_choice', out, 0);
  return out.filter((f) => f.text !== '');
}

/** The names of messages and the text of `data:` URLs in their parts: prose the messages carry beside their content. */
export function messageFieldTexts(request: ChatRequest): FieldText[] {
  const out: FieldText[] = [];
  request.messages.forEach((m, i) => {
    if ('name' in m && m.name) out.push({ path: `messages[${i}].name`, text: m.name, prose: true });
    if (!Array.isArray(m.content)) return;
    m.content.forEach((p, j) => {
      if (p.type !== 'image_url') return;
      const text = dataUrlText(p.image_url.url);
      if (text != null) out.push({ path: `messages[${i}].content[${j}].image_url.url`, text, prose: true });
    });
  });
  return out;
}

/**
 * The text of the request's fields beyond its messages, for the input stage to classify with
 * them (message names and `data:` text are part of each message's text, see `messageText`). In
 * `refuse` mode a request carrying prose in any such field — a tool or schema description, a
 * title, an example, a message name, a text `data:` URL — is an `input_invalid` error naming the
 * field; identifiers (tool and property names, enums) are still classified.
 */
export function requestFieldText(request: ChatRequest, mode: ExtraTextMode = 'classify'): string {
  const fields = paramFieldTexts(request.params);
  if (mode === 'refuse') {
    const prose = fields.find((f) => f.prose) ?? messageFieldTexts(request)[0];
    if (prose) {
      throw new InputError(
        `the policy refuses text in \`${prose.path}\` (\`input.extraText\` is \`refuse\`): remove it, or set \`input.extraText\` to \`classify\` to have it classified`,
      );
    }
  }
  if (fields.length === 0) return '';
  return withDecodedViews(fields.map((f) => f.text).join('\n')).text;
}

function walkSchema(value: unknown, path: string, prose: boolean, out: FieldText[], depth: number): void {
  if (depth > MAX_DEPTH) throw new InputError(`\`${path}\` is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') {
    out.push({ path, text: value, prose });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkSchema(v, `${path}[${i}]`, prose, out, depth + 1));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (NAMED_SCHEMAS.has(key) && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [name, schema] of Object.entries(v)) {
        out.push({ path: `${at}.${name}`, text: name, prose });
        walkSchema(schema, `${at}.${name}`, prose, out, depth + 2);
      }
    } else if (PROSE.has(key)) walkSchema(v, at, true, out, depth + 1);
    else if (key === 'type' && isJsonTypes(v)) continue;
    else if (KEYWORDS.has(key)) walkSchema(v, at, prose, out, depth + 1);
    else {
      // Not JSON Schema: a vendor extension or plain data the model reads all the same.
      out.push({ path: at, text: key, prose });
      walkSchema(v, at, true, out, depth + 1);
    }
  }
}

function isJsonTypes(value: unknown): boolean {
  return typeof value === 'string' ? JSON_TYPES.has(value) : Array.isArray(value) && value.every((t) => typeof t === 'string' && JSON_TYPES.has(t));
}

function walkStrings(value: unknown, path: string, out: FieldText[], depth: number): void {
  if (depth > MAX_DEPTH) throw new InputError(`\`${path}\` is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') out.push({ path, text: value, prose: false });
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, out, depth + 1));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walkStrings(v, `${path}.${k}`, out, depth + 1);
}
