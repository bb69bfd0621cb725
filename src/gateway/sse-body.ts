import type { GuardedStream } from '../guard/guarded-stream.js';
import { toOpenAIError } from './gateway-error.js';

const encoder = new TextEncoder();
const DONE = encoder.encode('data: [DONE]\n\n');

/**
 * A guarded stream as OpenAI's server-sent events: `data: {chunk}\n\n` per chunk, `data: [DONE]\n\n`
 * at the end. Chunks are pulled only as the client reads (back-pressure reaches the upstream); an
 * error after the first byte is one `data: {"error": …}` event, as OpenAI sends it (its clients
 * raise it). A client that goes away cancels the stream, which aborts the upstream request.
 */
export function sseBody(stream: GuardedStream, onEnd: (outcome: 'done' | 'error' | 'cancelled', error?: unknown) => void): ReadableStream<Uint8Array> {
  const iterator = stream[Symbol.asyncIterator]();
  let ended = false;
  const end = (outcome: 'done' | 'error' | 'cancelled', error?: unknown): void => {
    if (ended) return;
    ended = true;
    onEnd(outcome, error);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (ended) return;
        if (next.done) {
          controller.enqueue(DONE);
          controller.close();
          end('done');
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
      } catch (err) {
        if (ended) return;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(toOpenAIError(err).body)}\n\n`));
        controller.close();
        end('error', err);
      }
    },
    cancel() {
      stream.abort();
      end('cancelled');
    },
  });
}
