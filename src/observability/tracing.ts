import { INVALID_SPAN_CONTEXT, ProxyTracerProvider, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Spans through `@opentelemetry/api` only: without an SDK registered by the app every call is a
 * no-op. Attributes carry ids, outcomes and latencies — never the text, never the subject.
 */
export function getTracer() {
  return trace.getTracer('saferoute');
}

const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether an app registered a tracer provider. Without one, spans are skipped altogether rather
 * than made and thrown away (a dozen per guarded call add up on the hot path). A provider
 * registered through another copy of the API is not ours to inspect: then spans are made.
 */
export function tracingActive(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('saferoute') !== undefined;
}

/** Runs `fn` in an active span named `name`; an exception ends the span as an error and is rethrown. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!tracingActive()) return fn(NO_SPAN);
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
