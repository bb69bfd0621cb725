import type { LanguageModelV3Content, LanguageModelV3GenerateResult, LanguageModelV3Usage, SharedV3ProviderMetadata } from '@ai-sdk/provider';
import { ContentBlockedError } from '../guard/content-blocked-error.js';
import type { GuardCore } from '../guard/guard-core.js';
import type { InputCheck } from '../guard/guard-checks.js';
import { publicDecision } from '../guard/saferoute-info.js';
import type { ToolCall } from '../providers/chat-provider.js';
import { saferouteMetadata } from './saferoute-metadata.js';

export type AiSdkOnBlock = 'refuse' | 'throw';

export const EMPTY_USAGE: LanguageModelV3Usage = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/** A result that carries a refusal instead of an answer, or throws it, per `onBlock`. */
export function refusalResult(input: InputCheck, onBlock: AiSdkOnBlock, usage: LanguageModelV3Usage = EMPTY_USAGE): LanguageModelV3GenerateResult {
  const blocked = input.blocked;
  if (!blocked) throw new Error('refusalResult needs a blocked input');
  if (onBlock === 'throw') throw new ContentBlockedError(blocked, publicDecision(input.decision));
  return {
    content: [{ type: 'text', text: blocked.message }],
    finishReason: { unified: 'content-filter', raw: 'saferoute' },
    usage,
    providerMetadata: { saferoute: saferouteMetadata(input) },
    warnings: [],
  };
}

/**
 * Calls the model, then checks everything its answer carries to the caller — text, reasoning, tool
 * call inputs (as a tool parses them), results of tools the provider ran — and returns the answer
 * (redacted where the policy asks) or the refusal (or throws it).
 */
export async function checkedGenerate(
  core: GuardCore,
  input: InputCheck,
  servedTarget: string,
  doGenerate: () => PromiseLike<LanguageModelV3GenerateResult>,
  onBlock: AiSdkOnBlock,
): Promise<LanguageModelV3GenerateResult> {
  const result = await doGenerate();
  const texts: string[] = [];
  const also: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'reasoning') also.push(part.text);
    else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } });
    else if (part.type === 'tool-result') also.push(typeof part.result === 'string' ? part.result : JSON.stringify(part.result));
  }
  const text = texts.join('');
  const out = await core.checkOutput({ text, toolCalls, also }, input, { servedTarget });
  if (out.blocked) {
    if (onBlock === 'throw') throw new ContentBlockedError(out.blocked, publicDecision(out.decision));
    const instead = out.instead ?? { refusal: out.blocked.message };
    return {
      ...result,
      content: [{ type: 'text', text: 'content' in instead ? instead.content : instead.refusal }],
      finishReason: { unified: 'content-filter', raw: 'saferoute' },
      providerMetadata: withSaferoute(result.providerMetadata, saferouteMetadata(input, out)),
    };
  }
  return {
    ...result,
    content: out.content === text ? result.content : withText(result.content, out.content),
    providerMetadata: withSaferoute(result.providerMetadata, saferouteMetadata(input, out)),
  };
}

/** `content` with its text parts replaced by one part holding `text`, where the first one was. */
function withText(content: readonly LanguageModelV3Content[], text: string): LanguageModelV3Content[] {
  const out: LanguageModelV3Content[] = [];
  let placed = false;
  for (const part of content) {
    if (part.type !== 'text') out.push(part);
    else if (!placed) {
      out.push({ type: 'text', text });
      placed = true;
    }
  }
  return out;
}

export function withSaferoute(metadata: SharedV3ProviderMetadata | undefined, saferoute: SharedV3ProviderMetadata[string]): SharedV3ProviderMetadata {
  return { ...metadata, saferoute };
}
