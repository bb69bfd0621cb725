import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Spans through `@opentelemetry/api` only: without an SDK registered by the app every call is a
 * no-op. Attributes carry ids, outcomes and latencies — never the text, never the subject.
 */
export function getTracer() {
  return trace.getTracer('saferoute');
}

/** Runs `fn` in an active span named `name`; an exception ends the span as an error and is rethrown. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return getTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
