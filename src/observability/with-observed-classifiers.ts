import { SpanStatusCode } from '@opentelemetry/api';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifiers/classifier.js';
import type { ClassifierResolver } from '../decision/policy-runtime.js';
import type { ClassifierCallEvent } from './guard-events.js';
import { getTracer, tracingActive } from './tracing.js';

/**
 * A classifier that reports each call (a `saferoute.classify` span, and `report` with its latency
 * and status). Its answers are the classifier's own: reporting never changes an outcome, and a
 * `report` that throws is swallowed here (the caller counts it through its observers).
 */
export function withObservedClassifier(classifier: Classifier, report?: (event: ClassifierCallEvent) => void): Classifier {
  return {
    id: classifier.id,
    version: classifier.version,
    categories: classifier.categories,
    classify(input: ClassifierInput, options?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      if (!tracingActive()) {
        if (!report) return classifier.classify(input, options);
        const started = performance.now();
        return classifier.classify(input, options).then((outcome) => {
          reportSafely(report, classifier, input, outcome, (performance.now() - started) / 1000);
          return outcome;
        });
      }
      const attributes = { 'saferoute.classifier.id': classifier.id, 'saferoute.classifier.version': classifier.version, 'saferoute.stage': input.stage };
      return getTracer().startActiveSpan('saferoute.classify', { attributes }, async (span) => {
        const started = performance.now();
        let outcome: ClassifierOutcome;
        try {
          outcome = await classifier.classify(input, options);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'classifier threw' });
          span.end();
          throw error;
        }
        const seconds = (performance.now() - started) / 1000;
        span.setAttribute('saferoute.classifier.status', outcome.status);
        if (outcome.status === 'failed') {
          span.setAttribute('saferoute.classifier.error', outcome.error.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.code });
        }
        span.end();
        if (report) reportSafely(report, classifier, input, outcome, seconds);
        return outcome;
      });
    },
  };
}

function reportSafely(report: (event: ClassifierCallEvent) => void, classifier: Classifier, input: ClassifierInput, outcome: ClassifierOutcome, seconds: number): void {
  try {
    report({
      classifier: classifier.id,
      stage: input.stage,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { code: outcome.error.code } : {}),
      seconds,
    });
  } catch {
    // Observability never fails a classification.
  }
}

/** A resolver whose classifiers are observed; each classifier is wrapped once. */
export function withObservedClassifiers(resolver: ClassifierResolver, report?: (event: ClassifierCallEvent) => void): ClassifierResolver {
  const wrapped = new WeakMap<Classifier, Classifier>();
  return {
    get(nameOrSpec) {
      const c = resolver.get(nameOrSpec);
      let w = wrapped.get(c);
      if (!w) {
        w = withObservedClassifier(c, report);
        wrapped.set(c, w);
      }
      return w;
    },
  };
}
