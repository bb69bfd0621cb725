import type { LanguageModelV3StreamPart, LanguageModelV3StreamResult, LanguageModelV3Usage } from '@ai-sdk/provider';
import { ContentBlockedError } from '../guard/content-blocked-error.js';
import type { GuardCore } from '../guard/guard-core.js';
import type { InputCheck } from '../guard/guard-checks.js';
import { publicDecision } from '../guard/saferoute-info.js';
import type { TextStreamEvent } from '../guard/hold-back-text.js';
import type { ToolCall } from '../providers/chat-provider.js';
import { EMPTY_USAGE, withSaferoute, type AiSdkOnBlock } from './checked-generate.js';
import { saferouteMetadata } from './saferoute-metadata.js';

type FinishPart = Extract<LanguageModelV3StreamPart, { type: 'finish' }>;

/** The end of an AI SDK stream as the stream checker reads it, with what must wait for the final check. */
interface V3Done {
  type: 'done';
  toolCalls: ToolCall[];
  also: string[];
  /** Parts held until the final check passed (reasoning, tool inputs and calls, files, sources), in order. */
  held: LanguageModelV3StreamPart[];
  finish: FinishPart;
}

export const REFUSAL_ID = 'saferoute-refusal';

/**
 * The AI SDK stream through the guard's stream checker: text deltas are released as checks pass
 * (hold-back), everything else the answer carries — reasoning, tool inputs and calls, files,
 * sources — is held and checked with the final window, then released before `finish`. Raw
 * provider chunks are never passed on (they would carry the text unchecked). On a block the
 * stream ends with the refusal as its own text part and `finishReason: content-filter` (or an
 * `error` part with `ContentBlockedError` when `onBlock` is `throw`), and the upstream is cancelled.
 */
export function checkedStream(core: GuardCore, input: InputCheck, servedTarget: string, upstream: LanguageModelV3StreamResult, onBlock: AiSdkOnBlock): LanguageModelV3StreamResult {
  const reader = upstream.stream.getReader();
  // Parts with no content (stream start, response metadata): passed on before the next release.
  const immediate: LanguageModelV3StreamPart[] = [];
  let textId: string | undefined;
  let upstreamError: unknown;
  let cancelled = false;
  const cancelUpstream = (): void => {
    if (cancelled) return;
    cancelled = true;
    reader.cancel().catch(() => undefined);
  };

  async function* source(): AsyncGenerator<TextStreamEvent<V3Done>> {
    const held: LanguageModelV3StreamPart[] = [];
    const toolCalls: ToolCall[] = [];
    const also: string[] = [];
    let reasoning = '';
    // Tool inputs streamed in pieces, by id: checked whole, through their `tool-call` part, or at
    // the end on their own when a provider sends none.
    const inputs = new Map<string, { name: string; text: string; called: boolean }>();
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) return; // ended without `finish`: the checker reports a truncated stream
      switch (part.type) {
        case 'text-delta':
          textId ??= part.id;
          if (part.delta !== '') yield { type: 'delta', text: part.delta };
          break;
        case 'text-start':
          textId ??= part.id;
          break;
        case 'text-end':
          break;
        case 'stream-start':
        case 'response-metadata':
          immediate.push(part);
          break;
        case 'raw':
          break;
        case 'error':
          upstreamError = part.error;
          throw part.error instanceof Error ? part.error : new Error(String(part.error));
        case 'reasoning-delta':
          reasoning += part.delta;
          held.push(part);
          break;
        case 'reasoning-end':
          if (reasoning !== '') also.push(reasoning);
          reasoning = '';
          held.push(part);
          break;
        case 'tool-call':
          if (inputs.has(part.toolCallId)) (inputs.get(part.toolCallId) as { called: boolean }).called = true;
          toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } });
          held.push(part);
          break;
        case 'tool-result':
          also.push(typeof part.result === 'string' ? part.result : JSON.stringify(part.result));
          held.push(part);
          break;
        case 'tool-input-start':
          inputs.set(part.id, { name: part.toolName, text: '', called: false });
          held.push(part);
          break;
        case 'tool-input-delta': {
          const entry = inputs.get(part.id) ?? { name: '', text: '', called: false };
          entry.text += part.delta;
          inputs.set(part.id, entry);
          held.push(part);
          break;
        }
        case 'finish':
          if (reasoning !== '') also.push(reasoning);
          for (const [id, entry] of inputs) {
            if (!entry.called) toolCalls.push({ id, type: 'function', function: { name: entry.name, arguments: entry.text } });
          }
          yield { type: 'done', toolCalls, also, held, finish: part };
          return;
        default:
          held.push(part);
      }
    }
  }

  async function* run(): AsyncGenerator<LanguageModelV3StreamPart> {
    let textStarted = false;
    const startText = function* (): Generator<LanguageModelV3StreamPart> {
      if (!textStarted) {
        textStarted = true;
        yield { type: 'text-start', id: textId ?? 'text' };
      }
    };
    try {
      for await (const event of core.checkStream(source(), input, { servedTarget, abortUpstream: cancelUpstream })) {
        yield* immediate.splice(0);
        if (event.type === 'text') {
          yield* startText();
          yield { type: 'text-delta', id: textId ?? 'text', delta: event.text };
          continue;
        }
        if (event.outcome === 'blocked') {
          cancelUpstream();
          if (textStarted) yield { type: 'text-end', id: textId ?? 'text' };
          const metadata = { saferoute: saferouteMetadata(input, { decision: event.decision, blocked: event.blocked }) };
          if (onBlock === 'throw') {
            yield { type: 'error', error: new ContentBlockedError(event.blocked, publicDecision(event.decision)) };
            return;
          }
          const text = 'content' in event.instead ? event.instead.content : event.instead.refusal;
          yield { type: 'text-start', id: REFUSAL_ID };
          yield { type: 'text-delta', id: REFUSAL_ID, delta: text };
          yield { type: 'text-end', id: REFUSAL_ID };
          yield { type: 'finish', usage: EMPTY_USAGE as LanguageModelV3Usage, finishReason: { unified: 'content-filter', raw: 'saferoute' }, providerMetadata: metadata };
          return;
        }
        if (event.tail !== '') {
          yield* startText();
          yield { type: 'text-delta', id: textId ?? 'text', delta: event.tail };
        }
        if (textStarted) yield { type: 'text-end', id: textId ?? 'text' };
        yield* event.done.held;
        const finish = event.done.finish;
        yield { ...finish, providerMetadata: withSaferoute(finish.providerMetadata, saferouteMetadata(input, { decision: event.decision, redacted: event.redacted })) };
        return;
      }
    } catch (error) {
      cancelUpstream();
      yield* immediate.splice(0);
      if (textStarted) yield { type: 'text-end', id: textId ?? 'text' };
      yield { type: 'error', error: upstreamError ?? error };
    }
  }

  const parts = run();
  const stream = new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      const { done, value } = await parts.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      cancelUpstream();
      await parts.return(undefined);
    },
  });
  return { ...upstream, stream };
}
