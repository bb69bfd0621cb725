export { createMetrics } from './create-metrics.js';
export type { MetricsOptions, SaferouteMetrics, HttpRequestEvent } from './create-metrics.js';
export { combineObservers } from './notify-observers.js';
export { withObservedClassifier, withObservedClassifiers } from './with-observed-classifiers.js';
export { inSpan, getTracer } from './tracing.js';
export type { GuardObserver, DecisionEvent, ProviderCallEvent, AuditAppendEvent, ClassifierCallEvent, StreamEvent } from './guard-events.js';
